import { relu } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'relu',
  summary: 'max(0, x)',
  doc: 'Rectified linear unit: `max(0, x)`. No parameters.',
  torch: 'nn.ReLU',
  run: ({ x }) => relu(x),
});
