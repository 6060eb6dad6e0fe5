import { adaptiveMaxPool } from '../../core/kernels/pool';
import { sizesArg } from '../../core/layer-op';
import type { LayerSpec } from './layer-spec';
import { ADAPTIVE_SIZE, adaptiveInfer } from './pool-family';

const adaptivemaxpool: LayerSpec = {
  kind: 'adaptivemaxpool',
  category: 'pool',
  summary: 'Adaptive max pooling to a fixed output size',
  doc: 'Takes the maximum over windows chosen so the output has exactly the given size.',
  torch: 'nn.AdaptiveMaxPool1d / 2d / 3d',
  args: [ADAPTIVE_SIZE],
  inputs: 'one',
  minRank: 2,
  infer: adaptiveInfer,
  run: ({ x, layer }) => adaptiveMaxPool(x, sizesArg(layer.args.size) ?? 1),
};
export default adaptivemaxpool;
