import type { LayerSpec } from './layer-spec';
import { pointwise } from './shape-rules';

const stochasticdepth: LayerSpec = {
  kind: 'stochasticdepth',
  category: 'regularization',
  summary: 'Stochastic depth (identity at inference)',
  doc: 'Drops a whole residual branch with probability `p` during training; the identity at inference. No parameters.',
  torch: 'torchvision.ops.StochasticDepth',
  args: [
    { name: 'p', type: 'number', default: 0.1, positional: true, min: 0, max: 1, doc: 'Drop probability.' },
    { name: 'mode', type: 'enum', values: ['row', 'batch'], default: 'row', doc: 'Drop per sample (`row`) or per batch.' },
  ],
  inputs: 'one',
  infer: pointwise,
  run: ({ x }) => x,
};
export default stochasticdepth;
