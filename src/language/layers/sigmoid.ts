import { sigmoid } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'sigmoid',
  summary: '1/(1+e^−x)',
  doc: 'Logistic sigmoid, squashing to (0, 1); gates in squeeze-and-excitation. No parameters.',
  torch: 'nn.Sigmoid',
  run: ({ x }) => sigmoid(x),
});
