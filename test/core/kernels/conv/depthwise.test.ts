import { describe, expect, it } from 'vitest';
import { conv2d, conv3d } from '../../../../src/core/kernels/conv';
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

    for (const k of [[1, 3, 3], [1, 5, 5], [1, 2, 3]]) {
      it(`x=[2,1,5,5] k=${k.join('×')} p=1 g=2: a one-slice input padded in depth gives bias-only outer slices, as the dense path does`, () => {
        // The depth padding makes three output slices of one input slice; the row kernel and
        // the wasm 3×3 kernel computed one plane per channel: the middle one's values in the first, 0 in the others.
        const x = tensor([2, 1, 5, 5], Array.from({ length: 50 }, (_, i) => Math.sin(i)));
        const taps = k[1] * k[2];
        const wd = Array.from({ length: 2 * taps }, (_, i) => Math.cos(i));
        const dense = new Array(4 * taps).fill(0);
        for (let o = 0; o < 2; o++) for (let t = 0; t < taps; t++) dense[(o * 2 + o) * taps + t] = wd[o * taps + t];
        const b = tensor([2], [0.5, -0.25]);
        const depth = conv3d(x, tensor([2, 1, ...k], wd), b, { groups: 2, padding: 1 });
        const full = conv3d(x, tensor([2, 2, ...k], dense), b, { padding: 1 });
        expect(depth.shape).toEqual([2, 3, 5 + 3 - k[1], 5 + 3 - k[2]]);
        expectClose(depth, full, 1e-6);
      });
    }
  });
});
