import { split as splitKernel } from '../../core/kernels/tensor-ops';
import type { KernelContext } from '../../core/layer-op';
import type { Tensor } from '../../core/tensor';
import { messages } from '../messages';
import type { LayerSpec } from './layer-spec';
import { SAME_FIELD, UNKNOWN } from './shape-rules';

const split: LayerSpec = {
  kind: 'split',
  category: 'reshape',
  summary: 'Split channels by sizes',
  doc: 'Splits the channels into consecutive parts of the given sizes: `a, b = split [16, 48]`, or equal parts of one size.',
  torch: 'torch.split(dim=1)',
  args: [{ name: 'sizes', type: 'int-list', required: true, positional: true, min: 1, doc: 'Channels per part, or one size for equal parts.' }],
  inputs: 'one',
  infer: (ctx) => {
    const c = ctx.input[0];
    const sizesArg = ctx.args.sizes;
    const sizes: number[] = [];
    if (typeof sizesArg === 'number') {
      for (let left = c; left > 0; left -= sizesArg) sizes.push(Math.min(sizesArg, left));
    } else {
      for (const size of sizesArg as number[]) sizes.push(size);
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total !== c) {
        ctx.report('channel-mismatch', messages.splitSizes(total, c), 'sizes');
        return UNKNOWN;
      }
    }
    const outputs = sizes.map((n) => [n, ...ctx.input.slice(1)]);
    return { output: outputs[0], outputs, params: 0, macs: 0, field: SAME_FIELD };
  },
  run: splitParts,
};
export default split;

/** Splits the channels into the parts shape inference gave (`split` and `chunk`). */
export function splitParts({ x, layer }: KernelContext): Tensor[] {
  const shapes = layer.outputShapes ?? [layer.outputShape];
  return splitKernel(x, shapes.map((s) => (s ? s[0] : 0)));
}
