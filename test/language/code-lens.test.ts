import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { codeLenses } from '../../src/language/code-lens';

describe('codeLenses', () => {
  it('puts the model’s totals above it, opening the summary, and call counts above blocks', () => {
    const text = readFileSync(join(__dirname, '../../samples/resnet18.cnn'), 'utf8');
    const lenses = codeLenses(analyze(text), 'x');
    expect(lenses.map((l) => [text.slice(l.span.start, l.span.end), l.title, l.opensSummary])).toEqual([
      ['basic', '2 call sites, 8 runs', false],
      ['stage', '4 call sites, 4 runs', false],
      ['ResNet18', '3x224x224 → 1000 · 11.7M params · 1.81G MACs', true],
    ]);
  });

  it('says a block is not called, and one call site runs once', () => {
    const text = 'block a(c) {\n  conv c, k=1\n}\nblock b {\n  relu\n}\nmodel M {\n  input x: 3×8×8\n  b\n}\n';
    expect(codeLenses(analyze(text), '×').map((l) => l.title).slice(0, 2)).toEqual(['not called', '1 call site, 1 run']);
  });

  it('has no model lens without a model', () => {
    expect(codeLenses(analyze('block b {\n  relu\n}\n'), '×').map((l) => l.opensSummary)).toEqual([false]);
  });
});
