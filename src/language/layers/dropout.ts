import type { LayerSpec } from './layer-spec';
import { pointwise } from './shape-rules';

const dropout: LayerSpec = {
  kind: 'dropout',
  category: 'regularization',
  summary: 'Dropout (identity at inference)',
  doc: 'Zeroes random activations with probability `p` during training; the identity at inference. No parameters.',
  torch: 'nn.Dropout',
  args: [{ name: 'p', type: 'number', default: 0.5, positional: true, min: 0, max: 1, doc: 'Drop probability.' }],
  inputs: 'one',
  infer: pointwise,
  run: ({ x }) => x,
};
export default dropout;
