import { hardsigmoid } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'hardsigmoid',
  summary: 'relu6(x+3)/6',
  doc: 'Piecewise-linear sigmoid, as in MobileNetV3. No parameters.',
  torch: 'nn.Hardsigmoid',
  run: ({ x }) => hardsigmoid(x),
});
