import { relu6 } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'relu6',
  summary: 'min(max(0, x), 6)',
  doc: 'ReLU clipped at 6, as in MobileNet. No parameters.',
  torch: 'nn.ReLU6',
  run: ({ x }) => relu6(x),
});
