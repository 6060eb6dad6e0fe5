import { describe, expect, it } from 'vitest';
import { growFieldOfView, windowGeometry, type PaddingSpec } from '../../src/core/geometry';

// Geometry is integer arithmetic: every expectation is exact.

function axis(n: number, k: number, s: number, d: number, padding: PaddingSpec, extra: { ceilMode?: boolean; outputPadding?: number } = {}) {
  return windowGeometry({
    inSize: [n],
    kernel: [k],
    stride: [s],
    dilation: [d],
    padding,
    ceilMode: extra.ceilMode,
    ...(extra.outputPadding !== undefined ? { transposed: { outputPadding: [extra.outputPadding] } } : {}),
  }).axes[0];
}

describe('windowGeometry: output sizes ⌊(N + p_b + p_a − d(k−1) − 1)/s⌋ + 1', () => {
  it('x=[224] k=7 s=2 d=1 p=3 → 112 (ResNet stem)', () => {
    expect(axis(224, 7, 2, 1, [[3, 3]]).outSize).toBe(112);
  });

  it('x=[56] k=3 s=1 d=1 p=1 → 56', () => {
    expect(axis(56, 3, 1, 1, [[1, 1]]).outSize).toBe(56);
  });

  it('x=[11] k=3 s=1 d=2 p=2 → 11, effective kernel 5', () => {
    const a = axis(11, 3, 1, 2, [[2, 2]]);
    expect(a.effectiveKernel).toBe(5);
    expect(a.outSize).toBe(11);
  });

  it('x=[7] k=3 s=2 d=1 p=valid → 3, nothing dropped', () => {
    const a = axis(7, 3, 2, 1, 'valid');
    expect([a.outSize, a.droppedInput]).toEqual([3, 0]);
  });

  it('x=[8] k=3 s=2 d=1 p=valid → 3, the last row is dropped', () => {
    const a = axis(8, 3, 2, 1, 'valid');
    expect([a.outSize, a.droppedInput]).toEqual([3, 1]);
  });

  it('x=[13] k=2 s=3 d=1 p=0 (stride > kernel) → 4, two rows after the last window dropped', () => {
    // Windows start at 0, 3, 6, 9 and cover up to index 10; 11 and 12 are unseen.
    const a = axis(13, 2, 3, 1, [[0, 0]]);
    expect([a.outSize, a.droppedInput]).toEqual([4, 2]);
  });

  it('x=[2] k=3 → 0: the window does not fit', () => {
    expect(axis(2, 3, 1, 1, 'valid').outSize).toBe(0);
  });

  it('asymmetric padding x=[8] k=3 s=2 p=[0,1] → 4', () => {
    const a = axis(8, 3, 2, 1, [[0, 1]]);
    expect([a.padBefore, a.padAfter, a.outSize]).toEqual([0, 1, 4]);
  });
});

describe('windowGeometry: ceil mode', () => {
  it('x=[8] k=3 s=2 d=1 p=0 ceil → 4 (floor would give 3)', () => {
    expect(axis(8, 3, 2, 1, 'valid', { ceilMode: true }).outSize).toBe(4);
    expect(axis(8, 3, 2, 1, 'valid').outSize).toBe(3);
  });

  it('x=[7] k=3 s=2 d=1 p=0 ceil → 3 (exact fit, no extra window)', () => {
    expect(axis(7, 3, 2, 1, 'valid', { ceilMode: true }).outSize).toBe(3);
  });

  it('x=[5] k=2 s=2 d=1 p=1 ceil → 3: a 4th window would start in the right padding and is dropped', () => {
    // ⌈(5 + 2 − 2)/2⌉ + 1 = 4, but window 3 starts at 6 ≥ N + p_before = 6.
    expect(axis(5, 2, 2, 1, [[1, 1]], { ceilMode: true }).outSize).toBe(3);
  });
});

describe("windowGeometry: padding 'same'", () => {
  it('x=[7] k=3 s=1 d=1 p=same → pads 1/1, size 7', () => {
    const a = axis(7, 3, 1, 1, 'same');
    expect([a.padBefore, a.padAfter, a.outSize]).toEqual([1, 1, 7]);
  });

  it('x=[7] k=4 s=1 d=1 p=same → pads 1/2 (extra after, as PyTorch), size 7', () => {
    const a = axis(7, 4, 1, 1, 'same');
    expect([a.padBefore, a.padAfter, a.outSize]).toEqual([1, 2, 7]);
  });

  it('x=[9] k=3 s=1 d=2 p=same → pads 2/2', () => {
    const a = axis(9, 3, 1, 2, 'same');
    expect([a.padBefore, a.padAfter, a.outSize]).toEqual([2, 2, 9]);
  });

  it('x=[7] k=3 s=2 d=1 p=same → ⌈7/2⌉ = 4 (TensorFlow rule at stride 2)', () => {
    const a = axis(7, 3, 2, 1, 'same');
    expect([a.padBefore, a.padAfter, a.outSize]).toEqual([1, 1, 4]);
  });
});

describe('windowGeometry: transposed, (N − 1)s − p_b − p_a + d(k−1) + op + 1', () => {
  it('x=[5] k=3 s=2 d=1 p=1 op=1 → 10 (exact doubling)', () => {
    expect(axis(5, 3, 2, 1, [[1, 1]], { outputPadding: 1 }).outSize).toBe(10);
  });

  it('x=[5] k=4 s=2 d=1 p=1 op=0 → 10', () => {
    expect(axis(5, 4, 2, 1, [[1, 1]], { outputPadding: 0 }).outSize).toBe(10);
  });

  it('x=[4] k=3 s=3 d=2 p=1 op=2 → 3·3 − 2 + 4 + 2 + 1 = 14, nothing dropped', () => {
    const a = axis(4, 3, 3, 2, [[1, 1]], { outputPadding: 2 });
    expect([a.outSize, a.droppedInput]).toEqual([14, 0]);
  });
});

describe('windowGeometry: several axes and field of view', () => {
  it('x=[7,9] k=(3,5) s=(1,2) p=(1,2) → [7,5]', () => {
    const g = windowGeometry({ inSize: [7, 9], kernel: [3, 5], stride: [1, 2], dilation: [1, 1], padding: [[1, 1], [2, 2]] });
    expect(g.outSize).toEqual([7, 5]);
  });

  it('growFieldOfView: a 3×3/2 conv after a jump of 2 grows the field by 4 and doubles the jump', () => {
    const g = windowGeometry({ inSize: [28], kernel: [3], stride: [2], dilation: [1], padding: [[1, 1]] });
    expect(growFieldOfView({ receptiveField: [7], jump: [2] }, g)).toEqual({ receptiveField: [11], jump: [4] });
  });
});
