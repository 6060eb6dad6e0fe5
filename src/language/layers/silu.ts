import { silu } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'silu',
  summary: 'x·σ(x) (swish)',
  doc: 'Sigmoid linear unit (swish): `x·σ(x)`, as in EfficientNet. No parameters.',
  torch: 'nn.SiLU',
  run: ({ x }) => silu(x),
});
