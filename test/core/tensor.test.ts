import { describe, expect, it } from 'vitest';
import { asTensor, numel, reshape, tensor, zeros } from '../../src/core/tensor';

// Exact: no floating-point arithmetic here.

describe('tensor helpers', () => {
  it('numel of [3,4,5] is 60, of [] is 1', () => {
    expect(numel([3, 4, 5])).toBe(60);
    expect(numel([])).toBe(1);
  });

  it('tensor copies number arrays into a Float32Array and keeps Float32Arrays', () => {
    const t = tensor([2], [1.5, 2]);
    expect(t.data).toBeInstanceOf(Float32Array);
    const data = new Float32Array(2);
    expect(tensor([2], data).data).toBe(data);
  });

  it('tensor rejects a length mismatch', () => {
    expect(() => tensor([2, 2], [1, 2, 3])).toThrow(/needs 4 values/);
  });

  it('zeros is zero-filled', () => {
    expect([...zeros([2, 2]).data]).toEqual([0, 0, 0, 0]);
  });

  it('asTensor accepts {shape, data} with plain arrays', () => {
    expect(asTensor({ shape: [2], data: [3, 4] }).data).toEqual(new Float32Array([3, 4]));
  });

  it('reshape shares the data', () => {
    const t = tensor([2, 3]);
    expect(reshape(t, [6]).data).toBe(t.data);
    expect(() => reshape(t, [5])).toThrow(/cannot view/);
  });
});
