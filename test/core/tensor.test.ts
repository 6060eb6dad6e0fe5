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

describe('tensor arguments are checked', () => {
  it('rejects data shorter or longer than the shape, even as a Float32Array', () => {
    expect(() => asTensor({ shape: [1, 4, 4], data: new Float32Array(9) }, 'conv input')).toThrow(new RangeError('conv input: shape [1, 4, 4] needs 16 values, got 9'));
    expect(() => tensor([2, 2], new Float32Array(5))).toThrow(RangeError);
  });

  it('rejects sizes that are not whole numbers ≥ 0 with a RangeError instead of "Invalid typed array length"', () => {
    expect(() => tensor([2, -1])).toThrow(new RangeError('tensor: shape[1] must be a whole number ≥ 0, got -1'));
    expect(() => tensor([1.5])).toThrow(RangeError);
    expect(() => tensor([NaN])).toThrow(RangeError);
    expect(() => tensor([Infinity])).toThrow(RangeError);
    expect(() => tensor([65536, 65536])).toThrow('more than the limit of 2147483648');
    expect(() => reshape(tensor([4]), [2, -2])).toThrow(RangeError);
  });

  it('rejects values of the wrong kind with a TypeError', () => {
    expect(() => tensor('3x3' as unknown as number[])).toThrow(new TypeError('tensor: shape must be an array of sizes, got string 3x3'));
    expect(() => asTensor(null as unknown as { shape: number[]; data: Float32Array })).toThrow(TypeError);
    expect(() => asTensor({ shape: [2], data: 7 as unknown as Float32Array })).toThrow(TypeError);
    expect(() => tensor(['2'] as unknown as number[])).toThrow(TypeError);
  });
});
