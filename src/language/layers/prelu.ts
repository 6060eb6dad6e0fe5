import { prelu as preluKernel } from '../../core/kernels/activation';
import { requiredParam } from '../../core/layer-op';
import { constantInit, paramSpec } from '../../core/weights';
import { messages } from '../messages';
import type { LayerSpec } from './layer-spec';
import { SAME_FIELD, UNKNOWN } from './shape-rules';

/** The slopes learned: the argument, 1 by default. */
const slopes = (args: { readonly num_parameters?: unknown }) => (typeof args.num_parameters === 'number' ? args.num_parameters : 1);

const prelu: LayerSpec = {
  kind: 'prelu',
  category: 'activation',
  summary: 'Parametric ReLU: a learned slope below 0',
  doc: 'Like `leakyrelu`, but the slope for negative inputs is learned: `x` above 0, `a·x` otherwise, with one slope `a` shared by every channel or one per channel. Parameters: `1` or `C`.',
  torch: 'nn.PReLU',
  args: [
    { name: 'num_parameters', type: 'int', default: 1, positional: true, min: 1, doc: 'Slopes to learn: `1`, shared by every channel, or the number of channels, one each.' },
    { name: 'init', type: 'number', default: 0.25, doc: 'Initial slope.' },
  ],
  inputs: 'one',
  paramFormula: '1 or C',
  infer: (ctx) => {
    const n = slopes(ctx.args);
    if (n !== 1 && n !== ctx.input[0]) {
      ctx.report('channel-mismatch', messages.invalidArgument(ctx.kind, 'num_parameters', `1 or the input's ${ctx.input[0]} channels, not ${n}`), 'num_parameters');
      return UNKNOWN;
    }
    return { output: ctx.input, params: n, macs: 0, field: SAME_FIELD };
  },
  params: (layer) => [paramSpec(layer, 'weight', [slopes(layer.args)], constantInit(typeof layer.args.init === 'number' ? layer.args.init : 0.25))],
  paramTerms: (layer) => ({ factors: [slopes(layer.args)], value: slopes(layer.args), bias: 0 }),
  run: (ctx) => preluKernel(ctx.x, requiredParam(ctx, 'weight')),
};
export default prelu;
