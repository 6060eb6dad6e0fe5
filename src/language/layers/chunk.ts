import type { LayerSpec } from './layer-spec';
import { SAME_FIELD } from './shape-rules';
import { splitParts } from './split';

const chunk: LayerSpec = {
  kind: 'chunk',
  category: 'reshape',
  summary: 'Split channels into n equal parts',
  doc: 'Splits the channels into `n` parts, as `torch.chunk` does: each has ⌈C/n⌉ channels, the last may have fewer.',
  torch: 'torch.chunk(dim=1)',
  args: [{ name: 'n', type: 'int', required: true, positional: true, min: 1, doc: 'Number of parts.' }],
  inputs: 'one',
  infer: (ctx) => {
    const c = ctx.input[0];
    const n = ctx.args.n as number;
    const size = Math.ceil(c / n);
    const outputs: number[][] = [];
    for (let left = c; left > 0; left -= size) outputs.push([Math.min(size, left), ...ctx.input.slice(1)]);
    return { output: outputs[0], outputs, params: 0, macs: 0, field: SAME_FIELD };
  },
  run: splitParts,
};
export default chunk;
