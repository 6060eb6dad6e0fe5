import { concat as concatKernel } from '../../core/kernels/tensor-ops';
import { messages } from '../messages';
import type { LayerSpec } from './layer-spec';
import { TENSORS_DOC } from './merge-family';
import { SAME_FIELD, UNKNOWN } from './shape-rules';

const concat: LayerSpec = {
  kind: 'concat',
  category: 'merge',
  summary: 'Concatenate along channels',
  doc: `Stacks tensors along the channel axis, as in Inception and DenseNet; the other sizes must match. ${TENSORS_DOC}`,
  torch: 'torch.cat(dim=1)',
  args: [],
  inputs: 'many',
  infer: (ctx) => {
    const shapes = ctx.inputs;
    if (shapes.some((s) => s.length !== shapes[0].length)) {
      ctx.report('concat-mismatch', messages.concatRank(shapes));
      return UNKNOWN;
    }
    if (shapes.some((s) => s.some((d, i) => i > 0 && d !== shapes[0][i]))) {
      ctx.report('concat-mismatch', messages.concatMismatch(shapes, ctx.inputNames));
      return UNKNOWN;
    }
    const channels = shapes.reduce((sum, s) => sum + s[0], 0);
    return { output: [channels, ...shapes[0].slice(1)], params: 0, macs: 0, field: SAME_FIELD };
  },
  run: ({ inputs }) => concatKernel(inputs),
};
export default concat;
