/** What the merges `add` and `mul` share: the broadcasting rule and the doc of their tensor arguments. */
import { messages } from '../messages';
import type { LayerContext, LayerResult } from './layer-spec';
import { broadcastShapes, SAME_FIELD, UNKNOWN } from './shape-rules';

export const TENSORS_DOC = 'Tensors to combine, by name. With one name, the current tensor comes first.';

/** `add` needs equal shapes (or ones that broadcast to the first); `mul` broadcasts freely. */
export function mergeInfer(op: 'add' | 'mul') {
  return (ctx: LayerContext): LayerResult => {
    const shapes = ctx.inputs;
    const equal = shapes.every((s) => s.length === shapes[0].length && s.every((d, i) => d === shapes[0][i]));
    const output = op === 'add' && equal ? shapes[0] : broadcastShapes(shapes);
    if (!output || (op === 'add' && !equal && output.some((d, i) => d !== shapes[0][i]))) {
      ctx.report('shape-mismatch', messages.shapeMismatch(op, shapes, ctx.inputNames));
      return UNKNOWN;
    }
    return { output, params: 0, macs: 0, field: SAME_FIELD };
  };
}
