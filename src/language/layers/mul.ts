import { mul as mulKernel } from '../../core/kernels/tensor-ops';
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
  run: ({ inputs }) => inputs.slice(1).reduce((acc, t) => mulKernel(acc, t), inputs[0]),
};
export default mul;
