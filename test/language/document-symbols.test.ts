import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { documentSymbols, type OutlineSymbol } from '../../src/language/document-symbols';
import type { Analysis } from '../../src/language/types';

const sample = (name: string) => readFileSync(join(__dirname, '../../samples', name), 'utf8');

/** Each entry's span holds its name's span and its children's spans. */
function wellFormed(symbol: OutlineSymbol): void {
  const inside = (outer: OutlineSymbol['span'], inner: OutlineSymbol['span']) => outer.start <= inner.start && inner.end <= outer.end;
  expect(inside(symbol.span, symbol.selectionSpan), symbol.name).toBe(true);
  for (const child of symbol.children ?? []) {
    expect(inside(symbol.span, child.span), `${child.name} in ${symbol.name}`).toBe(true);
    wellFormed(child);
  }
}

describe('documentSymbols', () => {
  it('outlines blocks with their parameters, and the model with its input, lets, labels, named tensors and layers', () => {
    const text = 'block proj(c, stride=1) {\n  conv c, k=1, stride=stride\n}\nmodel M {\n  input x: 3×8×8\n  let w = 2 * 4\n  stem: conv w, k=3 | relu\n  y = relu\n  proj(8)\n}\n';
    const [block, model] = documentSymbols(analyze(text), 'x');
    expect([block.name, block.kind, block.detail]).toEqual(['proj', 'block', '(c, stride)']);
    expect(block.children?.map((c) => [c.name, c.kind, c.detail])).toEqual([
      ['c', 'parameter', 'parameter'],
      ['stride', 'parameter', 'parameter'],
      ['conv c, k=1, stride=stride', 'layer', '8x6x6'],
    ]);
    expect(model.kind).toBe('model');
    expect(model.detail).toMatch(/^3x8x8 → 8x6x6 · \d+ params$/);
    expect(model.children?.map((c) => [c.name, c.kind, c.detail])).toEqual([
      ['x', 'input', '3x8x8'],
      ['w', 'let', '2 * 4'],
      ['stem', 'label', 'conv | relu → 8x6x6'],
      ['y', 'tensor', '8x6x6'],
      ['proj(8)', 'layer', '8x6x6'],
    ]);
    expect(text.slice(model.children![2].selectionSpan.start, model.children![2].selectionSpan.end)).toBe('stem');
    for (const s of [block, model]) wellFormed(s);
  });

  it('cuts a long unnamed layer’s name', () => {
    const text = `model M {\n  input x: 3×8×8\n  conv 8, k=3, ${Array(30).fill('padding=0').join(', ')}\n}\n`;
    const name = documentSymbols(analyze(text), '×')[0].children![1].name;
    expect(name.length).toBe(60);
    expect(name.endsWith('…')).toBe(true);
  });

  it('gives every sample a well-formed outline', () => {
    for (const name of ['resnet50.cnn', 'mobilenet_v2.cnn', 'broken.cnn', 'edges.cnn', 'unet.cnn']) {
      const symbols = documentSymbols(analyze(sample(name)), '×');
      expect(symbols.length, name).toBeGreaterThan(0);
      for (const s of symbols) wellFormed(s);
    }
  });
});

describe('document symbols on large documents', () => {
  /** An analysis whose arrays count how many of their elements are read. */
  function counted(analysis: Analysis): { analysis: Analysis; reads: () => number } {
    let reads = 0;
    const count = <T extends object>(array: readonly T[]): readonly T[] =>
      new Proxy(array, {
        get(target, property, receiver) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
    return { analysis: { ...analysis, symbols: count(analysis.symbols), layers: count(analysis.layers), calls: count(analysis.calls) }, reads: () => reads };
  }

  it('reads each symbol and layer a bounded number of times, however many named tensors there are', () => {
    for (const n of [1000, 4000]) {
      const lines = Array.from({ length: n }, (_, i) => `  t${i} = ${i === 0 ? 'x' : `t${i - 1}`} | relu`);
      const text = `model M {\n  input x: 3×8×8\n${lines.join('\n')}\n}\n`;
      const { analysis, reads } = counted(analyze(text));
      const symbols = documentSymbols(analysis, '×');
      expect(symbols[0].children).toHaveLength(n + 1);
      expect(symbols[0].children![n].detail).toBe('3×8×8');
      // Each element once to build the maps; a search per name would read about n²/2.
      expect(reads()).toBeLessThanOrEqual(2 * (analysis.symbols.length + analysis.layers.length + analysis.calls.length));
    }
  });
});
