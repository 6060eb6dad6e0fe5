import type { LayerSpec } from './layer-spec';
import { AFFINE, affineNormInfer, DECLARED_CHANNELS, epsArg } from './norm-family';

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
};
export default batchnorm;
