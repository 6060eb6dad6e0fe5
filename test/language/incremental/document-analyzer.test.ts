// DocumentAnalyzer reuses the previous version's analysis; these tests check
// over many random edit sequences that what it returns is exactly a fresh
// analyze() of the same text, and that hovers and inlay hints built from it agree.
import { describe, expect, it } from 'vitest';
import { generateSpec } from '../../../bench/generate-spec.mjs';
import { analyze } from '../../../src/language/analyze';
import { commonPrefixLength, DocumentAnalyzer } from '../../../src/language/incremental/document-analyzer';
import { difference, expectSameAnalysis, random, randomEdit, samples } from '../same-analysis';

function runSequence(start: string, seed: number, edits: number, where: string): void {
  const next = random(seed);
  const analyzer = new DocumentAnalyzer();
  let text = start;
  let cursor = Math.floor(next() * text.length);
  expectSameAnalysis(analyzer.analyze(text), analyze(text), next, `${where} seed ${seed} open`);
  for (let i = 0; i < edits; i++) {
    // Now and then, go back to a version seen before (undo).
    ({ text, cursor } = next() < 0.03 ? { text: start, cursor } : randomEdit(text, next, cursor));
    expectSameAnalysis(analyzer.analyze(text), analyze(text), next, `${where} seed ${seed} edit ${i}`);
  }
}

/**
 * An edit that mostly keeps the syntax: whitespace typed or deleted, a comment
 * typed into or edited (which `DocumentAnalyzer` answers by moving the previous
 * analysis' spans), and now and then any other edit.
 */
function randomTriviaEdit(text: string, next: () => number, cursor: number): { text: string; cursor: number } {
  const choice = next();
  if (choice < 0.1) return randomEdit(text, next, cursor);
  const at = next() < 0.7 ? Math.max(0, Math.min(text.length, cursor + Math.floor((next() - 0.5) * 40))) : Math.floor(next() * (text.length + 1));
  if (choice < 0.4) {
    const snippet = [' ', '  ', '\t', '\n', '\n\n', ' \n', '\r\n'][Math.floor(next() * 7)];
    return { text: text.slice(0, at) + snippet + text.slice(at), cursor: at + snippet.length };
  }
  if (choice < 0.65) {
    // Delete the whitespace run at or after `at`, or part of it.
    let start = at;
    while (start < text.length && !/\s/.test(text[start])) start++;
    let end = start;
    while (end < text.length && /\s/.test(text[end]) && (end === start || next() < 0.7)) end++;
    return { text: text.slice(0, start) + text.slice(end), cursor: start };
  }
  // In or at a comment: type into it, delete from it, or start one at a line's end.
  const hash = text.indexOf('#', at);
  if (hash < 0 || choice < 0.72) {
    const lineEnd = text.indexOf('\n', at);
    const where = lineEnd < 0 ? text.length : lineEnd;
    const comment = [' # note', '#', ' # x(y) = 3'][Math.floor(next() * 3)];
    return { text: text.slice(0, where) + comment + text.slice(where), cursor: where + comment.length };
  }
  const lineEnd = text.indexOf('\n', hash);
  const end = lineEnd < 0 ? text.length : lineEnd;
  const inside = hash + Math.floor(next() * (end - hash + 1));
  if (next() < 0.5) {
    const snippet = ['a', ' ', 'conv 8', '{', '"', '0'][Math.floor(next() * 6)];
    return { text: text.slice(0, inside) + snippet + text.slice(inside), cursor: inside + snippet.length };
  }
  return { text: text.slice(0, inside) + text.slice(Math.min(end, inside + 1 + Math.floor(next() * 3))), cursor: inside };
}

function runTriviaSequence(start: string, seed: number, edits: number, where: string): void {
  const next = random(seed);
  const analyzer = new DocumentAnalyzer();
  let text = start;
  let cursor = Math.floor(next() * text.length);
  analyzer.analyze(text);
  for (let i = 0; i < edits; i++) {
    ({ text, cursor } = randomTriviaEdit(text, next, cursor));
    expectSameAnalysis(analyzer.analyze(text), analyze(text), next, `${where} seed ${seed} trivia edit ${i}`);
  }
}

