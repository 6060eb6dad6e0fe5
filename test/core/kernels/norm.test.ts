import { describe, expect, it } from 'vitest';
import { batchNorm, groupNorm, layerNorm } from '../../../src/core/kernels/norm';
import { tensor, type Tensor } from '../../../src/core/tensor';
import { expectClose, input, loadGolden, single, type GoldenCase } from '../golden';

// Norm tolerance: relative 1e-4, |a − b| ≤ 1e-4·max(1, |b|) (PyTorch accumulates statistics in float32).
const RTOL = 1e-4;

function optional(c: GoldenCase, name: string): Float32Array | null {
  return c.inputs[name]?.data ?? null;
}

describe('norms: PyTorch goldens (rtol 1e-4)', () => {
  const golden = loadGolden('norm');
  for (const c of golden.cases) {
    it(c.name, () => {
      const x = input(c, 'x');
      const eps = c.config.eps as number;
      let y: Tensor;
      switch (c.op) {
        case 'batchNorm':
          y = batchNorm(x, { mean: input(c, 'mean').data, variance: input(c, 'variance').data, gamma: optional(c, 'gamma'), beta: optional(c, 'beta'), eps });
          break;
        case 'layerNorm':
          y = layerNorm(x, { gamma: optional(c, 'gamma'), beta: optional(c, 'beta'), axis: c.config.axis as 'channels' | 'last', eps });
          break;
        case 'groupNorm':
          y = groupNorm(x, { groups: c.config.groups as number, gamma: optional(c, 'gamma'), beta: optional(c, 'beta'), eps });
          break;
        default:
          throw new Error(`unknown op ${c.op}`);
      }
      expectClose(y, single(c), RTOL);
    });
  }
});

describe('norms: hand-computed cases (tolerance 1e-6 absolute)', () => {
  it('batchNorm x=[2,1,2] with μ=1, σ²=4−ε, γ=2, β=1: (x−1)/2·2+1', () => {
    const y = batchNorm(tensor([2, 1, 2], [1, 3, 5, 7]), { mean: [1, 1], variance: [4 - 1e-5, 4 - 1e-5], gamma: [2, 2], beta: [1, 1] });
    [1, 3, 5, 7].forEach((v, i) => expect(y.data[i]).toBeCloseTo(v, 6));
  });

  it('layerNorm axis=channels x=[2,1,1] gives ±1 (up to eps)', () => {
    const y = layerNorm(tensor([2, 1, 1], [3, 5]), { eps: 0 });
    expect([...y.data]).toEqual([-1, 1]);
  });

  it('layerNorm defaults to the last axis for a vector', () => {
    const y = layerNorm(tensor([4], [1, 1, 3, 3]), { eps: 0 });
    expect([...y.data]).toEqual([-1, -1, 1, 1]);
  });

  it('groupNorm groups=2 x=[2,2] normalises each channel pair separately', () => {
    const y = groupNorm(tensor([2, 2], [0, 2, 10, 30]), { groups: 2, eps: 0 });
    expect([...y.data]).toEqual([-1, 1, -1, 1]);
  });
});
