import { describe, expect, it } from 'vitest';
import { cursorContext } from '../../src/language/cursor-context';

/** The context at `‸` in `marked`. */
const at = (marked: string) => cursorContext(marked.replace('‸', ''), marked.indexOf('‸'));

describe('cursorContext', () => {
  it('is a head at a statement’s start, after a pipe, and after a label or targets', () => {
    expect(at('model M {\n  ‸')).toEqual({ kind: 'head', statementStart: true });
    expect(at('model M {\n  co‸')).toEqual({ kind: 'head', statementStart: true });
    expect(at('  x | ‸')).toEqual({ kind: 'head', statementStart: false });
    expect(at('  stem: ‸')).toEqual({ kind: 'head', statementStart: false });
    expect(at('  a, b = ‸')).toEqual({ kind: 'head', statementStart: false });
    expect(at('  relu; ‸')).toEqual({ kind: 'head', statementStart: true });
  });

  it('is an argument inside a call, with the keyword being typed and those given', () => {
    expect(at('  conv ‸')).toEqual({ kind: 'argument', callee: 'conv', name: undefined, atArgumentStart: true, positionalIndex: 0, given: [] });
    expect(at('  y = conv 8, k=3, padding=‸')).toEqual({ kind: 'argument', callee: 'conv', name: 'padding', atArgumentStart: false, positionalIndex: 1, given: ['k'] });
    expect(at('  x | proj(8, str‸')).toEqual({ kind: 'argument', callee: 'proj', name: undefined, atArgumentStart: true, positionalIndex: 1, given: [] });
    expect(at('  conv 2, k=3, weights=[sobel_x, ‸')).toMatchObject({ kind: 'argument', callee: 'conv', name: 'weights' });
  });

  it('is nothing after a closed call, or inside a comment or a string', () => {
    expect(at('  proj(8)‸')).toEqual({ kind: 'none' });
    expect(at('  conv 8  # k=‸')).toEqual({ kind: 'none' });
    expect(at('  weights "a, ‸')).toEqual({ kind: 'none' });
    expect(at('  weights "a\\"‸')).toEqual({ kind: 'none' });
  });

  it('is an argument again after a closed string, even one ending in an escaped backslash', () => {
    expect(at('  f "a\\\\" ‸')).toMatchObject({ kind: 'argument', callee: 'f', positionalIndex: 0, atArgumentStart: false });
  });

  it('is an expression after a statement keyword; after an input’s shape, its keyword arguments', () => {
    expect(at('  repeat ‸')).toEqual({ kind: 'expression', keyword: 'repeat' });
    expect(at('  let n = 2 * ‸')).toEqual({ kind: 'expression', keyword: 'let' });
    expect(at('  input x: 3×‸')).toEqual({ kind: 'expression', keyword: 'input' });
    expect(at('  input x: 3x224x224, normalize=‸')).toMatchObject({ kind: 'argument', callee: 'input', name: 'normalize' });
  });

  it('follows a statement onto lines that continue it: after `,` or `|`, or inside brackets', () => {
    expect(at('  conv 8,\n    k=3, ‸')).toMatchObject({ kind: 'argument', callee: 'conv', positionalIndex: 1, given: ['k'] });
    expect(at('  x\n  | ‸')).toEqual({ kind: 'head', statementStart: false });
    expect(at('  x |\n    ‸')).toEqual({ kind: 'head', statementStart: false });
    expect(at('  add(a,\n    ‸')).toMatchObject({ kind: 'argument', callee: 'add', positionalIndex: 1 });
    expect(at('  conv 8\n  ‸')).toEqual({ kind: 'head', statementStart: true });
  });

  it('reads line breaks as the lexer does: CRLF and CR continue a statement too', () => {
    expect(at('  conv 8,\r\n    k=3, ‸')).toMatchObject({ kind: 'argument', callee: 'conv', positionalIndex: 1, given: ['k'] });
    expect(at('  conv 8,\r    k=3, ‸')).toMatchObject({ kind: 'argument', callee: 'conv', positionalIndex: 1, given: ['k'] });
  });

  it('skips comments on earlier lines, whatever brackets or braces they hold', () => {
    expect(at('  conv 8,   # the stem\n    k=3, ‸')).toMatchObject({ kind: 'argument', callee: 'conv', positionalIndex: 1, given: ['k'] });
    expect(at('  conv 8,   # see {} and (\n    k=3, ‸')).toMatchObject({ kind: 'argument', callee: 'conv', positionalIndex: 1, given: ['k'] });
  });

  it('starts the statement after a brace or semicolon inside a string only as the lexer would', () => {
    expect(at('  weights "a;{b"; conv ‸')).toMatchObject({ kind: 'argument', callee: 'conv' });
    expect(at('  f "a;{b", ‸')).toMatchObject({ kind: 'argument', callee: 'f', positionalIndex: 1 });
  });

  it('answers at every offset of a hostile text without throwing', () => {
    const text = '"\\\r\n#(\n[{;,|\u00a0\uFEFF×x3x3 !@ )]\r';
    for (let offset = 0; offset <= text.length; offset++) expect(() => cursorContext(text, offset)).not.toThrow();
  });
});
