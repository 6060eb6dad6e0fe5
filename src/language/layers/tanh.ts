import { tanh } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'tanh',
  summary: 'tanh(x)',
  doc: 'Hyperbolic tangent, squashing to (−1, 1), as in LeNet-5. No parameters.',
  torch: 'nn.Tanh',
  run: ({ x }) => tanh(x),
});
