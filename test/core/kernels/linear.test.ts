import { describe, expect, it } from 'vitest';
import { linear } from '../../../src/core/kernels/linear';
import { tensor } from '../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../golden';
import { forEachBackend } from '../backends';

// Every case runs on both backends (see ../backends.ts).
forEachBackend(() => {
  // Linear tolerance: relative 1e-4, |a − b| ≤ 1e-4·max(1, |b|).
  const RTOL = 1e-4;

  describe('linear: PyTorch goldens (rtol 1e-4)', () => {
    const golden = loadGolden('linear');
    for (const c of golden.cases) {
      it(c.name, () => {
        expectClose(linear(input(c, 'x'), input(c, 'w'), c.inputs.b ?? null), single(c), RTOL);
      });
    }
  });

  describe('linear: hand-computed cases (exact)', () => {
    it('x=[3] w=[2,3]: two dot products plus bias', () => {
      const y = linear(tensor([3], [1, 2, 3]), tensor([2, 3], [1, 0, 0, 1, 1, 1]), tensor([2], [0.5, -6]));
      expect(y.shape).toEqual([2]);
      expect([...y.data]).toEqual([1.5, 0]);
    });

    it('x=[2,2] applies to every row', () => {
      const y = linear(tensor([2, 2], [1, 2, 3, 4]), tensor([1, 2], [1, 1]), null);
      expect(y.shape).toEqual([2, 1]);
      expect([...y.data]).toEqual([3, 7]);
    });

    it('rejects a feature mismatch', () => {
      expect(() => linear(tensor([4]), tensor([2, 3]), null)).toThrow(/input features/);
    });
  });
});
