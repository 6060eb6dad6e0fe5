/**
 * The kernels' window: either a geometry given as it is (the runner passes the
 * analysis's, `GraphLayer.window`), or the kernel options of a direct call (a
 * number, one number per axis, or [before, after] pairs) turned into the
 * per-axis arrays that the same `windowGeometry` reads.
 */
import { windowGeometry, type AxisGeometry, type PaddingSpec, type WindowGeometry, type WindowOptions } from '../geometry';

/** One value for every spatial axis, or one per axis. */
export type PerAxis = number | readonly number[];

/**
 * Padding as kernels accept it: a number for every side, one number per axis
 * (both sides), `[before, after]` pairs per axis (asymmetric), `same` or `valid`.
 */
export type PaddingOption = number | readonly number[] | ReadonlyArray<readonly [number, number]> | 'same' | 'valid';

/**
 * One value per axis from a kernel option (a number or a list); throws on a
 * bad one, where the language's shape rules report a diagnostic instead. With
 * `min`, every value must be a whole number ≥ min (a RangeError names `what`
 * otherwise): a stride of 1.5 or NaN would give wrong sizes, a kernel of 0 an
 * empty window.
 */
export function axisValues(value: PerAxis | undefined, rank: number, fallback: number, what: string, min?: number): number[] {
  let values: number[];
  if (value === undefined) values = new Array<number>(rank).fill(fallback);
  else if (typeof value === 'number') values = new Array<number>(rank).fill(value);
  else if (!Array.isArray(value)) throw new TypeError(`${what}: expected a number or one number per axis, got ${typeof value}`);
  else if (value.length === 1) values = new Array<number>(rank).fill(value[0]);
  else if (value.length !== rank) throw new RangeError(`${what}: expected ${rank} values, got ${value.length}`);
  else values = [...value];
  if (min !== undefined) {
    for (const v of values) {
      if (typeof v !== 'number') throw new TypeError(`${what}: expected whole numbers ≥ ${min}, got ${typeof v}`);
      if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${what}: expected whole numbers ≥ ${min}, got ${v}`);
    }
  }
  return values;
}

function checkPad(p: unknown): number {
  if (typeof p !== 'number') throw new TypeError(`padding: expected whole numbers ≥ 0, got ${typeof p}`);
  if (!Number.isSafeInteger(p) || p < 0) throw new RangeError(`padding: expected whole numbers ≥ 0, got ${p}`);
  return p;
}

/**
 * A kernel's padding option in the geometry's form (the one place the kernels
 * decode padding). Throws on a bad value. Not the language's per-side list:
 * the analysis decodes that, and the runner passes its geometry instead.
 */
export function paddingFromOption(padding: PaddingOption | undefined, rank: number): PaddingSpec {
  if (padding === undefined) return 'valid';
  if (padding === 'same' || padding === 'valid') return padding;
  if (typeof padding === 'number') return new Array(rank).fill([checkPad(padding), checkPad(padding)] as const);
  if (!Array.isArray(padding)) throw new TypeError(`padding: expected a number, one per axis, [before, after] pairs, 'same' or 'valid', got ${typeof padding}`);
  if (padding.length === 0) return 'valid';
  if (Array.isArray(padding[0])) {
    const pairs = padding as ReadonlyArray<readonly [number, number]>;
    if (pairs.length !== rank) throw new RangeError(`padding: expected ${rank} [before, after] pairs, got ${pairs.length}`);
    return pairs.map(([b, a]) => [checkPad(b), checkPad(a)] as const);
  }
  const values = axisValues(padding as readonly number[], rank, 0, 'padding', 0);
  return values.map((p) => [p, p] as const);
}

/**
 * Geometry for 1–3 spatial axes, lifted to exactly three axes (D, H, W) by
 * prepending trivial axes, so one loop nest serves every rank.
 */
export interface Geometry3 {
  readonly geometry: WindowGeometry;
  readonly inD: number; readonly inH: number; readonly inW: number;
  readonly outD: number; readonly outH: number; readonly outW: number;
  readonly kD: number; readonly kH: number; readonly kW: number;
  readonly sD: number; readonly sH: number; readonly sW: number;
  readonly dD: number; readonly dH: number; readonly dW: number;
  readonly pD: number; readonly pH: number; readonly pW: number;
  /** Padding after, per axis (used by average pooling's divisor). */
  readonly qD: number; readonly qH: number; readonly qW: number;
}

export function lift3(geometry: WindowGeometry): Geometry3 {
  const axes = geometry.axes;
  const pad = 3 - axes.length;
  const ax = (i: number) => (i < pad ? undefined : axes[i - pad]);
  const get = (i: number, f: (a: NonNullable<ReturnType<typeof ax>>) => number, trivial: number) => {
    const a = ax(i);
    return a === undefined ? trivial : f(a);
  };
  return {
    geometry,
    inD: get(0, (a) => a.inSize, 1), inH: get(1, (a) => a.inSize, 1), inW: get(2, (a) => a.inSize, 1),
    outD: get(0, (a) => a.outSize, 1), outH: get(1, (a) => a.outSize, 1), outW: get(2, (a) => a.outSize, 1),
    kD: get(0, (a) => a.kernel, 1), kH: get(1, (a) => a.kernel, 1), kW: get(2, (a) => a.kernel, 1),
    sD: get(0, (a) => a.stride, 1), sH: get(1, (a) => a.stride, 1), sW: get(2, (a) => a.stride, 1),
    dD: get(0, (a) => a.dilation, 1), dH: get(1, (a) => a.dilation, 1), dW: get(2, (a) => a.dilation, 1),
    pD: get(0, (a) => a.padBefore, 0), pH: get(1, (a) => a.padBefore, 0), pW: get(2, (a) => a.padBefore, 0),
    qD: get(0, (a) => a.padAfter, 0), qH: get(1, (a) => a.padAfter, 0), qW: get(2, (a) => a.padAfter, 0),
  };
}

/** A grouped conv as a matrix product per group: cOutG×K weights times K×P im2col columns. */
export interface ConvGemmShape {
  readonly cInG: number;
  readonly cOutG: number;
  /** Kernel taps per input channel. */
  readonly kVol: number;
  /** Reduction length: input channels per group times kernel taps. */
  readonly K: number;
  /** Output positions. */
  readonly P: number;
  /** Input positions per channel. */
  readonly inPlane: number;
  /** A 1×1, stride-1, unpadded conv: the input channels are the columns, with no packing to do. */
  readonly pointwise: boolean;
}

/** The GEMM shape of a conv, the same for the TypeScript and the WebAssembly kernels. */
export function convGemmShape(g: Geometry3, cIn: number, cOut: number, groups: number): ConvGemmShape {
  const kVol = g.kD * g.kH * g.kW;
  const cInG = cIn / groups;
  const P = g.outD * g.outH * g.outW;
  const inPlane = g.inD * g.inH * g.inW;
  const pointwise = kVol === 1 && g.sD === 1 && g.sH === 1 && g.sW === 1 && g.pD === 0 && g.pH === 0 && g.pW === 0 && P === inPlane;
  return { cInG, cOutG: cOut / groups, kVol, K: cInG * kVol, P, inPlane, pointwise };
}

export interface WindowRequest {
  readonly inSize: readonly number[];
  /** Taps per axis; with `geometry`, only checked against it (a conv's weights), and may be absent (pooling). */
  readonly kernel?: PerAxis;
  readonly stride?: PerAxis;
  readonly dilation?: PerAxis;
  readonly padding?: PaddingOption;
  readonly ceilMode?: boolean;
  readonly outputPadding?: PerAxis;
  readonly transposed?: boolean;
  /**
   * A geometry computed before, e.g. the analysis's (`GraphLayer.window`): used as
   * it is, after checking that it describes this input. The window options must
   * then be absent: the record already holds them.
   */
  readonly geometry?: WindowGeometry;
  readonly what: string;
}

/**
 * The geometry of a windowed kernel call, lifted to three axes. Either the
 * given `geometry`, or one `windowGeometry` builds from the normalised options;
 * throws if an output size is not positive.
 */
export function resolveWindow(req: WindowRequest): Geometry3 {
  const rank = req.inSize.length;
  if (rank < 1 || rank > 3) throw new RangeError(`${req.what}: expected 1 to 3 spatial axes, got ${rank}`);
  return lift3(fitted(req.geometry ? givenGeometry(req.geometry, req) : geometryFromOptions(req), req.what));
}

function geometryFromOptions(req: WindowRequest): WindowGeometry {
  const rank = req.inSize.length;
  const kernel = axisValues(req.kernel, rank, 1, `${req.what} kernel`, 1);
  const stride = axisValues(req.stride, rank, 1, `${req.what} stride`, 1);
  const dilation = axisValues(req.dilation, rank, 1, `${req.what} dilation`, 1);
  let outputPadding: number[] | undefined;
  if (req.transposed) {
    outputPadding = axisValues(req.outputPadding, rank, 0, `${req.what} outputPadding`, 0);
    // PyTorch's rule: an output padding reaches no further than one stride or dilation.
    outputPadding.forEach((p, i) => {
      if (p >= Math.max(stride[i], dilation[i])) throw new RangeError(`${req.what} outputPadding: ${p} must be smaller than the stride or the dilation (${Math.max(stride[i], dilation[i])})`);
    });
  }
  return windowGeometry({
    inSize: req.inSize,
    kernel,
    stride,
    dilation,
    padding: paddingFromOption(req.padding, rank),
    ceilMode: req.ceilMode ?? false,
    ...(outputPadding ? { transposed: { outputPadding } } : {}),
  });
}

/** Checks that a given geometry describes this input (and these weights); a mismatch is a caller's bug. */
function givenGeometry(geometry: WindowGeometry, req: WindowRequest): WindowGeometry {
  const { what, inSize } = req;
  for (const option of ['stride', 'dilation', 'padding', 'ceilMode', 'outputPadding'] as const) {
    if (req[option] !== undefined) throw new TypeError(`${what}: give either a geometry or ${option}, not both`);
  }
  const axes = geometry.axes;
  if (axes.length !== inSize.length) throw new RangeError(`${what}: the geometry has ${axes.length} spatial axes, the input ${inSize.length}`);
  const kernel = req.kernel === undefined ? undefined : axisValues(req.kernel, inSize.length, 1, `${what} kernel`, 1);
  for (let i = 0; i < axes.length; i++) {
    if (axes[i].inSize !== inSize[i]) throw new RangeError(`${what}: the geometry is for input size [${axes.map((a) => a.inSize).join(', ')}], the input is [${inSize.join(', ')}]`);
    if (kernel && axes[i].kernel !== kernel[i]) throw new RangeError(`${what}: the geometry is for kernel [${axes.map((a) => a.kernel).join(', ')}], the weights are [${kernel.join(', ')}]`);
  }
  // The kernels index the input and the output by these sizes, so they must be the ones
  // windowGeometry gives for the record's own window. Pooling's ceil mode is not recorded:
  // either rounding passes.
  const rank = axes.length;
  const field = (name: string, f: (a: AxisGeometry) => number, min: number) => axisValues(axes.map(f), rank, 0, `${what} geometry ${name}`, min);
  const padAfter = field('padding', (a) => a.padAfter, 0);
  const window: WindowOptions = {
    inSize,
    kernel: field('kernel', (a) => a.kernel, 1),
    stride: field('stride', (a) => a.stride, 1),
    dilation: field('dilation', (a) => a.dilation, 1),
    padding: field('padding', (a) => a.padBefore, 0).map((before, i) => [before, padAfter[i]] as const),
    ...(req.transposed ? { transposed: { outputPadding: field('outputPadding', (a) => a.outputPadding, 0) } } : {}),
  };
  const candidates = req.transposed ? [windowGeometry(window)] : [windowGeometry(window), windowGeometry({ ...window, ceilMode: true })];
  const same = (c: WindowGeometry) => c.axes.every((a, i) => a.outSize === axes[i].outSize && a.outSize === geometry.outSize[i] && a.effectiveKernel === axes[i].effectiveKernel);
  if (!candidates.some(same)) {
    throw new RangeError(`${what}: the geometry's output size [${geometry.outSize.join(', ')}] does not follow from its window ([${candidates[0].outSize.join(', ')}] expected)`);
  }
  return geometry;
}

function fitted(geometry: WindowGeometry, what: string): WindowGeometry {
  if (geometry.outSize.some((n) => n <= 0)) {
    throw new Error(`${what}: window does not fit, output size [${geometry.outSize.join(', ')}]`);
  }
  return geometry;
}
