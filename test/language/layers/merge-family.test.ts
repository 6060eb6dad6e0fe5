import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/language/analyze';

describe('merges', () => {
  const model = (body: string) => analyze(`model M {\n input x: 16×8×8\n${body}\n}`);
  it('mul broadcasts a C×1×1 gate over C×H×W (squeeze-and-excitation)', () => {
    const a = model(' f = conv 16, k=3, padding=1\n g = gap | conv 4, k=1 | relu | conv 16, k=1 | sigmoid\n mul(f, g)');
    expect(a.diagnostics).toEqual([]);
    expect(a.layers.at(-1)?.outputShape).toEqual([16, 8, 8]);
  });
  it('concat adds channels and needs equal spatial sizes', () => {
    expect(model(' a = conv 8, k=1\n b = x | conv 24, k=3, padding=1\n concat(a, b, x)').layers.at(-1)?.outputShape).toEqual([48, 8, 8]);
    expect(model(' a = conv 8, k=3\n concat(a, x)').diagnostics.map((d) => d.code)).toEqual(['concat-mismatch']);
  });
  it('add with one name adds it to the current tensor', () => {
    const a = model(' conv 16, k=3, padding=1\n add x');
    expect(a.diagnostics).toEqual([]);
    expect(a.layers.at(-1)?.inputs).toEqual([0, -1]);
  });
});
