import { leakyRelu } from '../../core/kernels/activation';
import { numberArg } from '../../core/layer-op';
import { activation } from './activation-family';

export default activation({
  kind: 'leakyrelu',
  summary: 'x, or slope·x below 0',
  doc: 'Leaky ReLU: `x` for positive inputs, `slope·x` otherwise. No parameters.',
  torch: 'nn.LeakyReLU',
  args: [{ name: 'slope', type: 'number', default: 0.01, positional: true, doc: 'Slope for negative inputs.' }],
  run: ({ x, layer }) => leakyRelu(x, { slope: numberArg(layer.args.slope, 0.01) }),
});
