import { abs } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'abs',
  summary: '|x|',
  doc: 'Absolute value; turns signed edge responses into edge strength. No parameters.',
  torch: 'torch.abs',
  run: ({ x }) => abs(x),
});
