import { gelu } from '../../core/kernels/activation';
import { activation } from './activation-family';

export default activation({
  kind: 'gelu',
  summary: 'x·Φ(x)',
  doc: 'Gaussian error linear unit, `x·Φ(x)` (exact erf form, or the tanh approximation). No parameters.',
  torch: 'nn.GELU',
  args: [{ name: 'approximate', type: 'enum', values: ['none', 'tanh'], default: 'none', doc: '`none` (exact) or `tanh`.' }],
  run: ({ x, layer }) => gelu(x, { approximate: layer.args.approximate === 'tanh' ? 'tanh' : 'none' }),
});
