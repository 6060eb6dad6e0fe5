// An edit inside one model statement: DocumentAnalyzer stops after that
// statement when the state there is the previous version's, and reuses the
// rest of the previous analysis (src/language/incremental/continuation.ts). Every version is
// compared with a fresh analyze(); the reuse itself is seen in the layers
// after the edited statement, which are then the previous analysis's (or
// copies of them sharing their argument records, when spans moved).
import { describe, expect, it } from 'vitest';
import { generateSpec } from '../../../bench/generate-spec.mjs';
import { analyze } from '../../../src/language/analyze';
import { DocumentAnalyzer } from '../../../src/language/incremental/document-analyzer';
import type { Analysis } from '../../../src/language/types';
import { difference, expectSameAnalysis, random, samples } from '../same-analysis';

/** Whether `next` took its last layer from `previous` rather than making it. */
function reusedRest(previous: Analysis, next: Analysis): boolean {
  const a = previous.layers[previous.layers.length - 1];
  const b = next.layers[next.layers.length - 1];
  return a !== undefined && b !== undefined && a.args === b.args && a.inputShapes === b.inputShapes;
}

/** The lines of the model body that hold a statement on their own (not a brace or a comment). */
function statementLines(text: string): { start: number; end: number }[] {
  const model = text.search(/^model /m);
  const lines: { start: number; end: number }[] = [];
  let start = text.indexOf('\n', model) + 1;
  while (start > 0 && start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (/^\s+[a-z]/i.test(line) && !/[{}]/.test(line)) lines.push({ start, end: end < 0 ? text.length : end });
    start = end + 1;
  }
  return lines;
}

const TYPED = ['0', '1', '2', '3', '8', '64', ', ', 'k=', 'stride=2', ' | relu', 'x', '=', '(', ')', ' ', 'padding=same', 'bias=false', 'y'];

/** Edits inside one line, as typing there makes them: digits changed, text typed, characters deleted. */
function editInLine(text: string, line: { start: number; end: number }, next: () => number): { text: string; line: { start: number; end: number } } {
  const at = line.start + 2 + Math.floor(next() * Math.max(1, line.end - line.start - 2));
  const choice = next();
  let removed = 0;
  let inserted = '';
  if (choice < 0.4) {
    // A digit changed where there is one, as in the LSP benchmark.
    const digit = text.slice(at).search(/\d/);
    if (digit >= 0 && at + digit < line.end) {
      const where = at + digit;
      const replacement = String(Math.floor(next() * 10));
      return { text: text.slice(0, where) + replacement + text.slice(where + 1), line };
    }
    inserted = String(Math.floor(next() * 10));
  } else if (choice < 0.75) {
    inserted = TYPED[Math.floor(next() * TYPED.length)];
  } else {
    removed = Math.min(line.end - at, 1 + Math.floor(next() * 3));
  }
  return { text: text.slice(0, at) + inserted + text.slice(at + removed), line: { start: line.start, end: line.end + inserted.length - removed } };
}

/** Edits kept inside random statement lines, each version checked; returns how many reused the rest. */
function runInStatements(start: string, seed: number, lines: number, editsPerLine: number, where: string): { versions: number; reused: number } {
  const next = random(seed);
  const analyzer = new DocumentAnalyzer();
  let previous = analyzer.analyze(start);
  let versions = 0;
  let reused = 0;
  for (let l = 0; l < lines; l++) {
    let text = start;
    const candidates = statementLines(text);
    let line = candidates[Math.floor(next() * candidates.length)];
    for (let i = 0; i < editsPerLine; i++) {
      ({ text, line } = editInLine(text, line, next));
      const analysis = analyzer.analyze(text);
      expectSameAnalysis(analysis, analyze(text), next, `${where} seed ${seed} line ${l} edit ${i}`);
      versions++;
      if (reusedRest(previous, analysis)) reused++;
      previous = analysis;
    }
  }
  return { versions, reused };
}