describe('DocumentAnalyzer', () => {
  it('gives a fresh analyze() result after whitespace and comment edits, which move the previous analysis', () => {
    let seed = 5000;
    for (const sample of samples) {
      for (let run = 0; run < 6; run++) runTriviaSequence(sample.text, seed++, 40, sample.name);
    }
    const spec = generateSpec(12_000);
    for (let run = 0; run < 6; run++) runTriviaSequence(spec, seed++, 60, 'generated 12 KB');
    runTriviaSequence(generateSpec(130_000), seed++, 60, 'generated 130 KB');
    // About 20 s on an idle machine; 90-115 s with the two cores shared by a dozen processes.
  }, 180_000);

  it('gives a fresh analyze() result after whitespace and comment edits in and around a block with errors in its expansions', () => {
    const text = `block b(c, s=1) {
  y = conv c, k=3, stride=s # first
  z = y | conv c, k=3, padding=1
  add(y, in) # wrong shapes when s > 1
  linear 10
}
model M {
  input x: 8×16×16
  b(8)
  b(8, s=2)   # here
  q: b(16)
  if false { b(4) }
  repeat 2 { b(8) }
  f(x)
}
`;
    for (let seed = 6000; seed < 6040; seed++) runTriviaSequence(text, seed, 40, 'block with errors');
  });

  it('gives a fresh analyze() result after every edit of random edit sequences over the samples', () => {
    let seed = 1;
    for (const sample of samples) {
      for (let run = 0; run < 12; run++) runSequence(sample.text, seed++, 40, sample.name);
    }
  });

  it('gives a fresh analyze() result over random edits of a generated spec', () => {
    const spec = generateSpec(12_000);
    for (let seed = 1000; seed < 1010; seed++) runSequence(spec, seed, 60, 'generated 12 KB');
  });

  it('gives a fresh analyze() result over random edits of the LSP benchmark spec', () => {
    const spec = generateSpec(130_000);
    runSequence(spec, 2000, 80, 'generated 130 KB');
  });

  it('gives a fresh analyze() result while a line is typed character by character and deleted again', () => {
    const lines = ['  y = conv 16, k=3, stride=2 | relu', '  repeat 2 { conv 8 }', '  if false { relu } else { gap }', '  add(y, in)', '  a, b = chunk 2'];
    let seed = 3000;
    for (const sample of samples) {
      const next = random(seed++);
      const analyzer = new DocumentAnalyzer();
      let text = sample.text;
      analyzer.analyze(text);
      for (let round = 0; round < 3; round++) {
        // At the start of a random line: where a new statement is typed.
        const at = text.lastIndexOf('\n', Math.floor(next() * text.length)) + 1;
        const line = `${lines[Math.floor(next() * lines.length)]}\n`;
        for (let i = 1; i <= line.length; i++) {
          const version = text.slice(0, at) + line.slice(0, i) + text.slice(at);
          expectSameAnalysis(analyzer.analyze(version), analyze(version), next, `${sample.name} typing ${i}`);
        }
        for (let i = line.length - 1; i >= 0; i--) {
          const version = text.slice(0, at) + line.slice(0, i) + text.slice(at);
          expectSameAnalysis(analyzer.analyze(version), analyze(version), next, `${sample.name} deleting ${i}`);
        }
      }
    }
  });

  it('gives a fresh analyze() result over edits inside the blocks before the model, which reuse the model\'s syntax tree', () => {
    let versions = 0;
    let reused = 0;
    let seed = 9000;
    for (const start of [...samples.map((s) => s.text), generateSpec(12_000), generateSpec(130_000)]) {
      const blocks = [...start.matchAll(/^block /gm)].map((m) => m.index!);
      if (blocks.length === 0) continue;
      const next = random(seed++);
      const analyzer = new DocumentAnalyzer();
      let previous = analyzer.analyze(start);
      let text = start;
      // Typing in a block: the cursor stays there, as in randomEdit, and starts inside the block.
      let cursor = blocks[Math.floor(next() * blocks.length)] + 12;
      for (let i = 0; i < 40; i++) {
        ({ text, cursor } = randomEdit(text, next, cursor));
        const model = text.search(/^model /m);
        if (model >= 0 && cursor > model) cursor = Math.max(0, model - 3);
        const analysis = analyzer.analyze(text);
        expectSameAnalysis(analysis, analyze(text), next, `block edits seed ${seed} edit ${i}`);
        versions++;
        // The model item is the previous tree's, moved, when only the block was parsed again.
        if (analysis.program.items.at(-1) === previous.program.items.at(-1)) reused++;
        previous = analysis;
      }
    }
    // Random edits leave syntax errors often, and a version after one is parsed whole.
    expect(reused).toBeGreaterThan(versions * 0.1);
  });

  it('reuses the analysis before an edit: layers before the edited statement are the previous objects', () => {
    const text = samples.find((s) => s.name === 'resnet18.cnn')!.text;
    const analyzer = new DocumentAnalyzer();
    analyzer.analyze(text);
    const at = text.lastIndexOf('linear');
    const first = analyzer.analyze(`${text.slice(0, at)}dropout 0.5\n  ${text.slice(at)}`);
    const second = analyzer.analyze(`${text.slice(0, at)}dropout 0.4\n  ${text.slice(at)}`);
    expect(second.layers[0]).toBe(first.layers[0]);
    expect(difference(second, analyze(second.text))).toBeNull();
  });
});

