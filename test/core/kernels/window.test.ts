import { describe, expect, it } from 'vitest';
import { convGemmShape, paddingFromOption, axisValues, resolveWindow } from '../../../src/core/kernels/window';
import { avgPool, maxPool } from '../../../src/core/kernels/pool';
import { conv, conv2d, convTranspose } from '../../../src/core/kernels/conv';
import { windowGeometry } from '../../../src/core/geometry';

// Exact: integer option normalisation.

describe('window option normalisation', () => {
  it('axisValues broadcasts a number and checks lengths', () => {
    expect(axisValues(3, 2, 1, 'k')).toEqual([3, 3]);
    expect(axisValues(undefined, 3, 1, 'k')).toEqual([1, 1, 1]);
    expect(axisValues([1, 7], 2, 1, 'k')).toEqual([1, 7]);
    expect(() => axisValues([1, 2, 3], 2, 1, 'k')).toThrow(/expected 2 values/);
  });

  it('paddingFromOption accepts a number, per-axis numbers, pairs and keywords', () => {
    expect(paddingFromOption(1, 2)).toEqual([[1, 1], [1, 1]]);
    expect(paddingFromOption([0, 3], 2)).toEqual([[0, 0], [3, 3]]);
    expect(paddingFromOption([[0, 1], [2, 1]], 2)).toEqual([[0, 1], [2, 1]]);
    expect(paddingFromOption('same', 2)).toBe('same');
    expect(paddingFromOption(undefined, 2)).toBe('valid');
  });

  it('resolveWindow lifts a 1D geometry to three axes with trivial leading axes', () => {
    const g = resolveWindow({ inSize: [13], kernel: 3, stride: 2, padding: 1, what: 'test' });
    expect([g.inD, g.inH, g.inW, g.outD, g.outH, g.outW, g.kD, g.kH, g.kW]).toEqual([1, 1, 13, 1, 1, 7, 1, 1, 3]);
  });

  it('resolveWindow throws when the window does not fit', () => {
    expect(() => resolveWindow({ inSize: [2, 2], kernel: 3, what: 'conv' })).toThrow(/does not fit/);
  });
});

describe('convGemmShape', () => {
  it('a 3×3 grouped conv: K is input channels per group times taps, P the output positions', () => {
    const g = resolveWindow({ inSize: [8, 8], kernel: 3, stride: 2, padding: 1, what: 'conv' });
    const s = convGemmShape(g, 16, 32, 4);
    expect(s).toEqual({ cInG: 4, cOutG: 8, kVol: 9, K: 36, P: 16, inPlane: 64, pointwise: false });
  });

  it('pointwise only for a 1×1, stride-1, unpadded window', () => {
    const shape = (stride: number, padding: number) => convGemmShape(resolveWindow({ inSize: [6, 6], kernel: 1, stride, padding, what: 'conv' }), 8, 8, 1);
    expect(shape(1, 0).pointwise).toBe(true);
    expect(shape(2, 0).pointwise).toBe(false);
    expect(shape(1, 1).pointwise).toBe(false);
  });
});

describe('window arguments are checked at the kernels', () => {
  const x = { shape: [1, 6, 6], data: new Float32Array(36).fill(1) };
  const w = { shape: [1, 1, 3, 3], data: new Float32Array(9).fill(1) };

  it('conv2d reads no memory past a short input (it read stale WebAssembly memory)', () => {
    const short = { shape: [1, 6, 6], data: new Float32Array(4) };
    expect(() => conv2d(short, w, null)).toThrow(new RangeError('conv input: shape [1, 6, 6] needs 36 values, got 4'));
    expect(() => conv2d(x, { shape: [1, 1, 3, 3], data: new Float32Array(2) }, null)).toThrow('conv weight: ');
  });

  it.each([
    ['stride 1.5', { stride: 1.5 }, 'conv stride: expected whole numbers ≥ 1, got 1.5'],
    ['stride NaN', { stride: NaN }, 'conv stride: expected whole numbers ≥ 1, got NaN'],
    ['stride Infinity', { stride: Infinity }, 'conv stride: expected whole numbers ≥ 1, got Infinity'],
    ['dilation 0', { dilation: 0 }, 'conv dilation: expected whole numbers ≥ 1, got 0'],
    ['dilation -1', { dilation: [1, -1] }, 'conv dilation: expected whole numbers ≥ 1, got -1'],
    ['padding -1', { padding: -1 }, 'padding: expected whole numbers ≥ 0, got -1'],
    ['padding [[0, -2], [0, 0]]', { padding: [[0, -2], [0, 0]] as const }, 'padding: expected whole numbers ≥ 0, got -2'],
    ['padding 0.5', { padding: [0.5, 0] }, 'padding: expected whole numbers ≥ 0, got 0.5'],
  ])('conv2d rejects %s with a RangeError naming it', (_, options, message) => {
    expect(() => conv2d(x, w, null, options)).toThrow(new RangeError(message));
  });

  it('rejects a kernel of size 0, and a transposed stride of 0', () => {
    expect(() => conv2d(x, { shape: [1, 1, 0, 3], data: new Float32Array(0) }, null)).toThrow(new RangeError('conv kernel: expected whole numbers ≥ 1, got 0'));
    expect(() => maxPool(x, { kernel: 0 })).toThrow(new RangeError('maxPool kernel: expected whole numbers ≥ 1, got 0'));
    expect(() => convTranspose(x, w, null, { stride: 0 })).toThrow(new RangeError('convTranspose stride: expected whole numbers ≥ 1, got 0'));
    expect(() => convTranspose(x, w, null, { stride: 2, outputPadding: 2 })).toThrow(RangeError);
    // A window wholly in the padding pooled nothing: −Infinity (PyTorch refuses it too).
    expect(() => maxPool(x, { kernel: 2, padding: 2 })).toThrow(new RangeError('maxPool padding: 2 is more than half the window (2)'));
  });
});

