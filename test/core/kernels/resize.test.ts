import { describe, expect, it } from 'vitest';
import { upsample, type UpsampleOptions } from '../../../src/core/kernels/resize';
import { tensor } from '../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../golden';

// Upsampling tolerance: relative 1e-5, |a − b| ≤ 1e-5·max(1, |b|).
const RTOL = 1e-5;

describe('upsample: PyTorch goldens (rtol 1e-5)', () => {
  const golden = loadGolden('resize');
  for (const c of golden.cases) {
    it(c.name, () => {
      expectClose(upsample(input(c, 'x'), c.config as unknown as UpsampleOptions), single(c), RTOL);
    });
  }
});

describe('upsample: hand-computed cases (exact)', () => {
  it('x=[1,2] nearest scale=2 repeats each sample', () => {
    expect([...upsample(tensor([1, 2], [1, 2]), { mode: 'nearest', scale: 2 }).data]).toEqual([1, 1, 2, 2]);
  });

  it('x=[1,2] linear scale=2 (align_corners=false): 1, 1.25, 1.75, 2', () => {
    expect([...upsample(tensor([1, 2], [1, 2]), { mode: 'linear', scale: 2 }).data]).toEqual([1, 1.25, 1.75, 2]);
  });

  it('x=[1,1,2] bilinear size=[2,4]', () => {
    const y = upsample(tensor([1, 1, 2], [0, 4]), { mode: 'bilinear', size: [2, 4] });
    expect(y.shape).toEqual([1, 2, 4]);
    expect([...y.data]).toEqual([0, 1, 3, 4, 0, 1, 3, 4]);
  });
});
