import { describe, it } from 'vitest';
import { conv2d } from '../../../../src/core/kernels/conv';
import { tensor } from '../../../../src/core/tensor';
import { expectClose } from '../../golden';
import { forEachBackend } from '../../backends';
import { naiveConv2d } from './naive';

// The packed GEMM kernels, through conv2d (im2col is also covered by index.test.ts's random cases).
forEachBackend(() => {
  const RTOL = 1e-4;

  describe('conv2d 1×1 (the 4×12 pointwise GEMM on wasm) agrees with a naive loop (rtol 1e-4)', () => {
    let seed = 99;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    // [cIn, cOut, H, W, groups]: M mod 4 of every kind, pixel counts off a multiple of 12 and
    // of the column chunk, K past one 256-deep block (300, 520), grouped.
    const cases: [number, number, number, number, number][] = [
      [256, 64, 56, 56, 1], [16, 13, 7, 9, 1], [3, 1, 5, 5, 1], [5, 6, 11, 13, 1], [300, 7, 9, 31, 1],
      [520, 10, 12, 12, 1], [8, 12, 1, 1, 1], [64, 22, 23, 29, 2],
    ];
    for (const [cIn, cOut, H, W, groups] of cases) {
      const name = `x=[${cIn},${H},${W}] w=[${cOut},${cIn / groups},1,1] g=${groups}`;
      const x = tensor([cIn, H, W], Array.from({ length: cIn * H * W }, () => rand() * 2 - 1));
      const w = tensor([cOut, cIn / groups, 1, 1], Array.from({ length: (cOut * cIn) / groups }, () => rand() * 2 - 1));
      const b = Float32Array.from({ length: cOut }, () => rand() - 0.5);
      it(name, () => {
        const y = conv2d(x, w, tensor([cOut], b), { groups });
        expectClose(y, naiveConv2d(x, w, b, { stride: 1, pad: [0, 0, 0, 0], dilation: 1, groups }), RTOL);
        expectClose(conv2d(x, w, null, { groups }), naiveConv2d(x, w, null, { stride: 1, pad: [0, 0, 0, 0], dilation: 1, groups }), RTOL);
      });
    }
  });
});
