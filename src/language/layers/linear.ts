import { messages } from '../messages';
import { BIAS } from './common-args';
import type { LayerSpec } from './layer-spec';
import { checkDeclaredChannels, NO_FIELD, UNKNOWN } from './shape-rules';

const linear: LayerSpec = {
  kind: 'linear',
  category: 'linear',
  summary: 'Fully connected layer',
  doc: 'Every output feature is a weighted sum of every input feature. Parameters: `F_in·F_out + F_out`. Needs a flat input.',
  torch: 'nn.Linear',
  args: [
    { name: 'out', type: 'int', required: true, positional: true, min: 1, doc: 'Output features.' },
    BIAS,
    { name: 'in', type: 'int', min: 1, doc: 'Declared input features, checked against the actual input.' },
  ],
  inputs: 'one',
  paramFormula: 'F_in·F_out + F_out',
  infer: (ctx) => {
    if (ctx.input.length !== 1) {
      ctx.report('linear-needs-flat', messages.linearNeedsFlat(ctx.input));
      return UNKNOWN;
    }
    const fIn = ctx.input[0];
    if (!checkDeclaredChannels(ctx, fIn)) return UNKNOWN;
    const out = ctx.args.out as number;
    return { output: [out], params: fIn * out + (ctx.args.bias ? out : 0), macs: fIn * out, field: NO_FIELD };
  },
};
export default linear;
