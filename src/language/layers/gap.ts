import { globalAvgPool } from '../../core/kernels/pool';
import type { LayerSpec } from './layer-spec';
import { NO_FIELD } from './shape-rules';

const gap: LayerSpec = {
  kind: 'gap',
  category: 'pool',
  summary: 'Global average pooling to C×1×1',
  doc: 'Averages each channel over all positions, giving `C×1×1` (or `C×1`, `C×1×1×1`). Follow it with `flatten` before `linear`.',
  torch: 'nn.AdaptiveAvgPool2d(1)',
  args: [],
  inputs: 'one',
  minRank: 2,
  infer: (ctx) => ({ output: [ctx.input[0], ...ctx.input.slice(1).map(() => 1)], params: 0, macs: 0, field: NO_FIELD }),
  run: ({ x }) => globalAvgPool(x),
};
export default gap;
