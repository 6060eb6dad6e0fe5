/**
 * Convolution and transposed convolution over 1–3 spatial axes (CHW layout):
 * the public entry points. They check the shapes, take the window (a given
 * geometry, or options normalised into one by `windowGeometry`), and hand one
 * `ConvCall` record to the kernel the dispatch table picks (dispatch.ts says
 * which runs when, and why). Padding is never materialised: taps that fall
 * outside the input are skipped.
 */
import type { WindowGeometry } from '../../geometry';
import { asTensor, type Tensor, type TensorLike } from '../../tensor';
import { resolveWindow, type PaddingOption, type PerAxis } from '../window';
import type { ConvCall } from './call';
import { CONV_KERNELS, CONV_TRANSPOSE_KERNELS, runConvKernel } from './dispatch';

export interface ConvOptions {
  /**
   * The window as a record computed before (the analysis keeps one per layer,
   * `GraphLayer.window`), instead of stride, padding and dilation.
   */
  readonly geometry?: WindowGeometry;
  readonly stride?: PerAxis;
  /** A number, per-axis numbers, [before, after] pairs per axis, `same` or `valid`. Default 0. */
  readonly padding?: PaddingOption;
  readonly dilation?: PerAxis;
  readonly groups?: number;
}

export interface ConvTransposeOptions extends ConvOptions {
  readonly outputPadding?: PerAxis;
}

interface ConvShapes {
  readonly spatialRank: number;
  readonly cIn: number;
  readonly cOut: number;
  readonly groups: number;
  readonly kernel: readonly number[];
}

function checkConvShapes(what: string, input: Tensor, weight: Tensor, bias: Tensor | null, groups: number, transposed: boolean): ConvShapes {
  const spatialRank = input.shape.length - 1;
  if (spatialRank < 1 || spatialRank > 3) throw new Error(`${what}: input must be C×L, C×H×W or C×D×H×W, got [${input.shape.join(', ')}]`);
  if (weight.shape.length !== spatialRank + 2) throw new Error(`${what}: weight rank ${weight.shape.length} does not match a ${spatialRank}D input`);
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${what}: groups must be a positive integer, got ${groups}`);
  const cIn = input.shape[0];
  const kernel = weight.shape.slice(2);
  let cOut: number;
  if (transposed) {
    if (weight.shape[0] !== cIn) throw new Error(`${what}: weight has ${weight.shape[0]} input channels, input has ${cIn}`);
    cOut = weight.shape[1] * groups;
  } else {
    if (weight.shape[1] * groups !== cIn) throw new Error(`${what}: weight expects ${weight.shape[1] * groups} input channels, input has ${cIn}`);
    cOut = weight.shape[0];
  }
  if (cIn % groups !== 0 || cOut % groups !== 0) throw new Error(`${what}: channels ${cIn}→${cOut} are not divisible by groups=${groups}`);
  if (bias !== null && bias.data.length !== cOut) throw new Error(`${what}: bias has ${bias.data.length} values for ${cOut} output channels`);
  return { spatialRank, cIn, cOut, groups, kernel };
}

/**
 * N-dimensional convolution (1D, 2D or 3D, from the input's rank), PyTorch's
 * `F.conv{1,2,3}d` without the batch axis. Weight is [C_out, C_in/groups, k…].
 * `padding: 'same'` follows PyTorch at stride 1 (odd padding goes after) and
 * TensorFlow's rule at larger strides, which PyTorch rejects. Throws on shape
 * mismatches and when the window does not fit the padded input.
 */
export function conv(input: TensorLike, weight: TensorLike, bias: TensorLike | null, options: ConvOptions = {}): Tensor {
  const x = asTensor(input, 'conv input');
  const w = asTensor(weight, 'conv weight');
  const b = bias == null ? null : asTensor(bias, 'conv bias');
  const groups = options.groups ?? 1;
  const s = checkConvShapes('conv', x, w, b, groups, false);
  const g = resolveWindow({
    inSize: x.shape.slice(1),
    kernel: s.kernel,
    stride: options.stride,
    dilation: options.dilation,
    padding: options.padding,
    geometry: options.geometry,
    what: 'conv',
  });
  const out = new Float32Array(s.cOut * g.outD * g.outH * g.outW);
  const call: ConvCall = { x: x.data, w: w.data, bias: b?.data ?? null, out, g, cIn: s.cIn, cOut: s.cOut, groups, cInG: s.cIn / groups, cOutG: s.cOut / groups };
  runConvKernel(CONV_KERNELS, call);
  return { shape: [s.cOut, ...g.geometry.outSize], data: out };
}

/** 2D convolution: `conv` for C×H×W inputs with [C_out, C_in/groups, kH, kW] weights. */
export function conv2d(input: TensorLike, weight: TensorLike, bias: TensorLike | null, options: ConvOptions = {}): Tensor {
  if (input.shape.length !== 3) throw new Error(`conv2d: input must be C×H×W, got [${input.shape.join(', ')}]`);
  return conv(input, weight, bias, options);
}

export function conv1d(input: TensorLike, weight: TensorLike, bias: TensorLike | null, options: ConvOptions = {}): Tensor {
  if (input.shape.length !== 2) throw new Error(`conv1d: input must be C×L, got [${input.shape.join(', ')}]`);
  return conv(input, weight, bias, options);
}

export function conv3d(input: TensorLike, weight: TensorLike, bias: TensorLike | null, options: ConvOptions = {}): Tensor {
  if (input.shape.length !== 4) throw new Error(`conv3d: input must be C×D×H×W, got [${input.shape.join(', ')}]`);
  return conv(input, weight, bias, options);
}

/**
 * Transposed convolution (1D/2D/3D), PyTorch's `F.conv_transpose{1,2,3}d`
 * without the batch axis. Weight is [C_in, C_out/groups, k…]. Each input
 * sample scatters weight·x into out[i·s − p + k·d]; taps landing outside the
 * output are skipped. Padding is numbers or [before, after] pairs (not `same`).
 * With enough input channels per group it runs as GEMM + col2im instead (dispatch.ts).
 */
export function convTranspose(input: TensorLike, weight: TensorLike, bias: TensorLike | null, options: ConvTransposeOptions = {}): Tensor {
  const x = asTensor(input, 'convTranspose input');
  const w = asTensor(weight, 'convTranspose weight');
  const b = bias == null ? null : asTensor(bias, 'convTranspose bias');
  const groups = options.groups ?? 1;
  const s = checkConvShapes('convTranspose', x, w, b, groups, true);
  if (options.padding === 'same') throw new Error(`convTranspose: padding 'same' is not supported`);
  const g = resolveWindow({
    inSize: x.shape.slice(1),
    kernel: s.kernel,
    stride: options.stride,
    dilation: options.dilation,
    padding: options.padding,
    outputPadding: options.outputPadding,
    transposed: true,
    geometry: options.geometry,
    what: 'convTranspose',
  });
  const outPlane = g.outD * g.outH * g.outW;
  const out = new Float32Array(s.cOut * outPlane);
  for (let co = 0; co < s.cOut; co++) out.fill(b === null ? 0 : b.data[co], co * outPlane, (co + 1) * outPlane);
  const call: ConvCall = { x: x.data, w: w.data, bias: b?.data ?? null, out, g, cIn: s.cIn, cOut: s.cOut, groups, cInG: s.cIn / groups, cOutG: s.cOut / groups };
  runConvKernel(CONV_TRANSPOSE_KERNELS, call);
  return { shape: [s.cOut, ...g.geometry.outSize], data: out };
}
