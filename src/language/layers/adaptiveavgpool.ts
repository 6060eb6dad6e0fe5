import { adaptiveAvgPool } from '../../core/kernels/pool';
import { sizesArg } from '../../core/layer-op';
import type { LayerSpec } from './layer-spec';
import { ADAPTIVE_SIZE, adaptiveInfer } from './pool-family';

const adaptiveavgpool: LayerSpec = {
  kind: 'adaptiveavgpool',
  category: 'pool',
  summary: 'Adaptive average pooling to a fixed output size',
  doc: 'Averages windows chosen so the output has exactly the given size, whatever the input size.',
  torch: 'nn.AdaptiveAvgPool1d / 2d / 3d',
  args: [ADAPTIVE_SIZE],
  inputs: 'one',
  minRank: 2,
  infer: adaptiveInfer,
  run: ({ x, layer }) => adaptiveAvgPool(x, sizesArg(layer.args.size) ?? 1),
};
export default adaptiveavgpool;
