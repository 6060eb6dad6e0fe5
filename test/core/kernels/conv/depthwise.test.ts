import { describe, it } from 'vitest';
import { conv2d } from '../../../../src/core/kernels/conv';
import { tensor } from '../../../../src/core/tensor';
import { expectClose } from '../../golden';
import { forEachBackend } from '../../backends';

// Depthwise kernels, through conv2d with groups = C.
forEachBackend(() => {
  describe('depthwise conv', () => {
    it('same results from the GEMM path and the depthwise path (groups=C with 1 filter each vs dense block-diagonal)', () => {
      const c = 3;
      const x = tensor([c, 5, 6], Array.from({ length: c * 30 }, (_, i) => Math.sin(i)));
      const wd = Array.from({ length: c * 9 }, (_, i) => Math.cos(i));
      const depth = conv2d(x, tensor([c, 1, 3, 3], wd), null, { groups: c, padding: 1 });
      const dense = new Array(c * c * 9).fill(0);
      for (let o = 0; o < c; o++) for (let t = 0; t < 9; t++) dense[(o * c + o) * 9 + t] = wd[o * 9 + t];
      const full = conv2d(x, tensor([c, c, 3, 3], dense), null, { padding: 1 });
      expectClose(depth, full, 1e-6);
    });
  });
});
