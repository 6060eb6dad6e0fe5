import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/language/line-index';

describe('LineIndex (the server edge: offsets to LSP positions)', () => {
  it('splits lines at \\n, \\r\\n and a lone \\r', () => {
    const lines = new LineIndex('a\nbb\r\nccc\rd');
    expect(lines.lineCount).toBe(4);
    expect([0, 1, 2, 3].map((l) => [lines.lineStart(l), lines.lineEnd(l)])).toEqual([
      [0, 1],
      [2, 4],
      [6, 9],
      [10, 11],
    ]);
    expect(lines.positionAt(7)).toEqual({ line: 2, character: 1 });
    expect(lines.positionAt(10)).toEqual({ line: 3, character: 0 });
  });

  it('counts a trailing line break as starting an empty last line', () => {
    const lines = new LineIndex('x\r\n');
    expect(lines.lineCount).toBe(2);
    expect(lines.positionAt(3)).toEqual({ line: 1, character: 0 });
  });

  it('measures characters in UTF-16 code units: emoji and CJK in comments', () => {
    const text = '# 🙂 卷积\nconv 64';
    const lines = new LineIndex(text);
    const conv = text.indexOf('conv');
    expect(lines.positionAt(conv)).toEqual({ line: 1, character: 0 });
    // 🙂 is two code units, each CJK character one.
    expect(lines.positionAt(text.indexOf('卷'))).toEqual({ line: 0, character: 5 });
    expect(lines.offsetAt({ line: 0, character: 7 })).toBe(text.indexOf('\n'));
  });

  it('keeps an offset inside \\r\\n on the line the break ends', () => {
    const lines = new LineIndex('ab\r\ncd');
    expect(lines.positionAt(3)).toEqual({ line: 0, character: 2 });
  });

  it('clamps positions past a line or the document, as the LSP asks', () => {
    const lines = new LineIndex('ab\r\ncd');
    expect(lines.offsetAt({ line: 0, character: 99 })).toBe(2);
    expect(lines.offsetAt({ line: 9, character: 0 })).toBe(6);
    expect(lines.offsetAt({ line: -1, character: 3 })).toBe(0);
    expect(lines.positionAt(99)).toEqual({ line: 1, character: 2 });
    expect(lines.positionAt(-5)).toEqual({ line: 0, character: 0 });
  });

  it('round-trips every offset of a mixed document', () => {
    const text = 'model M {\r\n  input x: 3×8×8 # 🙂\r  relu\n}\n';
    const lines = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const ch = text[offset - 1];
      const inBreak = ch === '\r' && text[offset] === '\n';
      if (inBreak) continue;
      expect(lines.offsetAt(lines.positionAt(offset))).toBe(offset);
    }
  });

  it('converts spans to ranges and back', () => {
    const text = 'a\r\nconv 64\n';
    const lines = new LineIndex(text);
    const span = { start: 3, end: 10 };
    const range = lines.range(span);
    expect(range).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
    expect(lines.span(range)).toEqual(span);
  });
});
