import { softmax as softmaxKernel } from '../../core/kernels/activation';
import type { LayerSpec } from './layer-spec';
import { pointwise } from './shape-rules';

const softmax: LayerSpec = {
  kind: 'softmax',
  category: 'activation',
  summary: 'Softmax over channels',
  doc: 'Exponentiates and normalises so the values across channels (or a flat vector) sum to 1. No parameters.',
  torch: 'nn.Softmax(dim=1)',
  args: [],
  inputs: 'one',
  infer: pointwise,
  run: ({ x }) => softmaxKernel(x),
};
export default softmax;
