import { flatten as flattenKernel } from '../../core/kernels/tensor-ops';
import { numel } from '../../core/tensor';
import type { LayerSpec } from './layer-spec';
import { NO_FIELD } from './shape-rules';

const flatten: LayerSpec = {
  kind: 'flatten',
  category: 'reshape',
  summary: 'Flatten to a vector',
  doc: 'Reshapes `C×H×W` into a vector of `C·H·W` features, ready for `linear`.',
  torch: 'nn.Flatten',
  args: [],
  inputs: 'one',
  infer: (ctx) => ({ output: [numel(ctx.input)], params: 0, macs: 0, field: NO_FIELD }),
  run: ({ x }) => flattenKernel(x),
};
export default flatten;
