// Generated .cnn specs of a chosen size, shared by the benchmarks.

/** A plausible large spec: blocks with arguments, repeats, comments, and a long main body. */
export function generateSpec(minBytes) {
  const head = `# Generated for the analyze() benchmark.
block residual(c, stride=1) {
  conv c, k=3, stride=stride, padding=1, bias=false | batchnorm | relu
  y = conv c, k=3, padding=1, bias=false | batchnorm
  add(y, in)
  relu
}

model Generated {
  input image: 64×32×32, normalize=imagenet
`;
  const stanza = (i) => `
  # stage ${i}
  conv 64, k=3, padding=1, bias=false      # keeps 64×32×32
  batchnorm
  relu
  s${i} = conv 64, k=1 | batchnorm
  t${i} = s${i} | conv 64, k=3, padding=1, groups=64
  add(s${i}, t${i})
  residual(64)
  dropout 0.1
`;
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < minBytes; i++) {
    const s = stanza(i);
    parts.push(s);
    size += s.length;
  }
  parts.push('  gap\n  flatten\n  linear 1000\n}\n');
  return parts.join('');
}
