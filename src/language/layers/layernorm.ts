import { layerNorm } from '../../core/kernels/norm';
import { numberArg } from '../../core/layer-op';
import type { LayerSpec } from './layer-spec';
import { AFFINE, affineNormInfer, affineParams, affineTerms, DECLARED_CHANNELS, epsArg } from './norm-family';

const layernorm: LayerSpec = {
  kind: 'layernorm',
  category: 'norm',
  summary: 'Layer normalisation over channels (as in ConvNeXt)',
  doc: 'Normalises across channels at each position (ConvNeXt’s LayerNorm2d), or across features for a flat vector. Parameters: `2·C`.',
  torch: 'LayerNorm2d / nn.LayerNorm',
  args: [DECLARED_CHANNELS, epsArg(1e-6), AFFINE],
  inputs: 'one',
  paramFormula: '2·C',
  infer: affineNormInfer,
  params: affineParams,
  paramTerms: affineTerms,
  run: (ctx) => layerNorm(ctx.x, { gamma: ctx.param('weight'), beta: ctx.param('bias'), eps: numberArg(ctx.layer.args.eps, 1e-6) }),
};
export default layernorm;
