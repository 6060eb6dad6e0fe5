import { batchNorm } from '../../core/kernels/norm';
import { numberArg, requiredParam } from '../../core/layer-op';
import { constantInit, paramSpec } from '../../core/weights';
import type { LayerSpec } from './layer-spec';
import { AFFINE, affineNormInfer, affineParams, affineTerms, DECLARED_CHANNELS, epsArg } from './norm-family';

const batchnorm: LayerSpec = {
  kind: 'batchnorm',
  category: 'norm',
  summary: 'Batch normalisation (2 params per channel)',
  doc: 'Normalises each channel with running statistics, then scales by γ and shifts by β. Parameters: `2·C` (the running mean and variance are buffers).',
  torch: 'nn.BatchNorm1d / 2d / 3d',
  args: [DECLARED_CHANNELS, epsArg(1e-5), AFFINE],
  inputs: 'one',
  minRank: 2,
  paramFormula: '2·C',
  infer: affineNormInfer,
  // The running statistics are buffers: in the state dict, not in the parameter count.
  params: (layer, input) => [
    ...affineParams(layer, input),
    paramSpec(layer, 'running_mean', [input[0]], constantInit(0)),
    paramSpec(layer, 'running_var', [input[0]], constantInit(1)),
  ],
  paramTerms: affineTerms,
  run: (ctx) =>
    batchNorm(ctx.x, {
      mean: requiredParam(ctx, 'running_mean'),
      variance: requiredParam(ctx, 'running_var'),
      gamma: ctx.param('weight'),
      beta: ctx.param('bias'),
      eps: numberArg(ctx.layer.args.eps, 1e-5),
    }),
};
export default batchnorm;
