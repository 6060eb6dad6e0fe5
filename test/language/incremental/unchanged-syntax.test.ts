// shiftAnalysis: the analysis of a text whose syntax an edit left as it was,
// from the previous analysis with its spans moved.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/language/analyze';
import { parse } from '../../../src/language/parser';
import { shiftAnalysis, mayKeepSyntax } from '../../../src/language/incremental/unchanged-syntax';

const text = `# A model.
block b(c) {
  conv c, k=3 | relu
  add(y, in)
}
model M {
  input x: 8×16×16
  y = conv 8   # the first
  b(8)
  bad 3
}
`;

function replaced(before: string, start: number, oldLength: number, insert: string) {
  const after = before.slice(0, start) + insert + before.slice(start + oldLength);
  return { after, edit: { start, oldLength, newLength: insert.length } };
}

describe('shiftAnalysis', () => {
  it('moves the spans after a whitespace or comment edit, giving what analyze() gives', () => {
    const edits: [number, number, string][] = [
      [text.indexOf('add(y, in)') + 10, 0, ' '],
      [text.indexOf('conv c'), 0, '  '],
      [text.indexOf('# the first') + 5, 3, 'one'],
      [text.indexOf('# A model') + 2, 1, 'The'],
      [text.indexOf('bad 3') + 3, 1, '   '],
      [text.indexOf('  y = conv'), 0, '\n'],
    ];
    for (const [start, length, insert] of edits) {
      const { after, edit } = replaced(text, start, length, insert);
      const before = analyze(text);
      expect(mayKeepSyntax(text, after, edit, before.program)).toBe(true);
      const shifted = shiftAnalysis(before, after, parse(after), edit);
      expect(shifted, JSON.stringify(edit)).not.toBeNull();
      expect(shifted).toEqual(analyze(after));
    }
  });

  it('declines when the syntax changed', () => {
    const cases: [number, number, string][] = [
      // `b (8)` is not a parenthesized call.
      [text.indexOf('b(8)') + 1, 0, ' '],
      // `conv8` is one name.
      [text.indexOf('conv 8') + 4, 1, ''],
      // A comment's `#` removed.
      [text.indexOf('# the first'), 1, ''],
    ];
    for (const [start, length, insert] of cases) {
      const { after, edit } = replaced(text, start, length, insert);
      expect(shiftAnalysis(analyze(text), after, parse(after), edit), JSON.stringify(edit)).toBeNull();
    }
  });

  it('compares an expression of 50,000 terms without running out of stack', () => {
    const deep = `model M {\n  input x: 3×8×8\n  conv ${Array(50_000).fill('1').join('+')}, k=1\n  relu\n}\n`;
    const { after, edit } = replaced(deep, deep.indexOf('relu'), 0, ' ');
    const shifted = shiftAnalysis(analyze(deep), after, parse(after), edit);
    expect(shifted).not.toBeNull();
    expect(shifted!.diagnostics).toEqual(analyze(after).diagnostics);
  });
});