describe('a window given as a record (the analysis\'s GraphLayer.window)', () => {
  const x = { shape: [2, 7, 6], data: Float32Array.from({ length: 84 }, (_, i) => Math.sin(i)) };
  const w = { shape: [3, 2, 3, 2], data: Float32Array.from({ length: 36 }, (_, i) => Math.cos(i)) };
  const geometry = windowGeometry({ inSize: [7, 6], kernel: [3, 2], stride: [2, 1], dilation: [1, 2], padding: [[1, 0], [2, 1]] });

  it('conv, convTranspose and pooling give bit-identical results to the option form', () => {
    const options = { stride: [2, 1], dilation: [1, 2], padding: [[1, 0], [2, 1]] as const };
    expect(conv(x, w, null, { geometry })).toEqual(conv(x, w, null, options));
    const tw = { shape: [2, 1, 2, 2], data: Float32Array.from({ length: 8 }, (_, i) => i - 3) };
    const tg = windowGeometry({ inSize: [7, 6], kernel: [2, 2], stride: [2, 2], dilation: [1, 1], padding: [[0, 1], [1, 0]], transposed: { outputPadding: [1, 0] } });
    expect(convTranspose(x, tw, null, { geometry: tg })).toEqual(convTranspose(x, tw, null, { stride: 2, padding: [[0, 1], [1, 0]], outputPadding: [1, 0] }));
    const pg = windowGeometry({ inSize: [7, 6], kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: [[1, 1], [1, 1]], ceilMode: true });
    expect(maxPool(x, { geometry: pg })).toEqual(maxPool(x, { kernel: 3, stride: 2, padding: 1, ceilMode: true }));
    expect(avgPool(x, { geometry: pg, countIncludePad: false })).toEqual(avgPool(x, { kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }));
  });

  it('is checked against the input and the weights, and excludes the window options', () => {
    expect(() => conv({ shape: [2, 8, 6], data: new Float32Array(96) }, w, null, { geometry })).toThrow(
      new RangeError('conv: the geometry is for input size [7, 6], the input is [8, 6]'),
    );
    expect(() => conv(x, { shape: [3, 2, 3, 3], data: new Float32Array(54) }, null, { geometry })).toThrow(
      new RangeError('conv: the geometry is for kernel [3, 2], the weights are [3, 3]'),
    );
    expect(() => conv({ shape: [2, 42], data: x.data }, { shape: [3, 2, 3], data: new Float32Array(18) }, null, { geometry })).toThrow(
      new RangeError('conv: the geometry has 2 spatial axes, the input 1'),
    );
    expect(() => conv(x, w, null, { geometry, stride: 2 })).toThrow(new TypeError('conv: give either a geometry or stride, not both'));
  });

  it('refuses a record whose sizes do not follow from its window (the kernels index memory by them)', () => {
    const edit = (i: number, change: object) => ({ ...geometry, axes: geometry.axes.map((a, j) => (j === i ? { ...a, ...change } : a)) });
    expect(() => conv(x, w, null, { geometry: { ...edit(0, { outSize: 9 }), outSize: [9, 7] } })).toThrow(
      new RangeError("conv: the geometry's output size [9, 7] does not follow from its window ([3, 7] expected)"),
    );
    expect(() => conv(x, w, null, { geometry: edit(1, { outSize: 5 }) })).toThrow(/does not follow from its window/);
    expect(() => conv(x, w, null, { geometry: edit(1, { stride: 0 }) })).toThrow(new RangeError('conv geometry stride: expected whole numbers ≥ 1, got 0'));
    expect(() => conv(x, w, null, { geometry: edit(0, { padAfter: -1 }) })).toThrow(new RangeError('conv geometry padding: expected whole numbers ≥ 0, got -1'));
    // A transposed conv's record is not a conv's.
    const tg = windowGeometry({ inSize: [7, 6], kernel: [3, 2], stride: [2, 1], dilation: [1, 1], padding: [[0, 0], [0, 0]], transposed: { outputPadding: [1, 0] } });
    expect(() => conv(x, w, null, { geometry: tg })).toThrow(/does not follow from its window/);
  });

  it('still throws when the window does not fit', () => {
    const empty = windowGeometry({ inSize: [7, 6], kernel: [9, 2], stride: [1, 1], dilation: [1, 1], padding: 'valid' });
    expect(() => maxPool(x, { geometry: empty })).toThrow('maxPool: window does not fit, output size [0, 5]');
  });
});
