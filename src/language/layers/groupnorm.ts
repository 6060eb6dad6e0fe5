import { groupNorm } from '../../core/kernels/norm';
import { numberArg } from '../../core/layer-op';
import { messages } from '../messages';
import type { LayerSpec } from './layer-spec';
import { AFFINE, affineNormInfer, affineParams, affineTerms, epsArg } from './norm-family';
import { UNKNOWN } from './shape-rules';

const groupnorm: LayerSpec = {
  kind: 'groupnorm',
  category: 'norm',
  summary: 'Group normalisation',
  doc: 'Normalises groups of channels at a time, independent of batch size. Parameters: `2·C`.',
  torch: 'nn.GroupNorm',
  args: [
    { name: 'groups', type: 'int', required: true, positional: true, min: 1, doc: 'Number of channel groups; must divide the channels.' },
    epsArg(1e-5),
    AFFINE,
  ],
  inputs: 'one',
  minRank: 2,
  paramFormula: '2·C',
  infer: (ctx) => {
    const groups = ctx.args.groups as number;
    if (ctx.input[0] % groups !== 0) {
      ctx.report('groups-mismatch', messages.groupsMismatch(ctx.kind, groups, 'channels', ctx.input[0]), 'groups');
      return UNKNOWN;
    }
    return affineNormInfer(ctx);
  },
  params: affineParams,
  paramTerms: affineTerms,
  run: (ctx) =>
    groupNorm(ctx.x, {
      groups: numberArg(ctx.layer.args.groups, 1),
      gamma: ctx.param('weight'),
      beta: ctx.param('bias'),
      eps: numberArg(ctx.layer.args.eps, 1e-5),
    }),
};
export default groupnorm;
