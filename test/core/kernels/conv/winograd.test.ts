import { describe, it } from 'vitest';
import { conv2d } from '../../../../src/core/kernels/conv';
import { tensor } from '../../../../src/core/tensor';
import { expectClose } from '../../golden';
import { forEachBackend } from '../../backends';
import { naiveConv2d } from './naive';

// The Winograd kernels (TypeScript F(2×2)/F(4×4), WebAssembly F(2×2)), through conv2d.
forEachBackend((backend) => {
  const RTOL = 1e-4;

  describe('conv2d 3×3 stride 1 on larger maps (Winograd paths) agrees with a naive loop (rtol 1e-4)', () => {
    let seed = 777;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    for (let n = 0; n < 8; n++) {
      const groups = n % 3 === 2 ? 2 : 1;
      const cIn = groups * (8 + Math.floor(rand() * 9));
      const cOut = groups * (8 + Math.floor(rand() * 9));
      const H = 10 + Math.floor(rand() * 25);
      const W = 10 + Math.floor(rand() * 25);
      const pad: [number, number, number, number] = [0, 0, 0, 0].map(() => Math.floor(rand() * 3)) as [number, number, number, number];
      // Large values too. The TypeScript Winograd keeps its transforms in double and holds
      // rtol 1e-4 with the floor at 1 at any scale. The WebAssembly kernels accumulate in
      // float32 (as PyTorch, onnxruntime and tfjs do), whose rounding grows with the inputs:
      // there the floor is the input's scale, |a − b| ≤ 1e-4·max(scale, |b|), i.e. the
      // same relative accuracy at every scale.
      const scale = n % 2 === 0 ? 1 : 100;
      const name = `x=[${cIn},${H},${W}] w=[${cOut},${cIn / groups},3,3] s=1 d=1 p=((${pad[0]},${pad[1]}),(${pad[2]},${pad[3]})) g=${groups} scale=${scale}`;
      const x = tensor([cIn, H, W], Array.from({ length: cIn * H * W }, () => (rand() * 2 - 1) * scale));
      const w = tensor([cOut, cIn / groups, 3, 3], Array.from({ length: cOut * (cIn / groups) * 9 }, () => rand() * 2 - 1));
      const b = Float32Array.from({ length: cOut }, () => rand() - 0.5);
      it(name, () => {
        const y = conv2d(x, w, tensor([cOut], b), { groups, padding: [[pad[0], pad[1]], [pad[2], pad[3]]] });
        const expected = naiveConv2d(x, w, b, { stride: 1, pad, dilation: 1, groups });
        const floor = backend === 'wasm' ? scale : 1;
        const scaled = (t: { shape: readonly number[]; data: ArrayLike<number> }) => tensor([...t.shape], Array.from(t.data, (v) => v / floor));
        expectClose(scaled(y), scaled(expected), RTOL);
      });
    }
  });
});
