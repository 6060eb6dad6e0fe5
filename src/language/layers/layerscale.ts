import { layerScale } from '../../core/kernels/tensor-ops';
import { requiredParam } from '../../core/layer-op';
import { constantInit, paramSpec } from '../../core/weights';
import type { LayerSpec } from './layer-spec';
import { SAME_FIELD } from './shape-rules';

const layerscale: LayerSpec = {
  kind: 'layerscale',
  category: 'norm',
  summary: 'Learned per-channel scale (C params)',
  doc: 'Multiplies each channel by a learned scalar, initialised small, as in ConvNeXt. Parameters: `C`.',
  torch: 'CNBlock.layer_scale',
  args: [{ name: 'init', type: 'number', default: 1e-6, positional: true, doc: 'Initial scale.' }],
  inputs: 'one',
  paramFormula: 'C',
  infer: (ctx) => ({ output: ctx.input, params: ctx.input[0], macs: 0, field: SAME_FIELD }),
  params: (layer, input) => [paramSpec(layer, 'weight', [input[0]], constantInit((layer.args.init as number | undefined) ?? 1e-6))],
  paramTerms: (_layer, input) => ({ factors: [input[0]], value: input[0], bias: 0 }),
  run: (ctx) => layerScale(ctx.x, requiredParam(ctx, 'weight')),
};
export default layerscale;
