import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { foldingRanges } from '../../src/language/folding';
import { LineIndex } from '../../src/language/line-index';

/** The folds as [start, end, kind], sorted by start line. */
const folds = (text: string) =>
  foldingRanges(analyze(text), new LineIndex(text))
    .map((f) => [f.startLine, f.endLine, f.kind ?? 'body'])
    .sort((a, b) => Number(a[0]) - Number(b[0]));

describe('foldingRanges', () => {
  it('folds a body up to the line before its closing brace, and nested repeat, if and else bodies', () => {
    const text = 'model M {\n  input x: 3×8×8\n  repeat 2 {\n    relu\n    relu\n  }\n  if true {\n    relu\n    relu\n  } else {\n    relu\n  }\n}\n';
    expect(folds(text)).toEqual([
      [0, 11, 'body'],
      [2, 4, 'body'],
      [6, 8, 'body'],
      [9, 10, 'body'],
    ]);
  });

  it('does not fold a body on one line, a single comment line or a trailing comment', () => {
    expect(folds('# one\nmodel M { input x: 3×8×8 }   # after\n')).toEqual([]);
  });

  it('folds runs of whole-line comments and regions; a trailing comment breaks a run', () => {
    const text = '# a\n# b\nmodel M {\n  input x: 3×8×8\n  # region stem\n  relu  # c\n  # d\n  # e\n  # endregion\n}\n';
    expect(folds(text)).toEqual([
      [0, 1, 'comment'],
      [2, 8, 'body'],
      [4, 8, 'region'],
      [6, 7, 'comment'],
    ]);
  });

  it('ignores an endregion without a region', () => {
    expect(folds('# endregion\n# region\nmodel M {\n  input x: 3×8×8\n}\n# endregion\n')).toEqual([
      [1, 5, 'region'],
      [2, 3, 'body'],
    ]);
  });
});
