import { describe, expect, it } from 'vitest';
import { add, broadcastShapes, channelShuffle, chunk, concat, dropout, flatten, layerScale, mul, split } from '../../../src/core/kernels/tensor-ops';
import { tensor, type Tensor } from '../../../src/core/tensor';
import { expectClose, input, loadGolden, single } from '../golden';

// Tensor-op tolerance: relative 1e-6 (these are exact or one float32 rounding).
const RTOL = 1e-6;

describe('tensor ops: PyTorch goldens (rtol 1e-6)', () => {
  const golden = loadGolden('tensor-ops');
  for (const c of golden.cases) {
    it(c.name, () => {
      const many = (pieces: Tensor[]) => {
        const expected = c.expected as Tensor[];
        expect(pieces.length).toBe(expected.length);
        pieces.forEach((p, i) => expectClose(p, expected[i], RTOL));
      };
      switch (c.op) {
        case 'add': return expectClose(add(input(c, 'a'), input(c, 'b')), single(c), RTOL);
        case 'mul': return expectClose(mul(input(c, 'a'), input(c, 'b')), single(c), RTOL);
        case 'concat': {
          const xs = Object.keys(c.inputs).sort().map((k) => input(c, k));
          return expectClose(concat(xs), single(c), RTOL);
        }
        case 'split': return many(split(input(c, 'x'), c.config.sizes as number[]));
        case 'chunk': return many(chunk(input(c, 'x'), c.config.chunks as number));
        case 'channelShuffle': return expectClose(channelShuffle(input(c, 'x'), c.config.groups as number), single(c), RTOL);
        case 'layerScale': return expectClose(layerScale(input(c, 'x'), input(c, 'gamma').data), single(c), RTOL);
        case 'flatten': return expectClose(flatten(input(c, 'x')), single(c), RTOL);
        case 'dropout': return expectClose(dropout(input(c, 'x')), single(c), RTOL);
        default: throw new Error(`unknown op ${c.op}`);
      }
    });
  }
});

describe('tensor ops: hand-computed cases (exact)', () => {
  it('broadcastShapes follows NumPy rules', () => {
    expect(broadcastShapes([4, 1, 1], [4, 5, 6])).toEqual([4, 5, 6]);
    expect(broadcastShapes([6], [4, 5, 6])).toEqual([4, 5, 6]);
    expect(broadcastShapes([3, 1], [1, 7])).toEqual([3, 7]);
    expect(broadcastShapes([4, 5, 6], [5, 5, 6])).toBeNull();
  });

  it('mul C×1×1 gate over C×H×W', () => {
    const y = mul(tensor([2, 1, 1], [2, 10]), tensor([2, 1, 2], [1, 2, 3, 4]));
    expect(y.shape).toEqual([2, 1, 2]);
    expect([...y.data]).toEqual([2, 4, 30, 40]);
  });

  it('add rejects shapes that do not broadcast', () => {
    expect(() => add(tensor([2, 3]), tensor([3, 3]))).toThrow(/do not broadcast/);
  });

  it('channelShuffle groups=2 on 4 channels interleaves: 0 2 1 3', () => {
    expect([...channelShuffle(tensor([4, 1], [0, 1, 2, 3]), 2).data]).toEqual([0, 2, 1, 3]);
  });

  it('chunk of 5 channels into 4 gives 2+2+1 (PyTorch returns fewer pieces)', () => {
    expect(chunk(tensor([5, 1]), 4).map((t) => t.shape[0])).toEqual([2, 2, 1]);
  });

  it('split rejects sizes that do not add up', () => {
    expect(() => split(tensor([4, 1]), [1, 2])).toThrow(/do not add up/);
  });
});
