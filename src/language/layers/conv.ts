import { convArgs, convInfer, convParams, convRun, convTerms } from './conv-family';
import type { LayerSpec } from './layer-spec';

const conv: LayerSpec = {
  kind: 'conv',
  category: 'conv',
  summary: 'Convolution (1D, 2D or 3D, from the input rank)',
  doc:
    'Slides `C_out` filters of size `C_in/groups × k…` over the input (cross-correlation, as in every framework). ' +
    'Each output size is `⌊(N + 2p − d(k−1) − 1)/s⌋ + 1`.',
  torch: 'nn.Conv1d / nn.Conv2d / nn.Conv3d',
  args: convArgs(true),
  inputs: 'one',
  minRank: 2,
  paramFormula: 'k·(C_in/groups)·C_out + C_out',
  infer: convInfer(false),
  params: convParams(false),
  paramTerms: convTerms(false),
  run: convRun,
  handKernels: true,
};
export default conv;
