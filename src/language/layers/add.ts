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
};
export default add;
