import { avgPool } from '../../core/kernels/pool';
import { windowOf } from '../../core/layer-op';
import { PADDING } from './common-args';
import type { LayerSpec } from './layer-spec';
import { CEIL, POOL_KERNEL, POOL_STRIDE, poolInfer } from './pool-family';

const avgpool: LayerSpec = {
  kind: 'avgpool',
  category: 'pool',
  summary: 'Average pooling',
  doc: 'Averages each window. No parameters. `stride` defaults to the kernel size; by default padded zeros count in the average (PyTorch’s `count_include_pad=True`).',
  torch: 'nn.AvgPool1d / 2d / 3d',
  args: [
    POOL_KERNEL,
    POOL_STRIDE,
    PADDING,
    CEIL,
    { name: 'count_include_pad', type: 'bool', default: true, doc: 'Whether padded zeros count in the divisor.' },
  ],
  inputs: 'one',
  minRank: 2,
  infer: poolInfer({ max: false }),
  run: ({ x, layer }) => avgPool(x, { geometry: windowOf(layer), countIncludePad: layer.args.count_include_pad !== false }),
};
export default avgpool;