describe('DocumentAnalyzer after edits inside one model statement', () => {
  it('gives a fresh analyze() result over edits typed inside statements of the samples, reusing the rest where the state after is the same', () => {
    let seed = 7000;
    let versions = 0;
    let reused = 0;
    for (const sample of samples) {
      const counts = runInStatements(sample.text, seed++, 8, 12, sample.name);
      versions += counts.versions;
      reused += counts.reused;
    }
    // Many edits change the state (a channel count, a name, a syntax error): those run on. The rest reuse.
    expect(reused).toBeGreaterThan(versions * 0.15);
    expect(reused).toBeLessThan(versions);
  });

  it('gives a fresh analyze() result over edits typed inside statements of generated specs', () => {
    let versions = 0;
    let reused = 0;
    for (let seed = 7100; seed < 7106; seed++) {
      const counts = runInStatements(generateSpec(12_000), seed, 6, 15, 'generated 12 KB');
      versions += counts.versions;
      reused += counts.reused;
    }
    const big = runInStatements(generateSpec(130_000), 7200, 3, 15, 'generated 130 KB');
    expect(reused + big.reused).toBeGreaterThan((versions + big.versions) * 0.15);
  });

  const text = `block pair(c) {
  y = conv c, k=3, padding=1
  z = y | conv c, k=1
  add(y, z)
}
model M {
  input x: 8×16×16, normalize=none
  a = conv 8, k=3, padding=1
  dropout 0.1
  b = a | relu
  pair(8)
  unused = conv 8, k=1
  c = b | conv 8, k=1
  stem: conv 8, k=1
  repeat 2 { pair(8) }
  add(a, c)
  gap
}
`;
  /** `from` replaced by `to` where it first occurs. */
  const cases: [string, string, string, boolean][] = [
    // [what, from, to, whether the rest is reused]
    ['a dropout rate: the same state after it', 'dropout 0.1', 'dropout 0.25', true],
    ['a conv that keeps its output shape but not its parameters', 'a = conv 8, k=3, padding=1', 'a = conv 8, k=3, padding=1, bias=false', true],
    ['a block call with another argument, the same output shape', 'pair(8)', 'pair(c=8)', true],
    ['a conv whose output shape changes', 'a = conv 8, k=3, padding=1', 'a = conv 16, k=3, padding=1', false],
    ['a name the rest uses', 'b = a | relu', 'bb = a | relu', false],
    ['a syntax error', 'b = a | relu', 'b = a | relu(', false],
    ['a layer that reports an error', 'dropout 0.1', 'dropout 1.5', false],
    ['the name of an unused tensor', 'unused = conv 8', 'unused2 = conv 8', false],
    ['a label', 'stem: conv 8', 'root: conv 8', false],
  ];
  for (const [what, from, to, reuses] of cases) {
    it(`${what}: ${reuses ? 'reuses the rest' : 'runs on'}, and equals a fresh analyze()`, () => {
      const changed = text.replace(from, to);
      expect(changed).not.toBe(text);
      // Typed one character at a time, so each version is an edit inside the same statement.
      const analyzer = new DocumentAnalyzer();
      analyzer.analyze(text);
      for (const version of typing(text, text.indexOf(from), from, to)) {
        expect(difference(analyzer.analyze(version), analyze(version)), version).toBeNull();
      }
      // Back and forth: the second edit finds the state the first left after the statement.
      // (An analysis is checked before the next call, which may take its syntax tree.)
      const back = analyzer.analyze(text);
      expect(difference(back, analyze(text))).toBeNull();
      const forth = analyzer.analyze(changed);
      expect(difference(forth, analyze(changed))).toBeNull();
      expect(reusedRest(back, forth)).toBe(reuses);
    });
  }

  it('names a later label as a fresh run does after a label edit inside a repeat (the labels taken are state)', () => {
    // The edited statement names its layer from the label and binds no label symbol: only the
    // frame's taken labels tell whether the later `a:` is `a` or `a_2`.
    const labelled = `model M {
  input x: 8×16×16
  repeat 1 { a: y = relu6; relu }
  a: conv 8
}
`;
    const at = labelled.indexOf('a: y') + 1;
    const renamed = labelled.slice(0, at) + 'b' + labelled.slice(at);
    const analyzer = new DocumentAnalyzer();
    analyzer.analyze(labelled);
    for (const version of [renamed, labelled, renamed, labelled]) {
      const analysis = analyzer.analyze(version);
      expect(difference(analysis, analyze(version)), version).toBeNull();
      expect(analysis.layers.at(-1)!.name).toBe(version === labelled ? 'a_2' : 'a');
    }
  });

  it('moves the reused spans when the edit changes the text length, and keeps totals exact', () => {
    const analyzer = new DocumentAnalyzer();
    analyzer.analyze(text);
    const first = analyzer.analyze(text.replace('dropout 0.1', 'dropout 0.2'));
    const lastStart = first.layers.at(-1)!.span.start;
    const second = analyzer.analyze(text.replace('dropout 0.1', 'dropout 0.25'));
    expect(reusedRest(first, second)).toBe(true);
    const fresh = analyze(second.text);
    expect(second.layers.at(-1)!.span).toEqual(fresh.layers.at(-1)!.span);
    expect(second.layers.at(-1)!.span.start).toBe(lastStart + 1);
    expect(second.model!.totalParams).toBe(fresh.model!.totalParams);
    expect(difference(second, fresh)).toBeNull();
  });
});

/** The versions typing `to` over `from` at `at` goes through: `from` deleted from its end, then `to` typed. */
function typing(text: string, at: number, from: string, to: string): string[] {
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  const versions: string[] = [];
  for (let i = from.length - 1; i >= common; i--) versions.push(text.slice(0, at) + from.slice(0, i) + text.slice(at + from.length));
  for (let i = common + 1; i <= to.length; i++) versions.push(text.slice(0, at) + to.slice(0, i) + text.slice(at + from.length));
  return versions;
}
