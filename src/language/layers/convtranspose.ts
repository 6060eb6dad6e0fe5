import { convTranspose } from '../../core/kernels/conv';
import { biasTensor, numberArg, weightTensor, windowOf } from '../../core/layer-op';
import { convArgs, convInfer, convParams, convTerms } from './conv-family';
import type { LayerSpec } from './layer-spec';

const convtranspose: LayerSpec = {
  kind: 'convtranspose',
  category: 'conv',
  summary: 'Transposed convolution (learned upsampling)',
  doc: 'The gradient of a conv, used to upsample in decoders. Each output size is `(N − 1)·s − 2p + d(k−1) + output_padding + 1`.',
  torch: 'nn.ConvTranspose1d / 2d / 3d',
  args: [
    ...convArgs(false).filter((a) => a.name !== 'padding'),
    { name: 'padding', type: 'padding', default: 0, doc: 'Removes rows from each side of the full output: a number, one per axis, or one per side.' },
    { name: 'output_padding', type: 'sizes', default: 0, min: 0, doc: 'Extra rows on the after side, to pick one of the sizes a strided conv maps to the same input.' },
  ],
  inputs: 'one',
  minRank: 2,
  paramFormula: 'k·C_in·(C_out/groups) + C_out',
  infer: convInfer(true),
  params: convParams(true),
  paramTerms: convTerms(true),
  run: (ctx) => convTranspose(ctx.x, weightTensor(ctx), biasTensor(ctx), { geometry: windowOf(ctx.layer), groups: numberArg(ctx.layer.args.groups, 1) }),
  transposed: true,
};
export default convtranspose;
