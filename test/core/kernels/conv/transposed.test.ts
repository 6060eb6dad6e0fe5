import { describe, expect, it } from 'vitest';
import { convTranspose, type ConvTransposeOptions } from '../../../../src/core/kernels/conv';
import { tensor } from '../../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../../golden';
import { forEachBackend } from '../../backends';

// Transposed conv: the scatter and the GEMM + col2im kernels, through convTranspose.
forEachBackend(() => {
  const RTOL = 1e-4;

  describe('convTranspose: PyTorch goldens (rtol 1e-4)', () => {
    const golden = loadGolden('conv-transpose');
    for (const c of golden.cases) {
      it(c.name, () => {
        const y = convTranspose(input(c, 'x'), input(c, 'w'), c.inputs.b ?? null, c.config as ConvTransposeOptions);
        expectClose(y, single(c), RTOL);
      });
    }
  });

  describe('convTranspose: hand-computed cases (exact)', () => {
    it('x=[1,2] k=2 s=2 convTranspose1d scatters each input into its own window', () => {
      const y = convTranspose(tensor([1, 2], [1, 10]), tensor([1, 1, 2], [1, 2]), null, { stride: 2 });
      expect([...y.data]).toEqual([1, 2, 10, 20]);
    });
  });
});
