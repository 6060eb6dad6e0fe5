import { activation } from './activation-family';

export default activation({
  kind: 'leakyrelu',
  summary: 'x, or slope·x below 0',
  doc: 'Leaky ReLU: `x` for positive inputs, `slope·x` otherwise. No parameters.',
  torch: 'nn.LeakyReLU',
  args: [{ name: 'slope', type: 'number', default: 0.01, positional: true, doc: 'Slope for negative inputs.' }],
});