describe('DocumentAnalyzer on an expression of 10,000 terms', () => {
  const text = `model M {\n  input x: 3×8×8\n  conv ${Array(10_000).fill('1').join('+')}, k=1\n  relu\n}\n`;
  const edits: [string, number, string][] = [
    ['a space after it', text.indexOf('relu'), ' '],
    ['a space inside it', text.indexOf('1+1') + 1, ' '],
    ['a term added', text.indexOf('1+1'), '1+'],
    ['a change before it', text.indexOf('3×8'), '1'],
  ];
  for (const [name, at, insert] of edits) {
    it(name, () => {
      const analyzer = new DocumentAnalyzer();
      analyzer.analyze(text);
      const after = `${text.slice(0, at)}${insert}${text.slice(at)}`;
      // Compared without the syntax tree, which is too deep for a recursive comparison.
      for (const version of [after, text]) {
        const { text: _text, program: _program, ...reused } = analyzer.analyze(version);
        const { text: _t, program: _p, ...fresh } = analyze(version);
        expect(reused).toEqual(fresh);
      }
    });
  }
});

describe('DocumentAnalyzer after edits that change what came before them', () => {
  const text = `model M {
  input x: 8×16×16
  a = conv 8, k=3
  b = a | relu
  c = b | relu
  add(a, c)
}
`;
  const cases: [string, (t: string) => string][] = [
    // The statement before the edit becomes the model's last, so its name counts as used.
    ['a `}` before the last statement', (t) => t.replace('  add(a, c)', '  } add(a, c)')],
    ['the statements after the edit deleted', (t) => t.replace('  add(a, c)\n', '')],
    ['an `else` after an `if` on the previous line', (t) => t.replace('  c = b | relu', '  if true { relu }\n  c = b | relu').replace('  add(a, c)', '  else { relu }\n  add(a, c)')],
    ['a statement continued by a trailing comma', (t) => t.replace('  c = b | relu', '  c = b | conv 8,\n    k=1')],
  ];
  for (const [name, change] of cases) {
    it(name, () => {
      const analyzer = new DocumentAnalyzer();
      analyzer.analyze(text);
      // Edits near the end, so the analyzer keeps a checkpoint there before the change.
      const at = text.indexOf('add(a, c)');
      analyzer.analyze(`${text.slice(0, at)}add(a, c) ${text.slice(at + 9)}`);
      for (const version of [change(text), text, change(text)]) {
        expect(difference(analyzer.analyze(version), analyze(version))).toBeNull();
      }
    });
  }
});

describe('commonPrefixLength', () => {
  it('finds the first difference at any distance', () => {
    const base = 'abcdefghij'.repeat(2000);
    for (const at of [0, 1, 63, 64, 65, 4095, 4096, 4097, 10_000, 19_999]) {
      const other = `${base.slice(0, at)}#${base.slice(at + 1)}`;
      expect(commonPrefixLength(base, other)).toBe(at);
    }
    expect(commonPrefixLength(base, base)).toBe(base.length);
    expect(commonPrefixLength(base, base.slice(0, 5000))).toBe(5000);
    expect(commonPrefixLength('', base)).toBe(0);
  });
});
