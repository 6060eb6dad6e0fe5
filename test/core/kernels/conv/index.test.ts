import { describe, expect, it } from 'vitest';
import { conv, conv1d, conv2d, conv3d, type ConvOptions } from '../../../../src/core/kernels/conv';
import { naiveConv2d } from './naive';
import { tensor } from '../../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../../golden';
import { forEachBackend } from '../../backends';

// Every case runs on both backends (see test/core/backends.ts).
forEachBackend((backend) => {
  // Tolerance for every conv comparison: relative 1e-4, |a − b| ≤ 1e-4·max(1, |b|).
  const RTOL = 1e-4;

  describe('conv: PyTorch goldens (rtol 1e-4)', () => {
    const golden = loadGolden('conv');
    for (const c of golden.cases) {
      it(c.name, () => {
        const y = conv(input(c, 'x'), input(c, 'w'), c.inputs.b ?? null, c.config as ConvOptions);
        expectClose(y, single(c), RTOL);
      });
    }
  });

  /** A 1×6×6 image: columns 0–2 are 0, columns 3–5 are 1 (a vertical step edge). */
  function stepImage(): ReturnType<typeof tensor> {
    const data: number[] = [];
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) data.push(x >= 3 ? 1 : 0);
    return tensor([1, 6, 6], data);
  }

  const prewittX = [-1, 0, 1, -1, 0, 1, -1, 0, 1];

  describe('conv: hand-computed cases (exact)', () => {
    it('x=[1,6,6] k=3 s=1 d=1 p=valid prewitt_x on a step edge: 3 where the window straddles the step', () => {
      const y = conv2d(stepImage(), tensor([1, 1, 3, 3], prewittX), null, { padding: 'valid' });
      expect(y.shape).toEqual([1, 4, 4]);
      // Output column j sees input columns j..j+2; the step is between 2 and 3.
      const row = [0, 3, 3, 0];
      expect([...y.data]).toEqual([...row, ...row, ...row, ...row]);
    });

    it('x=[1,6,6] k=3 s=1 d=1 p=1 prewitt_x: zero padding makes edges at the borders too', () => {
      const y = conv2d(stepImage(), tensor([1, 1, 3, 3], prewittX), null, { padding: 1 });
      expect(y.shape).toEqual([1, 6, 6]);
      // Middle rows: taps at column −1 (0) … column 6 (padding, 0). The right border sees 1·(−1)·3 + 0 = −3.
      expect([...y.data.subarray(6, 12)]).toEqual([0, 0, 3, 3, 0, -3]);
      // Top row: only two of the three kernel rows land in the image.
      expect([...y.data.subarray(0, 6)]).toEqual([0, 0, 2, 2, 0, -2]);
    });

    it('x=[2,2,2] k=1 s=1 d=1 p=0 g=1: a 1×1 conv mixes channels per pixel', () => {
      const x = tensor([2, 2, 2], [1, 2, 3, 4, 10, 20, 30, 40]);
      const w = tensor([1, 2, 1, 1], [1, 0.5]);
      const y = conv2d(x, w, tensor([1], [100]));
      expect([...y.data]).toEqual([106, 112, 118, 124]);
    });

    it('x=[1,5] k=2 s=2 d=1 p=0: conv1d drops the last sample (stride leaves it uncovered)', () => {
      const y = conv1d(tensor([1, 5], [1, 2, 3, 4, 5]), tensor([1, 1, 2], [1, 1]), null, { stride: 2 });
      expect([...y.data]).toEqual([3, 7]);
    });

    it('x=[1,1,5] k=3 d=2 p=[[0,0],[2,0]]: asymmetric padding', () => {
      const y = conv2d(tensor([1, 1, 5], [1, 2, 3, 4, 5]), tensor([1, 1, 1, 3], [1, 1, 1]), null, {
        dilation: 2,
        padding: [[0, 0], [2, 0]],
      });
      // Padded: 0 0 1 2 3 4 5; taps at j, j+2, j+4.
      expect([...y.data]).toEqual([0 + 1 + 3, 0 + 2 + 4, 1 + 3 + 5]);
    });

    it('x=[2,3,3] k=3 g=2 depthwise: each channel sums its own window', () => {
      const x = tensor([2, 3, 3], [...new Array(9).fill(1), ...new Array(9).fill(2)]);
      const y = conv2d(x, tensor([2, 1, 3, 3], new Array(18).fill(1)), null, { groups: 2 });
      expect([...y.data]).toEqual([9, 18]);
    });

    it('x=[1,2,2,2] k=2 conv3d sums the cube', () => {
      const y = conv3d(tensor([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), tensor([1, 1, 2, 2, 2], new Array(8).fill(1)), null);
      expect(y.shape).toEqual([1, 1, 1, 1]);
      expect(y.data[0]).toBe(36);
    });

    it('accepts plain {shape, data} with number arrays (library API)', () => {
      const y = conv2d({ shape: [1, 2, 2], data: [1, 2, 3, 4] }, { shape: [1, 1, 2, 2], data: [1, 1, 1, 1] }, null, {});
      expect([...y.data]).toEqual([10]);
    });

    it('rejects a channel mismatch', () => {
      expect(() => conv2d(tensor([3, 4, 4]), tensor([2, 2, 3, 3]), null)).toThrow(/input channels/);
    });

    it('rejects a window larger than the input', () => {
      expect(() => conv2d(tensor([1, 2, 2]), tensor([1, 1, 3, 3]), null)).toThrow(/does not fit/);
    });

  });

  describe('conv: padding is skipped, not multiplied (exact)', () => {
    // If padded taps were computed as 0·x on a neighbouring row, a NaN there would leak out.
    for (const groups of [1, 2]) {
      it(`x=[2,4,4] k=3 s=1 d=1 p=1 g=${groups}: a NaN at (0,0) reaches only the outputs whose window holds it`, () => {
        const data = new Array(32).fill(1);
        data[0] = NaN;
        data[16] = NaN;
        const y = conv2d(tensor([2, 4, 4], data), tensor([2, 2 / groups, 3, 3], new Array(18 * (2 / groups)).fill(1)), null, { padding: 1, groups });
        for (let c = 0; c < 2; c++) {
          for (let i = 0; i < 4; i++) {
            for (let j = 0; j < 4; j++) {
              expect(Number.isNaN(y.data[c * 16 + i * 4 + j]), `(${c},${i},${j})`).toBe(i <= 1 && j <= 1);
            }
          }
        }
      });
    }
  });

  describe('conv2d: agrees with a naive loop on seeded random configurations (rtol 1e-4)', () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    for (let n = 0; n < 40; n++) {
      const groups = pick([1, 1, 1, 2, 4]);
      const depthwise = rand() < 0.2;
      const cIn = depthwise ? pick([3, 8, 16]) : groups * pick([1, 3, 8, 9, 12]);
      const g = depthwise ? cIn : groups;
      const cOut = depthwise ? cIn * pick([1, 2]) : groups * pick([1, 5, 8, 13]);
      const k = pick([1, 2, 3, 3, 3, 5]);
      const kW = rand() < 0.2 ? pick([1, 3, 7]) : k;
      const stride = pick([1, 1, 1, 2, 3]);
      const dilation = pick([1, 1, 2]);
      const pad: [number, number, number, number] = [pick([0, 1, 2]), pick([0, 1, 2]), pick([0, 1, 2]), pick([0, 1, 2])];
      const H = 3 + Math.floor(rand() * 12);
      const W = 3 + Math.floor(rand() * 12);
      if (H + pad[0] + pad[1] < dilation * (k - 1) + 1 || W + pad[2] + pad[3] < dilation * (kW - 1) + 1) continue;
      const name = `x=[${cIn},${H},${W}] w=[${cOut},${cIn / g},${k},${kW}] s=${stride} d=${dilation} p=((${pad[0]},${pad[1]}),(${pad[2]},${pad[3]})) g=${g}`;
      const x = tensor([cIn, H, W], Array.from({ length: cIn * H * W }, () => rand() * 2 - 1));
      const w = tensor([cOut, cIn / g, k, kW], Array.from({ length: cOut * (cIn / g) * k * kW }, () => rand() * 2 - 1));
      const b = Float32Array.from({ length: cOut }, () => rand() - 0.5);
      it(name, () => {
        const y = conv2d(x, w, tensor([cOut], b), { stride, dilation, groups: g, padding: [[pad[0], pad[1]], [pad[2], pad[3]]] });
        expectClose(y, naiveConv2d(x, w, b, { stride, pad, dilation, groups: g }), RTOL);
      });
    }
  });

  describe('conv2d with horizontal stride 2 and wide kernels (stride-phase Winograd on wasm) agrees with a naive loop (rtol 1e-4)', () => {
    let seed = 4242;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    // [cIn, cOut, H, W, kH, kW, [sH, sW], [dH, dW], pad (top, bottom, left, right), bias]: output
    // widths that are odd, below and past a multiple of 16 (eight output pairs per panel), M
    // mod 4 (the micro-kernel's rows) of every kind, odd input sizes, asymmetric padding, vertical stride 1 and 3,
    // vertical dilation; kW = 5 and 9 and horizontal dilation 2 run on im2col (the fallback).
    const cases: [number, number, number, number, number, number, [number, number], [number, number], [number, number, number, number], boolean][] = [
      [3, 64, 45, 37, 7, 7, [2, 2], [1, 1], [3, 3, 3, 3], true], // the ResNet stem, smaller
      [3, 13, 23, 23, 7, 7, [2, 2], [1, 1], [3, 3, 3, 3], true],
      [1, 1, 9, 8, 7, 7, [2, 2], [1, 1], [0, 0, 0, 0], false], // outW 1: im2col (one output per row)
      [2, 5, 15, 9, 7, 7, [2, 2], [1, 1], [0, 1, 2, 0], true], // outW 3
      [4, 7, 11, 71, 3, 7, [1, 2], [1, 1], [1, 1, 3, 3], false], // outW 36: four padding pairs past 32
      [3, 8, 17, 67, 7, 7, [3, 2], [2, 1], [2, 0, 1, 2], true], // vertical stride 3, dilation 2
      [5, 2, 6, 61, 1, 11, [1, 2], [1, 1], [0, 0, 5, 4], true], // 1×11: groups of three on both phases
      [3, 6, 19, 33, 7, 7, [2, 2], [1, 1], [3, 2, 3, 2], true],
      [3, 4, 16, 40, 5, 5, [2, 2], [1, 1], [2, 2, 2, 2], true], // 5×5: im2col
      [3, 4, 16, 40, 9, 9, [2, 2], [1, 1], [4, 4, 4, 4], true], // 9×9: im2col
      [3, 4, 21, 41, 7, 7, [2, 2], [1, 2], [3, 3, 3, 3], true], // horizontal dilation: im2col
    ];
    for (const [cIn, cOut, H, W, kH, kW, stride, dilation, pad, withBias] of cases) {
      for (const scale of [1, 100]) {
        const name = `x=[${cIn},${H},${W}] w=[${cOut},${cIn},${kH},${kW}] s=${stride} d=${dilation} p=((${pad[0]},${pad[1]}),(${pad[2]},${pad[3]})) bias=${withBias} scale=${scale}`;
        const x = tensor([cIn, H, W], Array.from({ length: cIn * H * W }, () => (rand() * 2 - 1) * scale));
        const w = tensor([cOut, cIn, kH, kW], Array.from({ length: cOut * cIn * kH * kW }, () => rand() * 2 - 1));
        const b = withBias ? Float32Array.from({ length: cOut }, () => rand() - 0.5) : null;
        it(name, () => {
          const y = conv2d(x, w, b && tensor([cOut], b), { stride, dilation, padding: [[pad[0], pad[1]], [pad[2], pad[3]]] });
          const expected = naiveConv2d(x, w, b, { stride, pad, dilation, groups: 1 });
          // As for Winograd below: float32 accumulation in wasm, so the floor is the input's scale there.
          const floor = backend === 'wasm' ? scale : 1;
          const scaled = (t: { shape: readonly number[]; data: ArrayLike<number> }) => tensor([...t.shape], Array.from(t.data, (v) => v / floor));
          expectClose(scaled(y), scaled(expected), RTOL);
        });
      }
    }
    it('prepared weights are used again, and prepared again after an in-place change', () => {
      const x = tensor([3, 30, 30], Array.from({ length: 2700 }, () => rand() * 2 - 1));
      const wData = Float32Array.from({ length: 9 * 3 * 49 }, () => rand() * 2 - 1);
      const w = tensor([9, 3, 7, 7], wData);
      const opts = { stride: 2, padding: 3 };
      expectClose(conv2d(x, w, null, opts), naiveConv2d(x, w, null, { stride: 2, pad: [3, 3, 3, 3], dilation: 1, groups: 1 }), RTOL);
      expectClose(conv2d(x, w, null, opts), naiveConv2d(x, w, null, { stride: 2, pad: [3, 3, 3, 3], dilation: 1, groups: 1 }), RTOL);
      w.data[5] += 1;
      expectClose(conv2d(x, w, null, opts), naiveConv2d(x, w, null, { stride: 2, pad: [3, 3, 3, 3], dilation: 1, groups: 1 }), RTOL);
    });
  });
});
