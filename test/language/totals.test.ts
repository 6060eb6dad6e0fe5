import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { formatMacsTotal, formatParamsTotal, modelTotals } from '../../src/language/totals';

describe('model totals', () => {
  it('are plain when everything is known', () => {
    const totals = modelTotals(analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3\n}\n'));
    expect(totals).toEqual({ params: 112, macs: 3888, paramsUnknown: 0, macsUnknown: 0, errors: 0 });
    expect(formatParamsTotal(totals, { style: 'compact' })).toBe('112 params');
    expect(formatMacsTotal(totals, { style: 'count' })).toBe('3,888 MACs');
  });

  it('are lower bounds past an error, with the number of unknown layers', () => {
    const totals = modelTotals(analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3, in=2\n  conv 8, k=3\n  relu\n}\n'));
    expect(totals).toMatchObject({ paramsUnknown: 2, macsUnknown: 3, errors: 1 });
    expect(formatParamsTotal(totals, { style: 'compact' })).toBe('≥ 0 params (partial: 2 layers unknown)');
    expect(formatParamsTotal(totals, { style: 'count', unit: false })).toBe('≥ 0 (partial: 2 layers unknown)');
  });

  it('are lower bounds when an error left no layer unknown', () => {
    const totals = modelTotals(analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3\n  batchnrm\n}\n'));
    expect(formatParamsTotal(totals, { style: 'compact' })).toBe('≥ 112 params (partial: 1 error)');
  });
});
