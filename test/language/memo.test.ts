// Replaying a recorded block expansion (src/language/memo.ts, Interpreter.callBlock)
// must give exactly what running the block again gives: every analysis here is
// compared with one made with replays switched off, down to hovers and inlay
// hints, and the replays are counted so a test cannot pass by never replaying.
import { describe, expect, it } from 'vitest';
import { generateSpec } from '../../bench/generate-spec.mjs';
import { fuzzRuns, fuzzSeed } from '../fuzz-budget';
import { Interpreter } from '../../src/language/interpreter';
import { parse } from '../../src/language/parser';
import type { Analysis } from '../../src/language/types';
import { expectSameAnalysis, random, randomEdit, samples } from './same-analysis';

/** The analysis with replays and without, and how many calls were replayed. */
function both(text: string): { replayed: Analysis; ran: Analysis; replays: number } {
  const interpreter = new Interpreter(text, parse(text), {});
  const replayed = interpreter.run().analysis;
  const ran = new Interpreter(text, parse(text), {}, false).run().analysis;
  return { replayed, ran, replays: interpreter.replayed };
}

function expectReplaysChangeNothing(text: string, where: string, next = random(1)): number {
  const { replayed, ran, replays } = both(text);
  expectSameAnalysis(replayed, ran, next, where);
  return replays;
}

const cases: [string, string, number][] = [
  // [what, text, at least this many replays]
  [
    'a residual block called along a chain of growing receptive fields and changing shapes',
    `block residual(c, stride=1) {
  conv c, k=3, stride=stride, padding=1, bias=false | batchnorm | relu
  y = conv c, k=3, padding=1, bias=false | batchnorm
  add(y, in)
  relu
}
model M {
  input x: 8×32×32
  repeat 4 { residual(8) }
  conv 8, k=3, stride=2, padding=1
  repeat 3 { residual(8) }
  residual(8)
  stage: residual(8)
  r = residual(8)
  gap
}
`,
    5,
  ],
  [
    'nested blocks, labels, repeats, a split and an output that is a name',
    `block inner(c) {
  a: conv c, k=1
  repeat 2 { a: relu }
  p, q = chunk 2
  z = concat(p, q)
}
block outer(c) {
  inner(c)
  inner(c)
  named = inner(c)
}
model M {
  input x: 4×8×8
  repeat 20 { outer(4) }
  gap
  flatten
  linear 10
}
`,
    20,
  ],
  [
    // `y = in` gives a name for the input, which is not replayed; each `maybe` argument replays from its third call.
    'a block whose result is its input, and one whose branch depends on its argument',
    `block same() {
  y = in
}
block maybe(on) {
  if on { relu } else { sigmoid }
  relu
}
model M {
  input x: 3×8×8
  repeat 5 { same() }
  repeat 3 { maybe(true) }
  repeat 3 { maybe(false) }
  repeat 3 { maybe(true) }
}
`,
    5,
  ],
  [
    'a block that reports (replays only what reports nothing) and one taking a tensor argument',
    `block drops() {
  conv 4, k=2, stride=2
}
block mix(other) {
  add(in, other)
}
model M {
  input x: 4×9×9
  a = conv 4, k=1
  repeat 3 { drops() }
  b = a | conv 4, k=1
  repeat 3 { mix(b) }
  repeat 4 { relu6 }
}
`,
    0,
  ],
  [
    'a block call whose result the next statement drops',
    `block two() {
  conv 4, k=1
  relu
}
model M {
  input x: 4×8×8
  repeat 3 { two() }
  two()
  x | conv 4, k=1
  two()
}
`,
    1,
  ],
];

describe('block expansions replayed', () => {
  for (const [what, text, replays] of cases) {
    it(`give what running them gives: ${what}`, () => {
      expect(expectReplaysChangeNothing(text, what)).toBeGreaterThanOrEqual(replays);
    });
  }

  it('give what running them gives on the samples and a generated spec whose block the model calls 577 times', () => {
    let replays = 0;
    for (const sample of samples) replays += expectReplaysChangeNothing(sample.text, sample.name);
    expect(replays).toBeGreaterThan(0);
    const spec = generateSpec(130_000);
    const { replayed, ran, replays: generated } = both(spec);
    expect(ran.calls.filter((c) => c.block === 'residual').length).toBe(577);
    // The first call defines the block's symbols, the second is recorded, the rest replay.
    expect(generated).toBe(575);
    expectSameAnalysis(replayed, ran, random(2), 'generated 130 KB');
    // Every call site's diagnostics still point at their own places when the block reports.
    const broken = spec.replace('y = conv c, k=3, padding=1, bias=false', 'y = conv c, k=3, padding=1, bias=maybe');
    expectReplaysChangeNothing(broken, 'generated, block reporting');
  });

  it('give what running them gives over random edits of the samples with blocks', () => {
    const withBlocks = samples.filter((s) => /^block /m.test(s.text));
    expect(withBlocks.length).toBeGreaterThan(0);
    const next = random(fuzzSeed(9100));
    for (const sample of withBlocks) {
      let text = sample.text;
      let cursor = Math.floor(next() * text.length);
      for (let i = 0; i < fuzzRuns(25); i++) {
        ({ text, cursor } = randomEdit(text, next, cursor));
        expectReplaysChangeNothing(text, `${sample.name} edit ${i}`, next);
      }
    }
  });
});
