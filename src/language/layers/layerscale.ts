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
};
export default layerscale;
