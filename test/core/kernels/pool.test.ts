import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool, adaptiveMaxPool, avgPool, globalAvgPool, maxPool, type AdaptiveSize, type AvgPoolOptions, type MaxPoolOptions } from '../../../src/core/kernels/pool';
import { tensor } from '../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../golden';

// Pooling tolerance: relative 1e-5, |a − b| ≤ 1e-5·max(1, |b|) (max pooling is exact; averages round).
const RTOL = 1e-5;

describe('pooling: PyTorch goldens (rtol 1e-5)', () => {
  const golden = loadGolden('pool');
  for (const c of golden.cases) {
    it(c.name, () => {
      const x = input(c, 'x');
      let y;
      switch (c.op) {
        case 'maxPool': y = maxPool(x, c.config as unknown as MaxPoolOptions); break;
        case 'avgPool': y = avgPool(x, c.config as unknown as AvgPoolOptions); break;
        case 'adaptiveAvgPool': y = adaptiveAvgPool(x, c.config.outputSize as AdaptiveSize); break;
        case 'adaptiveMaxPool': y = adaptiveMaxPool(x, c.config.outputSize as AdaptiveSize); break;
        case 'globalAvgPool': y = globalAvgPool(x); break;
        default: throw new Error(`unknown op ${c.op}`);
      }
      expectClose(y, single(c), RTOL);
    });
  }
});

describe('pooling: hand-computed cases (exact)', () => {
  const x4 = tensor([1, 4, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);

  it('x=[1,4,4] k=2 s=2 maxPool picks each block maximum', () => {
    expect([...maxPool(x4, { kernel: 2 }).data]).toEqual([6, 8, 14, 16]);
  });

  it('x=[1,4,4] k=2 s=2 avgPool averages each block', () => {
    expect([...avgPool(x4, { kernel: 2 }).data]).toEqual([3.5, 5.5, 11.5, 13.5]);
  });

  it('x=[1,5] k=2 s=2 ceil=true: the extra window holds one sample', () => {
    const x = tensor([1, 5], [1, 2, 3, 4, 5]);
    expect([...maxPool(x, { kernel: 2, ceilMode: true }).data]).toEqual([2, 4, 5]);
    // With ceil mode the last window is clipped to the input (no padding), so it divides by 1.
    expect([...avgPool(x, { kernel: 2, ceilMode: true }).data]).toEqual([1.5, 3.5, 5]);
  });

  it('x=[1,3] k=3 s=1 p=1 avgPool: countIncludePad divides by 3, otherwise by the real count', () => {
    const x = tensor([1, 3], [3, 6, 9]);
    expect([...avgPool(x, { kernel: 3, stride: 1, padding: 1 }).data]).toEqual([3, 6, 5]);
    expect([...avgPool(x, { kernel: 3, stride: 1, padding: 1, countIncludePad: false }).data]).toEqual([4.5, 6, 7.5]);
  });

  it('x=[1,3] k=3 s=1 p=1 maxPool: padding never wins over negative values', () => {
    expect([...maxPool(tensor([1, 3], [-3, -2, -1]), { kernel: 3, stride: 1, padding: 1 }).data]).toEqual([-2, -1, -1]);
  });

  it('x=[1,5] adaptiveAvgPool out=3: bins [0,2) [1,4) [3,5)', () => {
    expect([...adaptiveAvgPool(tensor([1, 5], [1, 2, 3, 4, 5]), 3).data]).toEqual([1.5, 3, 4.5]);
  });

  it('x=[2,2,2] globalAvgPool keeps the rank', () => {
    const y = globalAvgPool(tensor([2, 2, 2], [1, 2, 3, 4, 0, 0, 0, 8]));
    expect(y.shape).toEqual([2, 1, 1]);
    expect([...y.data]).toEqual([2.5, 2]);
  });
});
