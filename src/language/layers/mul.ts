import type { LayerSpec } from './layer-spec';
import { mergeInfer, TENSORS_DOC } from './merge-family';

const mul: LayerSpec = {
  kind: 'mul',
  category: 'merge',
  summary: 'Elementwise product with broadcasting',
  doc: `Multiplies tensors, broadcasting size-1 axes: a \`C×1×1\` gate scales a \`C×H×W\` map (squeeze-and-excitation). ${TENSORS_DOC}`,
  torch: 'torch.mul',
  args: [],
  inputs: 'many',
  infer: mergeInfer('mul'),
};
export default mul;
