import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { summaryJson, summaryTable } from '../../src/language/summary';

const SPEC = `model Tiny {
  input x: 3×32×32
  conv 16, k=3, padding=1
  relu
  gap
  flatten
  linear 10
}
`;

describe('summary', () => {
  it('renders a fixed-width table with totals', () => {
    const table = summaryTable(analyze(SPEC));
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('Tiny: input x 3×32×32');
    expect(lines).toContain('conv1     conv     16×32×32         448  442,368');
    expect(lines).toContain('linear1   linear   10               170      160');
    expect(table).toContain('Total params: 618');
    expect(table).toContain('Total MACs:   442,528 (443 K)');
    expect(table).toContain('Output:       10');
  });

  it('renders a table of 130,000 layers (the column widths are not a spread of every row)', () => {
    const table = summaryTable(analyze(`model Deep {\n  input x: 1×4×4\n${'  relu\n'.repeat(130_000)}}\n`));
    expect(table).toMatch(/^relu130000 +relu +1×4×4 +0 +0$/m);
  });

  it('uses the ASCII notation on request', () => {
    expect(summaryTable(analyze(SPEC), { notation: 'x' })).toContain('16x32x32');
  });

  it('gives JSON with 1-based lines and columns', () => {
    const json = summaryJson(analyze(SPEC.replace('relu', 'relu\n  linear 5')));
    expect(json.layers[0]).toMatchObject({ name: 'conv1', line: 3, outputShape: [16, 32, 32], params: 448 });
    expect(json.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'linear-needs-flat', line: 5, column: 3 }),
    ]);
  });

  it('says when a file has no model', () => {
    expect(summaryTable(analyze('# nothing here\n'))).toBe('No model in this file.\n');
  });
});

describe('summary past an error', () => {
  it('marks the total params as a lower bound, with how many layers are unknown', () => {
    expect(summaryTable(analyze('model M {\n  input x: 3×32×32\n  s = conv 16, k=3, padding=1\n  conv 32, k=3, in=8\n  relu\n  conv 64, k=3, padding=1, in=32\n  batchnorm\n  batchnorm c=64\n  s | conv 8, k=1\n}\n'))).toContain('Total params: ≥ 19,208 (partial: 2 layers unknown)');
  });
});
