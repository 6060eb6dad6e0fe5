import { hardswish } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'hardswish',
  summary: 'x·relu6(x+3)/6',
  doc: 'Piecewise-linear swish, as in MobileNetV3. No parameters.',
  torch: 'nn.Hardswish',
  run: ({ x }) => hardswish(x),
});
