import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/language/text-change';

describe('applyChanges', () => {
  it('applies replacements, deletions and insertions given in any order', () => {
    const text = 'conv 8, k=3';
    expect(
      applyChanges(text, [
        { span: { start: 10, end: 11 }, newText: '5' },
        { span: { start: 0, end: 0 }, newText: 'flatten | ' },
        { span: { start: 4, end: 6 }, newText: ' 16' },
      ]),
    ).toBe('flatten | conv 16, k=5');
  });

  it('keeps insertions at one offset in the order given, as an LSP client does', () => {
    expect(applyChanges('ab', [{ span: { start: 1, end: 1 }, newText: 'X' }, { span: { start: 1, end: 1 }, newText: 'Y' }])).toBe('aXYb');
  });

  it('leaves the text alone without changes', () => {
    expect(applyChanges('relu', [])).toBe('relu');
  });
});
