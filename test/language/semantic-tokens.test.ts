import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { semanticTokens } from '../../src/language/semantic-tokens';

const tokens = (text: string) => semanticTokens(analyze(text)).map((t) => [text.slice(t.span.start, t.span.end), t.type, ...t.modifiers].join(' '));

describe('semanticTokens', () => {
  it('classifies blocks, parameters, tensors, lets, layer kinds, argument names and kernel names, in order', () => {
    const text = 'block proj(c) {\n  conv c, k=1\n}\nmodel M {\n  input x: 1×8×8\n  let w = 4\n  edges = conv w, k=3, padding=same, weights=sobel_x\n  proj(2)\n}\n';
    expect(tokens(text)).toEqual([
      'proj function declaration',
      'c parameter declaration',
      'conv function defaultLibrary',
      'c parameter',
      'k parameter',
      'M class declaration',
      'x variable declaration',
      'w variable readonly declaration',
      'edges variable declaration',
      'conv function defaultLibrary',
      'w variable readonly',
      'k parameter',
      'padding parameter',
      'same enumMember',
      'weights parameter',
      'sobel_x enumMember',
      'proj function',
    ]);
  });

  it('marks an argument’s allowed values, inside lists too', () => {
    expect(tokens('model M {\n  input x: 1×8×8\n  upsample 2, mode=bilinear\n  conv 2, k=3, weights=[sobel_x, laplacian]\n}\n')).toEqual(
      expect.arrayContaining(['bilinear enumMember', 'sobel_x enumMember', 'laplacian enumMember']),
    );
  });

  it('keeps a tensor that shares a kernel’s name a variable', () => {
    const text = 'model M {\n  input x: 1×8×8\n  box = conv 1, k=3\n  add(box, box)\n}\n';
    expect(tokens(text).filter((t) => t.startsWith('box'))).toEqual(['box variable declaration', 'box variable', 'box variable']);
  });

  it('gives no two tokens the same start, and sorts them', () => {
    const text = 'model M {\n  input x: 1×8×8\n  y = conv 4, k=3 | relu\n  y | relu\n}\n';
    const starts = semanticTokens(analyze(text)).map((t) => t.span.start);
    expect(starts).toEqual([...new Set(starts)].sort((a, b) => a - b));
  });
});
