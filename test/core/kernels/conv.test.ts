import { describe, expect, it } from 'vitest';
import { conv, conv1d, conv2d, conv3d, convTranspose, type ConvOptions, type ConvTransposeOptions } from '../../../src/core/kernels/conv';
import { tensor } from '../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../golden';

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

describe('convTranspose: PyTorch goldens (rtol 1e-4)', () => {
  const golden = loadGolden('conv-transpose');
  for (const c of golden.cases) {
    it(c.name, () => {
      const y = convTranspose(input(c, 'x'), input(c, 'w'), c.inputs.b ?? null, c.config as ConvTransposeOptions);
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

  it('x=[1,2] k=2 s=2 convTranspose1d scatters each input into its own window', () => {
    const y = convTranspose(tensor([1, 2], [1, 10]), tensor([1, 1, 2], [1, 2]), null, { stride: 2 });
    expect([...y.data]).toEqual([1, 2, 10, 20]);
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
