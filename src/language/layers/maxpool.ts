import { maxPool } from '../../core/kernels/pool';
import { windowOf } from '../../core/layer-op';
import { DILATION, PADDING } from './common-args';
import type { LayerSpec } from './layer-spec';
import { CEIL, POOL_KERNEL, POOL_STRIDE, poolInfer } from './pool-family';

const maxpool: LayerSpec = {
  kind: 'maxpool',
  category: 'pool',
  summary: 'Max pooling',
  doc: 'Keeps the largest value in each window. No parameters. `stride` defaults to the kernel size.',
  torch: 'nn.MaxPool1d / 2d / 3d',
  args: [POOL_KERNEL, POOL_STRIDE, PADDING, DILATION, CEIL],
  inputs: 'one',
  minRank: 2,
  infer: poolInfer({ max: true }),
  run: ({ x, layer }) => maxPool(x, { geometry: windowOf(layer) }),
};
export default maxpool;
