import { describe, expect, it } from 'vitest';
import {
  abs,
  erf,
  erfc,
  gelu,
  hardsigmoid,
  hardswish,
  leakyRelu,
  prelu,
  relu,
  relu6,
  sigmoid,
  silu,
  softmax,
  tanh,
} from '../../../src/core/kernels/activation';
import type { Tensor, TensorLike } from '../../../src/core/tensor';
import { tensor } from '../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../golden';

// Activation tolerance: relative 1e-5, |a − b| ≤ 1e-5·max(1, |b|) (float32 transcendental functions differ in the last bits).
const RTOL = 1e-5;

type Options = { readonly slope?: number; readonly approximate?: 'none' | 'tanh' };

/** The kernel for each op name the golden script writes (scripts/golden/ops.py). */
const BY_GOLDEN_NAME: Record<string, (x: TensorLike, options: Options) => Tensor> = {
  relu,
  relu6,
  leakyRelu,
  gelu,
  silu,
  sigmoid,
  hardswish,
  hardsigmoid,
  tanh,
  abs,
  softmax,
};

describe('activations: PyTorch goldens (rtol 1e-5)', () => {
  const golden = loadGolden('activation');
  for (const c of golden.cases) {
    it(c.name, () => {
      const x = input(c, 'x');
      const y =
        c.op === 'prelu'
          ? prelu(x, input(c, 'weight').data)
          : BY_GOLDEN_NAME[c.op](x, { slope: c.config.slope as number | undefined, approximate: c.config.approximate as 'tanh' | undefined });
      expectClose(y, single(c), RTOL);
    });
  }
});

describe('erf: reference values (tolerance 1e-14 relative)', () => {
  // Reference values of erf/erfc (e.g. Python's math.erf / math.erfc).
  const table: Array<[number, number, number]> = [
    [0.1, 0.1124629160182849, 0.8875370839817152],
    [0.5, 0.5204998778130465, 0.4795001221869535],
    [1, 0.8427007929497149, 0.15729920705028513],
    [2, 0.9953222650189527, 0.004677734981047265],
    [2.5, 0.999593047982555, 0.0004069520174449589],
    [3, 0.9999779095030014, 2.2090496998585438e-5],
    [5, 0.9999999999984626, 1.5374597944280351e-12],
  ];
  for (const [x, e, ec] of table) {
    it(`erf(${x}) and erfc(${x})`, () => {
      expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(1e-14 * Math.abs(e));
      expect(Math.abs(erf(-x) + e)).toBeLessThanOrEqual(1e-14 * Math.abs(e));
      expect(Math.abs(erfc(x) - ec)).toBeLessThanOrEqual(1e-12 * ec);
    });
  }
});

describe('activations: hand-computed cases (exact unless stated)', () => {
  it('relu6, hardswish and hardsigmoid at their kinks', () => {
    const x = tensor([5], [-3, 0, 3, 6, 7]);
    expect([...relu6(x).data]).toEqual([0, 0, 3, 6, 6]);
    expect([...hardsigmoid(x).data]).toEqual([0, 0.5, 1, 1, 1]);
    expect([...hardswish(x).data]).toEqual([-0, 0, 3, 6, 7]);
  });

  it('softmax over a flat vector sums to 1 (1e-7)', () => {
    const y = softmax(tensor([3], [1, 2, 3]));
    expect(y.data[0] + y.data[1] + y.data[2]).toBeCloseTo(1, 7);
    expect(y.data[2] / y.data[1]).toBeCloseTo(Math.E, 5);
  });

  it('softmax x=[2,1,2] runs over channels at each position', () => {
    const y = softmax(tensor([2, 1, 2], [0, 5, 0, 5]));
    expect([...y.data]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });
});

describe('erf: piecewise-Taylor table against the series/continued fraction (tolerance 5e-15 absolute)', () => {
  it('erf(x) = 1 − erfc(x) on a grid over [−8, 8]', () => {
    let worst = 0;
    for (let i = -8000; i <= 8000; i++) {
      const x = i / 1000 + 0.000123;
      worst = Math.max(worst, Math.abs(erf(x) - (1 - erfc(x))));
    }
    expect(worst).toBeLessThanOrEqual(5e-15);
  });

  it('erf is odd and relative-accurate near 0: erf(1e-8) = 2/√π·1e-8', () => {
    expect(erf(1e-8)).toBeCloseTo(1.1283791670955126e-8, 22);
    expect(erf(-0.3)).toBe(-erf(0.3));
  });
});

describe('prelu: slopes', () => {
  it('x=[2,2] slopes=[0.5, -1]: one per channel, only below 0', () => {
    expect([...prelu(tensor([2, 2], [-2, 3, -2, 3]), [0.5, -1]).data]).toEqual([-1, 3, 2, 3]);
  });
  it('refuses a slope count that is neither 1 nor the channels', () => {
    expect(() => prelu(tensor([3, 2], [1, 2, 3, 4, 5, 6]), [0.1, 0.2])).toThrow('prelu: 2 slopes for 3 channels');
  });
});
