import { activation } from './activation-family';

export default activation({
  kind: 'identity',
  summary: 'x',
  doc: 'Passes the input through unchanged.',
  torch: 'nn.Identity',
  run: ({ x }) => x,
});
