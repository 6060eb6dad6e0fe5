import { add as addKernel } from '../../core/kernels/tensor-ops';
import type { LayerSpec } from './layer-spec';
import { mergeInfer, TENSORS_DOC } from './merge-family';

const add: LayerSpec = {
  kind: 'add',
  category: 'merge',
  summary: 'Elementwise sum (residual connection)',
  doc: `Adds tensors of equal shape, as in a ResNet shortcut. ${TENSORS_DOC}`,
  torch: 'torch.add',
  args: [],
  inputs: 'many',
  infer: mergeInfer('add'),
  run: ({ inputs }) => inputs.slice(1).reduce((acc, t) => addKernel(acc, t), inputs[0]),
};
export default add;
