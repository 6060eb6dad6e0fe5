/**
 * Convolution and transposed convolution over 1–3 spatial axes (CHW layout).
 *
 * Every size comes from `windowGeometry` (via `resolveWindow`). Padding is
 * never materialised: taps that fall outside the input are skipped.
 *
 * conv picks one of four paths:
 * - depthwise (one input channel per group): 3×3 kernels accumulate all nine taps
 *   per output in registers, with the bounds checks only on border pixels; other
 *   kernels add one tap at a time to each output row;
 * - everything else: for each group, an implicit GEMM out[M×P] = W[M×K]·col[K×P]
 *   where M = C_out/groups, K = C_in/groups·kernel volume and P = output positions.
 *   The column matrix is built one chunk of positions at a time into a reused
 *   buffer, packed into NR-wide panels (weights into MR-tall panels) so that the
 *   MR×NR (4×3) register-blocked micro-kernel reads both operands sequentially.
 *   A 1×1 stride-1 unpadded conv packs by plain copies (a pure GEMM).
 * - 3×3 stride-1 undilated 2D convs with enough channels use Winograd: F(4×4, 3×3)
 *   on larger maps (36 multiplies per 4×4 output tile instead of 144), F(2×2, 3×3)
 *   on small ones (16 instead of 36), each as a batch of C_out×C_in×tiles GEMMs.
 *   Transformed operands are kept in double, so the result is as accurate as the
 *   direct sum (the only rounding that matters is the final one to float32).
 */
import { asTensor, type Tensor, type TensorLike } from '../tensor';
import { usePhaseWinograd, wasmConvGemm, wasmConvPhase, wasmDepthwise3x3, wasmWinograd } from '../wasm';
import type { WindowGeometry } from '../geometry';
import { convGemmShape, resolveWindow, type Geometry3, type PaddingOption, type PerAxis } from './window';

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

const MR = 4;
const NR = 3;
/** Transposed convs with fewer input channels per group scatter directly; GEMM with K this small gains nothing. */
const TRANSPOSED_GEMM_MIN_CHANNELS = 4;
/** Target size, in floats, of one packed column chunk (K × chunk width): about 128 KB. */
const CHUNK_FLOATS = 32 * 1024;

// Scratch reused across calls (one worker runs one kernel at a time); they grow to
// the largest layer seen and are kept.
let colBuffer: Float32Array = new Float32Array(0);
let weightBuffer: Float32Array = new Float32Array(0);

function scratch(current: Float32Array, size: number): Float32Array {
  return current.length >= size ? current : new Float32Array(size);
}

function scratch64(current: Float64Array, size: number): Float64Array {
  return current.length >= size ? current : new Float64Array(size);
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
  const cInG = s.cIn / groups;
  const cOutG = s.cOut / groups;
  if (cInG === 1) {
    // WebAssembly SIMD for 3×3 with horizontal stride 1; false for other shapes or when unavailable.
    if (!wasmDepthwise3x3(x.data, w.data, b?.data ?? null, out, g, s.cIn, cOutG)) depthwise(x.data, w.data, b?.data ?? null, out, g, s.cIn, cOutG);
  }
  else if (useWasmWinograd(g, cInG, cOutG) && wasmWinograd(x.data, w.data, b?.data ?? null, out, g, s.cIn, s.cOut, groups)) {
    // WebAssembly SIMD Winograd F(2×2, 3×3) (src/core/wasm.ts); false when unavailable.
  } else if (usePhaseWinograd(g, groups) && wasmConvPhase(x.data, w.data, b?.data ?? null, out, g, s.cIn, s.cOut)) {
    // WebAssembly stride-phase Winograd F(2, 3) along rows (the 7×7 stride-2 stem); false when unavailable.
  } else if (wasmConvGemm(x.data, w.data, b?.data ?? null, out, g, s.cIn, s.cOut, groups)) {
    // WebAssembly SIMD GEMM; false when unavailable.
  } else if (useWinograd(g, cInG, cOutG)) {
    // F(4×4) does 36 multiplies per 16 outputs but transforms each filter into 36 values on
    // every call; with few tiles that transform dominates and F(2×2) is faster (measured).
    if (Math.ceil(g.outH / 4) * Math.ceil(g.outW / 4) >= 32) winograd4x4(x.data, w.data, b?.data ?? null, out, g, s.cIn, s.cOut, groups);
    else winograd3x3(x.data, w.data, b?.data ?? null, out, g, s.cIn, s.cOut, groups);
  }
  else gemmConv(x.data, w.data, b?.data ?? null, out, g, s.cIn, s.cOut, groups);
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

/** First output index o ≥ 0 whose tap o·s − p + t lands at or after input index 0. */
function firstValid(pad: number, tapOffset: number, stride: number): number {
  const v = pad - tapOffset;
  return v <= 0 ? 0 : Math.ceil(v / stride);
}

/** Last output index (< outSize) whose tap o·s − p + t lands before inSize. */
function lastValid(inSize: number, pad: number, tapOffset: number, stride: number, outSize: number): number {
  const v = inSize - 1 + pad - tapOffset;
  return v < 0 ? -1 : Math.min(outSize - 1, Math.floor(v / stride));
}

function depthwise(x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, g: Geometry3, cIn: number, multiplier: number): void {
  const inPlane = g.inD * g.inH * g.inW;
  const inRow = g.inW;
  const inSlice = g.inH * g.inW;
  const outRow = g.outW;
  const outSlice = g.outH * g.outW;
  const outPlane = g.outD * outSlice;
  const kVol = g.kD * g.kH * g.kW;
  const sW = g.sW;
  for (let ci = 0; ci < cIn; ci++) {
    const xBase = ci * inPlane;
    for (let m = 0; m < multiplier; m++) {
      const co = ci * multiplier + m;
      const oBase = co * outPlane;
      if (g.kD === 1 && g.kH === 3 && g.kW === 3) {
        depthwise3x3(x, xBase, w, co * 9, bias === null ? 0 : bias[co], out, oBase, g);
        continue;
      }
      if (g.kD === 1 && g.inD === 1) {
        depthwiseRows(x, xBase, w, co * kVol, bias === null ? 0 : bias[co], out, oBase, g);
        continue;
      }
      out.fill(bias === null ? 0 : bias[co], oBase, oBase + outPlane);
      for (let kd = 0; kd < g.kD; kd++) {
        const tD = kd * g.dD;
        const od0 = firstValid(g.pD, tD, g.sD);
        const od1 = lastValid(g.inD, g.pD, tD, g.sD, g.outD);
        for (let kh = 0; kh < g.kH; kh++) {
          const tH = kh * g.dH;
          const oh0 = firstValid(g.pH, tH, g.sH);
          const oh1 = lastValid(g.inH, g.pH, tH, g.sH, g.outH);
          for (let kw = 0; kw < g.kW; kw++) {
            const tW = kw * g.dW;
            const ow0 = firstValid(g.pW, tW, sW);
            const ow1 = lastValid(g.inW, g.pW, tW, sW, g.outW);
            if (ow1 < ow0) continue;
            const wv = w[co * kVol + (kd * g.kH + kh) * g.kW + kw];
            for (let od = od0; od <= od1; od++) {
              const id = od * g.sD - g.pD + tD;
              for (let oh = oh0; oh <= oh1; oh++) {
                const ih = oh * g.sH - g.pH + tH;
                let o = oBase + od * outSlice + oh * outRow + ow0;
                const oEnd = oBase + od * outSlice + oh * outRow + ow1 + 1;
                let i = xBase + id * inSlice + ih * inRow + ow0 * sW - g.pW + tW;
                if (sW === 1) {
                  for (; o + 3 < oEnd; o += 4, i += 4) {
                    out[o] += wv * x[i];
                    out[o + 1] += wv * x[i + 1];
                    out[o + 2] += wv * x[i + 2];
                    out[o + 3] += wv * x[i + 3];
                  }
                  for (; o < oEnd; o++, i++) out[o] += wv * x[i];
                } else {
                  for (; o < oEnd; o++, i += sW) out[o] += wv * x[i];
                }
              }
            }
          }
        }
      }
    }
  }
}

/** One output plane of a depthwise conv with a 1×3×3 kernel (any stride, dilation, padding). */
function depthwise3x3(x: Float32Array, xBase: number, w: Float32Array, wBase: number, bias: number, out: Float32Array, oBase: number, g: Geometry3): void {
  const { inD, inH, inW, outD, outH, outW, sD, sH, sW, dH, dW, pD, pH, pW } = g;
  const inSlice = inH * inW;
  const w00 = w[wBase], w01 = w[wBase + 1], w02 = w[wBase + 2];
  const w10 = w[wBase + 3], w11 = w[wBase + 4], w12 = w[wBase + 5];
  const w20 = w[wBase + 6], w21 = w[wBase + 7], w22 = w[wBase + 8];
  // Output columns whose three taps all fall inside a row.
  const owA = firstValid(pW, 0, sW);
  const owB = lastValid(inW, pW, 2 * dW, sW, outW);
  const c1 = dW;
  const c2 = 2 * dW;
  const r1 = dH * inW;
  const r2 = 2 * dH * inW;
  let o = oBase;
  for (let od = 0; od < outD; od++) {
    const id = od * sD - pD;
    if (id < 0 || id >= inD) {
      out.fill(bias, o, o + outH * outW);
      o += outH * outW;
      continue;
    }
    const sliceBase = xBase + id * inSlice;
    for (let oh = 0; oh < outH; oh++, o += outW) {
      const ih0 = oh * sH - pH;
      const ok0 = ih0 >= 0 && ih0 < inH;
      const ok1 = ih0 + dH >= 0 && ih0 + dH < inH;
      const ok2 = ih0 + 2 * dH >= 0 && ih0 + 2 * dH < inH;
      let ow = 0;
      for (; ow < owA && ow < outW; ow++) out[o + ow] = borderTap3x3(x, sliceBase, w, wBase, bias, ih0, ow * sW - pW, g);
      let i = sliceBase + ih0 * inW + ow * sW - pW;
      if (ok0 && ok1 && ok2) {
        for (; ow <= owB; ow++, i += sW) {
          out[o + ow] =
            bias +
            w00 * x[i] + w01 * x[i + c1] + w02 * x[i + c2] +
            w10 * x[i + r1] + w11 * x[i + r1 + c1] + w12 * x[i + r1 + c2] +
            w20 * x[i + r2] + w21 * x[i + r2 + c1] + w22 * x[i + r2 + c2];
        }
      } else {
        // Rows in the padding are skipped, not multiplied by zero (0·∞ would give NaN).
        for (; ow <= owB; ow++, i += sW) {
          let acc = bias;
          if (ok0) acc += w00 * x[i] + w01 * x[i + c1] + w02 * x[i + c2];
          if (ok1) acc += w10 * x[i + r1] + w11 * x[i + r1 + c1] + w12 * x[i + r1 + c2];
          if (ok2) acc += w20 * x[i + r2] + w21 * x[i + r2 + c1] + w22 * x[i + r2 + c2];
          out[o + ow] = acc;
        }
      }
      for (; ow < outW; ow++) out[o + ow] = borderTap3x3(x, sliceBase, w, wBase, bias, ih0, ow * sW - pW, g);
    }
  }
}

/**
 * One output plane of a 1D/2D depthwise conv with any kernel: for every output
 * row and kernel row, each output adds a whole kernel row's dot product (5 and
 * 7 taps unrolled, ConvNeXt's and EfficientNet's sizes), so the output is
 * loaded and stored once per kernel row rather than once per tap.
 */
function depthwiseRows(x: Float32Array, xBase: number, w: Float32Array, wBase: number, bias: number, out: Float32Array, oBase: number, g: Geometry3): void {
  const { inH, inW, outH, outW, kH, kW, sH, sW, dH, dW, pH, pW } = g;
  const owA = firstValid(pW, 0, sW);
  const owB = lastValid(inW, pW, (kW - 1) * dW, sW, outW);
  out.fill(bias, oBase, oBase + outH * outW);
  for (let oh = 0; oh < outH; oh++) {
    const o = oBase + oh * outW;
    for (let kh = 0; kh < kH; kh++) {
      const ih = oh * sH - pH + kh * dH;
      if (ih < 0 || ih >= inH) continue;
      const row = xBase + ih * inW;
      const wr = wBase + kh * kW;
      let ow = 0;
      for (; ow < owA && ow < outW; ow++) out[o + ow] += rowTapsChecked(x, row, w, wr, kW, ow * sW - pW, dW, inW);
      let i = row + ow * sW - pW;
      if (kW === 7) {
        const w0 = w[wr], w1 = w[wr + 1], w2 = w[wr + 2], w3 = w[wr + 3], w4 = w[wr + 4], w5 = w[wr + 5], w6 = w[wr + 6];
        for (; ow <= owB; ow++, i += sW) {
          out[o + ow] +=
            w0 * x[i] + w1 * x[i + dW] + w2 * x[i + 2 * dW] + w3 * x[i + 3 * dW] + w4 * x[i + 4 * dW] + w5 * x[i + 5 * dW] + w6 * x[i + 6 * dW];
        }
      } else if (kW === 5) {
        const w0 = w[wr], w1 = w[wr + 1], w2 = w[wr + 2], w3 = w[wr + 3], w4 = w[wr + 4];
        for (; ow <= owB; ow++, i += sW) {
          out[o + ow] += w0 * x[i] + w1 * x[i + dW] + w2 * x[i + 2 * dW] + w3 * x[i + 3 * dW] + w4 * x[i + 4 * dW];
        }
      } else {
        for (; ow <= owB; ow++, i += sW) {
          let acc = 0;
          for (let kw = 0, j = i; kw < kW; kw++, j += dW) acc += w[wr + kw] * x[j];
          out[o + ow] += acc;
        }
      }
      for (; ow < outW; ow++) out[o + ow] += rowTapsChecked(x, row, w, wr, kW, ow * sW - pW, dW, inW);
    }
  }
}

/** One kernel row's dot product at input column iw0, skipping taps outside the row. */
function rowTapsChecked(x: Float32Array, row: number, w: Float32Array, wr: number, kW: number, iw0: number, dW: number, inW: number): number {
  let acc = 0;
  for (let kw = 0; kw < kW; kw++) {
    const iw = iw0 + kw * dW;
    if (iw >= 0 && iw < inW) acc += w[wr + kw] * x[row + iw];
  }
  return acc;
}

/** A 3×3 window that may overlap the padding: skip taps outside the input. */
function borderTap3x3(x: Float32Array, sliceBase: number, w: Float32Array, wBase: number, bias: number, ih0: number, iw0: number, g: Geometry3): number {
  let acc = bias;
  for (let kh = 0; kh < 3; kh++) {
    const ih = ih0 + kh * g.dH;
    if (ih < 0 || ih >= g.inH) continue;
    const row = sliceBase + ih * g.inW;
    for (let kw = 0; kw < 3; kw++) {
      const iw = iw0 + kw * g.dW;
      if (iw < 0 || iw >= g.inW) continue;
      acc += w[wBase + kh * 3 + kw] * x[row + iw];
    }
  }
  return acc;
}

function gemmConv(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
  g: Geometry3,
  cIn: number,
  cOut: number,
  groups: number,
): void {
  const { cInG, cOutG, K, P, inPlane, pointwise } = convGemmShape(g, cIn, cOut, groups);
  const mPanels = Math.ceil(cOutG / MR);

  let chunk = Math.max(NR, Math.floor(CHUNK_FLOATS / K / NR) * NR);
  chunk = Math.min(chunk, Math.ceil(P / NR) * NR);
  colBuffer = scratch(colBuffer, K * chunk);
  weightBuffer = scratch(weightBuffer, mPanels * MR * K);
  const col = colBuffer;
  const wp = weightBuffer;

  for (let grp = 0; grp < groups; grp++) {
    packWeights(w, wp, grp * cOutG, cOutG, K);
    const xBase = grp * cInG * inPlane;
    for (let p0 = 0; p0 < P; p0 += chunk) {
      const width = Math.min(chunk, P - p0);
      if (pointwise) packPointwise(x, col, xBase, inPlane, cInG, p0, width);
      else packColumns(x, col, xBase, g, cInG, p0, width);
      const nPanels = Math.ceil(width / NR);
      for (let mb = 0; mb < mPanels; mb++) {
        const m0 = mb * MR;
        const rows = Math.min(MR, cOutG - m0);
        const co0 = grp * cOutG + m0;
        const b0 = bias === null ? 0 : bias[co0];
        const b1 = bias === null || rows < 2 ? 0 : bias[co0 + 1];
        const b2 = bias === null || rows < 3 ? 0 : bias[co0 + 2];
        const b3 = bias === null || rows < 4 ? 0 : bias[co0 + 3];
        const o0 = co0 * P + p0;
        for (let pb = 0; pb < nPanels; pb++) {
          const p = pb * NR;
          microKernel(wp, mb * MR * K, col, p * K, K, out, o0 + p, P, rows, Math.min(NR, width - p), b0, b1, b2, b3);
        }
      }
    }
  }
}

/**
 * out[r·ld + c] = b_r + Σ_k wp[wi + k·MR + r]·col[ci + k·NR + c] for an MR×NR block
 * (only `rows`×`cols` of it are stored). 4×3 accumulators: 12 doubles stay in
 * registers (4×4 spills on x64 and measured ~10% slower).
 */
function microKernel(
  wp: Float32Array, wi: number, col: Float32Array, ci: number, K: number,
  out: Float32Array, o: number, ld: number, rows: number, cols: number,
  b0: number, b1: number, b2: number, b3: number,
): void {
  let a00 = b0, a01 = b0, a02 = b0;
  let a10 = b1, a11 = b1, a12 = b1;
  let a20 = b2, a21 = b2, a22 = b2;
  let a30 = b3, a31 = b3, a32 = b3;
  for (let k = 0; k < K; k++) {
    const w0 = wp[wi], w1 = wp[wi + 1], w2 = wp[wi + 2], w3 = wp[wi + 3];
    const c0 = col[ci], c1 = col[ci + 1], c2 = col[ci + 2];
    a00 += w0 * c0; a01 += w0 * c1; a02 += w0 * c2;
    a10 += w1 * c0; a11 += w1 * c1; a12 += w1 * c2;
    a20 += w2 * c0; a21 += w2 * c1; a22 += w2 * c2;
    a30 += w3 * c0; a31 += w3 * c1; a32 += w3 * c2;
    wi += MR;
    ci += NR;
  }
  if (rows === MR && cols === NR) {
    out[o] = a00; out[o + 1] = a01; out[o + 2] = a02;
    o += ld;
    out[o] = a10; out[o + 1] = a11; out[o + 2] = a12;
    o += ld;
    out[o] = a20; out[o + 1] = a21; out[o + 2] = a22;
    o += ld;
    out[o] = a30; out[o + 1] = a31; out[o + 2] = a32;
  } else {
    const acc = [a00, a01, a02, a10, a11, a12, a20, a21, a22, a30, a31, a32];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[o + r * ld + c] = acc[r * NR + c];
    }
  }
}

/**
 * `microKernel` on double buffers (the Winograd path keeps its transformed
 * operands in double so that it is as accurate as the direct sum). A separate
 * copy keeps each one monomorphic for V8.
 *
 * out[r·ld + c] = b_r + Σ_k wp[wi + k·MR + r]·col[ci + k·NR + c] for an MR×NR block
 * (only `rows`×`cols` of it are stored). 4×3 accumulators: 12 doubles stay in
 * registers (4×4 spills on x64 and measured ~10% slower).
 */
function microKernel64(
  wp: Float64Array, wi: number, col: Float64Array, ci: number, K: number,
  out: Float64Array, o: number, ld: number, rows: number, cols: number,
  b0: number, b1: number, b2: number, b3: number,
): void {
  let a00 = b0, a01 = b0, a02 = b0;
  let a10 = b1, a11 = b1, a12 = b1;
  let a20 = b2, a21 = b2, a22 = b2;
  let a30 = b3, a31 = b3, a32 = b3;
  for (let k = 0; k < K; k++) {
    const w0 = wp[wi], w1 = wp[wi + 1], w2 = wp[wi + 2], w3 = wp[wi + 3];
    const c0 = col[ci], c1 = col[ci + 1], c2 = col[ci + 2];
    a00 += w0 * c0; a01 += w0 * c1; a02 += w0 * c2;
    a10 += w1 * c0; a11 += w1 * c1; a12 += w1 * c2;
    a20 += w2 * c0; a21 += w2 * c1; a22 += w2 * c2;
    a30 += w3 * c0; a31 += w3 * c1; a32 += w3 * c2;
    wi += MR;
    ci += NR;
  }
  if (rows === MR && cols === NR) {
    out[o] = a00; out[o + 1] = a01; out[o + 2] = a02;
    o += ld;
    out[o] = a10; out[o + 1] = a11; out[o + 2] = a12;
    o += ld;
    out[o] = a20; out[o + 1] = a21; out[o + 2] = a22;
    o += ld;
    out[o] = a30; out[o + 1] = a31; out[o + 2] = a32;
  } else {
    const acc = [a00, a01, a02, a10, a11, a12, a20, a21, a22, a30, a31, a32];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[o + r * ld + c] = acc[r * NR + c];
    }
  }
}

/** Winograd pays off once the per-tile transforms are small next to the channel GEMMs. */
function useWinograd(g: Geometry3, cInG: number, cOutG: number): boolean {
  return (
    g.kD === 1 && g.inD === 1 && g.pD === 0 && g.kH === 3 && g.kW === 3 &&
    g.sH === 1 && g.sW === 1 && g.dH === 1 && g.dW === 1 &&
    cInG >= 8 && cOutG >= 8 && g.outH >= 2 && g.outW >= 2
  );
}

/**
 * The WebAssembly Winograd F(2×2, 3×3) transforms each filter into 16 values and
 * pads tile rows to a multiple of 4 tiles, so it needs enough tiles to pay that
 * back. Measured, ms, Winograd with fresh weights / cached transformed weights vs
 * im2col GEMM with cached packed weights: 64×56×56→64 3.1/2.9 vs 6.6,
 * 256×14×14→256 3.5/3.3 vs 6.9, 512×7×7→512 (16 tiles) 7.0/5.0 vs 9.3.
 */
function useWasmWinograd(g: Geometry3, cInG: number, cOutG: number): boolean {
  return useWinograd(g, cInG, cOutG) && Math.ceil(g.outH / 2) * Math.ceil(g.outW / 2) >= 16;
}

/** Target size, in values, of the transformed-input chunk (16 or 36 × C_in/groups × tiles). */
const WINOGRAD_CHUNK_FLOATS = 64 * 1024;

let winoU: Float64Array = new Float64Array(0);
let winoV: Float64Array = new Float64Array(0);
let winoM: Float64Array = new Float64Array(0);

/**
 * Winograd F(2×2, 3×3) (Lavin & Gray, 2015). For a 4×4 input tile d and a 3×3
 * filter g, the 2×2 output tile is Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A with
 *
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 −1 −1].
 *
 * Summing over input channels turns the ⊙ into 16 independent GEMMs
 * M_ξ[co, t] = Σ_ci U_ξ[co, ci]·V_ξ[ci, t], one per tile element ξ, run with the
 * same packed micro-kernel as the direct path. Tiles are processed in chunks;
 * input samples outside the image (padding, or past the last tile) read as 0.
 */
function winograd3x3(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
  g: Geometry3,
  cIn: number,
  cOut: number,
  groups: number,
): void {
  const { inH, inW, outH, outW, pH, pW } = g;
  const cInG = cIn / groups;
  const cOutG = cOut / groups;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const tilesW = Math.ceil(outW / 2);
  const tiles = Math.ceil(outH / 2) * tilesW;
  const mPanels = Math.ceil(cOutG / MR);
  const uStride = mPanels * MR * cInG;
  let chunk = Math.max(NR, Math.floor(WINOGRAD_CHUNK_FLOATS / (16 * Math.max(cInG, cOutG)) / NR) * NR);
  chunk = Math.min(chunk, Math.ceil(tiles / NR) * NR);
  const vStride = chunk * cInG;
  const mStride = cOutG * chunk;
  winoU = scratch64(winoU, 16 * uStride);
  winoV = scratch64(winoV, 16 * vStride);
  winoM = scratch64(winoM, 16 * mStride);
  const U = winoU;
  const V = winoV;
  const M = winoM;

  for (let grp = 0; grp < groups; grp++) {
    // U_ξ = G g Gᵀ, packed into MR-tall panels per ξ: U[ξ·uStride + (mb·cInG + ci)·MR + r].
    U.fill(0, 0, 16 * uStride);
    for (let m = 0; m < cOutG; m++) {
      const panel = Math.floor(m / MR) * cInG * MR + (m % MR);
      for (let ci = 0; ci < cInG; ci++) {
        const f = ((grp * cOutG + m) * cInG + ci) * 9;
        const dst = panel + ci * MR;
        // Rows: G·g (4×3), column j of the filter at a time; then columns: (G·g)·Gᵀ.
        const f00 = w[f], f01 = w[f + 1], f02 = w[f + 2];
        const f10 = w[f + 3], f11 = w[f + 4], f12 = w[f + 5];
        const f20 = w[f + 6], f21 = w[f + 7], f22 = w[f + 8];
        const h10 = 0.5 * (f00 + f10 + f20), h11 = 0.5 * (f01 + f11 + f21), h12 = 0.5 * (f02 + f12 + f22);
        const h20 = 0.5 * (f00 - f10 + f20), h21 = 0.5 * (f01 - f11 + f21), h22 = 0.5 * (f02 - f12 + f22);
        storeFilterRow(U, dst, uStride, 0, f00, f01, f02);
        storeFilterRow(U, dst, uStride, 4, h10, h11, h12);
        storeFilterRow(U, dst, uStride, 8, h20, h21, h22);
        storeFilterRow(U, dst, uStride, 12, f20, f21, f22);
      }
    }

    const xBase = grp * cInG * inPlane;
    for (let t0 = 0; t0 < tiles; t0 += chunk) {
      const width = Math.min(chunk, tiles - t0);
      const nPanels = Math.ceil(width / NR);
      // V_ξ = Bᵀ d B, packed into NR-wide panels per ξ: V[ξ·vStride + (pb·cInG + ci)·NR + j].
      for (let q = 0; q < nPanels * NR; q++) {
        const panel = Math.floor(q / NR) * cInG * NR + (q % NR);
        if (q >= width) {
          for (let e = 0; e < 16; e++) for (let ci = 0; ci < cInG; ci++) V[e * vStride + panel + ci * NR] = 0;
          continue;
        }
        const tile = t0 + q;
        const tx = tile % tilesW;
        const ty = (tile - tx) / tilesW;
        const iy0 = 2 * ty - pH;
        const ix0 = 2 * tx - pW;
        const inside = iy0 >= 0 && ix0 >= 0 && iy0 + 3 < inH && ix0 + 3 < inW;
        for (let ci = 0; ci < cInG; ci++) {
          const base = xBase + ci * inPlane;
          let d00, d01, d02, d03, d10, d11, d12, d13, d20, d21, d22, d23, d30, d31, d32, d33;
          if (inside) {
            let r = base + iy0 * inW + ix0;
            d00 = x[r]; d01 = x[r + 1]; d02 = x[r + 2]; d03 = x[r + 3];
            r += inW;
            d10 = x[r]; d11 = x[r + 1]; d12 = x[r + 2]; d13 = x[r + 3];
            r += inW;
            d20 = x[r]; d21 = x[r + 1]; d22 = x[r + 2]; d23 = x[r + 3];
            r += inW;
            d30 = x[r]; d31 = x[r + 1]; d32 = x[r + 2]; d33 = x[r + 3];
          } else {
            const at = (dy: number, dx: number): number => {
              const iy = iy0 + dy;
              const ix = ix0 + dx;
              return iy >= 0 && iy < inH && ix >= 0 && ix < inW ? x[base + iy * inW + ix] : 0;
            };
            d00 = at(0, 0); d01 = at(0, 1); d02 = at(0, 2); d03 = at(0, 3);
            d10 = at(1, 0); d11 = at(1, 1); d12 = at(1, 2); d13 = at(1, 3);
            d20 = at(2, 0); d21 = at(2, 1); d22 = at(2, 2); d23 = at(2, 3);
            d30 = at(3, 0); d31 = at(3, 1); d32 = at(3, 2); d33 = at(3, 3);
          }
          // Bᵀ d: rows.
          const a0 = d00 - d20, a1 = d01 - d21, a2 = d02 - d22, a3 = d03 - d23;
          const b0 = d10 + d20, b1 = d11 + d21, b2 = d12 + d22, b3 = d13 + d23;
          const c0 = d20 - d10, c1 = d21 - d11, c2 = d22 - d12, c3 = d23 - d13;
          const e0 = d10 - d30, e1 = d11 - d31, e2 = d12 - d32, e3 = d13 - d33;
          // (Bᵀ d) B: columns.
          const o = panel + ci * NR;
          V[o] = a0 - a2; V[vStride + o] = a1 + a2; V[2 * vStride + o] = a2 - a1; V[3 * vStride + o] = a1 - a3;
          V[4 * vStride + o] = b0 - b2; V[5 * vStride + o] = b1 + b2; V[6 * vStride + o] = b2 - b1; V[7 * vStride + o] = b1 - b3;
          V[8 * vStride + o] = c0 - c2; V[9 * vStride + o] = c1 + c2; V[10 * vStride + o] = c2 - c1; V[11 * vStride + o] = c1 - c3;
          V[12 * vStride + o] = e0 - e2; V[13 * vStride + o] = e1 + e2; V[14 * vStride + o] = e2 - e1; V[15 * vStride + o] = e1 - e3;
        }
      }

      // M_ξ[co, t] into M[ξ·mStride + co·chunk + t].
      for (let e = 0; e < 16; e++) {
        for (let mb = 0; mb < mPanels; mb++) {
          const rows = Math.min(MR, cOutG - mb * MR);
          for (let pb = 0; pb < nPanels; pb++) {
            microKernel64(
              U, e * uStride + mb * MR * cInG, V, e * vStride + pb * NR * cInG, cInG,
              M, e * mStride + mb * MR * chunk + pb * NR, chunk, rows, Math.min(NR, width - pb * NR), 0, 0, 0, 0,
            );
          }
        }
      }

      // Y = Aᵀ M A per tile, plus bias; the last row/column of a tile may fall outside the output.
      for (let m = 0; m < cOutG; m++) {
        const co = grp * cOutG + m;
        const bv = bias === null ? 0 : bias[co];
        const oBase = co * outPlane;
        for (let q = 0; q < width; q++) {
          const mi = m * chunk + q;
          const m00 = M[mi], m01 = M[mStride + mi], m02 = M[2 * mStride + mi], m03 = M[3 * mStride + mi];
          const m10 = M[4 * mStride + mi], m11 = M[5 * mStride + mi], m12 = M[6 * mStride + mi], m13 = M[7 * mStride + mi];
          const m20 = M[8 * mStride + mi], m21 = M[9 * mStride + mi], m22 = M[10 * mStride + mi], m23 = M[11 * mStride + mi];
          const m30 = M[12 * mStride + mi], m31 = M[13 * mStride + mi], m32 = M[14 * mStride + mi], m33 = M[15 * mStride + mi];
          // Aᵀ M: rows.
          const s0 = m00 + m10 + m20, s1 = m01 + m11 + m21, s2 = m02 + m12 + m22, s3 = m03 + m13 + m23;
          const u0 = m10 - m20 - m30, u1 = m11 - m21 - m31, u2 = m12 - m22 - m32, u3 = m13 - m23 - m33;
          const tile = t0 + q;
          const tx = tile % tilesW;
          const oy = 2 * ((tile - tx) / tilesW);
          const ox = 2 * tx;
          const o = oBase + oy * outW + ox;
          out[o] = s0 + s1 + s2 + bv;
          if (ox + 1 < outW) out[o + 1] = s1 - s2 - s3 + bv;
          if (oy + 1 < outH) {
            out[o + outW] = u0 + u1 + u2 + bv;
            if (ox + 1 < outW) out[o + outW + 1] = u1 - u2 - u3 + bv;
          }
        }
      }
    }
  }
}

let wino4U: Float64Array = new Float64Array(0);
let wino4V: Float64Array = new Float64Array(0);
let wino4M: Float64Array = new Float64Array(0);

/**
 * Winograd F(4×4, 3×3): 6×6 input tiles, 36 GEMMs, 36 multiplies per 4×4 output
 * tile instead of 144. Interpolation points 0, ±1, ±2, ∞:
 *
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
 *   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
 *
 * Same structure as `winograd3x3`; the transforms run on 6×6 scratch arrays.
 */
function winograd4x4(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  out: Float32Array,
  g: Geometry3,
  cIn: number,
  cOut: number,
  groups: number,
): void {
  const { inH, inW, outH, outW, pH, pW } = g;
  const cInG = cIn / groups;
  const cOutG = cOut / groups;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const tilesW = Math.ceil(outW / 4);
  const tiles = Math.ceil(outH / 4) * tilesW;
  const mPanels = Math.ceil(cOutG / MR);
  const uStride = mPanels * MR * cInG;
  let chunk = Math.max(NR, Math.floor(WINOGRAD_CHUNK_FLOATS / (36 * Math.max(cInG, cOutG)) / NR) * NR);
  chunk = Math.min(chunk, Math.ceil(tiles / NR) * NR);
  const vStride = chunk * cInG;
  const mStride = cOutG * chunk;
  wino4U = scratch64(wino4U, 36 * uStride);
  wino4V = scratch64(wino4V, 36 * vStride);
  wino4M = scratch64(wino4M, 36 * mStride);
  const U = wino4U;
  const V = wino4V;
  const M = wino4M;
  const a = new Float64Array(36);
  const b = new Float64Array(36);

  for (let grp = 0; grp < groups; grp++) {
    U.fill(0, 0, 36 * uStride);
    for (let m = 0; m < cOutG; m++) {
      const panel = Math.floor(m / MR) * cInG * MR + (m % MR);
      for (let ci = 0; ci < cInG; ci++) {
        const f = ((grp * cOutG + m) * cInG + ci) * 9;
        // G·g: column j of the 3×3 filter → column j of a 6×3 (stored 6×6, stride 6).
        for (let j = 0; j < 3; j++) filterTransform6(w[f + j], w[f + 3 + j], w[f + 6 + j], a, j, 6);
        // (G·g)·Gᵀ: row i of the 6×3 → row i of the 6×6.
        for (let i = 0; i < 6; i++) filterTransform6(a[i * 6], a[i * 6 + 1], a[i * 6 + 2], b, i * 6, 1);
        const dst = panel + ci * MR;
        for (let e = 0; e < 36; e++) U[e * uStride + dst] = b[e];
      }
    }

    const xBase = grp * cInG * inPlane;
    for (let t0 = 0; t0 < tiles; t0 += chunk) {
      const width = Math.min(chunk, tiles - t0);
      const nPanels = Math.ceil(width / NR);
      for (let q = 0; q < nPanels * NR; q++) {
        const panel = Math.floor(q / NR) * cInG * NR + (q % NR);
        if (q >= width) {
          for (let e = 0; e < 36; e++) for (let ci = 0; ci < cInG; ci++) V[e * vStride + panel + ci * NR] = 0;
          continue;
        }
        const tile = t0 + q;
        const tx = tile % tilesW;
        const ty = (tile - tx) / tilesW;
        const iy0 = 4 * ty - pH;
        const ix0 = 4 * tx - pW;
        const inside = iy0 >= 0 && ix0 >= 0 && iy0 + 5 < inH && ix0 + 5 < inW;
        for (let ci = 0; ci < cInG; ci++) {
          const base = xBase + ci * inPlane;
          if (inside) {
            for (let r = 0; r < 6; r++) {
              const src = base + (iy0 + r) * inW + ix0;
              for (let c = 0; c < 6; c++) a[r * 6 + c] = x[src + c];
            }
          } else {
            for (let r = 0; r < 6; r++) {
              const iy = iy0 + r;
              const rowOk = iy >= 0 && iy < inH;
              for (let c = 0; c < 6; c++) {
                const ix = ix0 + c;
                a[r * 6 + c] = rowOk && ix >= 0 && ix < inW ? x[base + iy * inW + ix] : 0;
              }
            }
          }
          // Bᵀ d: columns; then (Bᵀ d) B: rows.
          for (let c = 0; c < 6; c++) inputTransform6(a, c, 6, b, c, 6);
          for (let r = 0; r < 6; r++) inputTransform6(b, r * 6, 1, a, r * 6, 1);
          const o = panel + ci * NR;
          for (let e = 0; e < 36; e++) V[e * vStride + o] = a[e];
        }
      }

      for (let e = 0; e < 36; e++) {
        for (let mb = 0; mb < mPanels; mb++) {
          const rows = Math.min(MR, cOutG - mb * MR);
          for (let pb = 0; pb < nPanels; pb++) {
            microKernel64(
              U, e * uStride + mb * MR * cInG, V, e * vStride + pb * NR * cInG, cInG,
              M, e * mStride + mb * MR * chunk + pb * NR, chunk, rows, Math.min(NR, width - pb * NR), 0, 0, 0, 0,
            );
          }
        }
      }

      for (let m = 0; m < cOutG; m++) {
        const co = grp * cOutG + m;
        const bv = bias === null ? 0 : bias[co];
        const oBase = co * outPlane;
        for (let q = 0; q < width; q++) {
          const mi = m * chunk + q;
          for (let e = 0; e < 36; e++) a[e] = M[e * mStride + mi];
          // Aᵀ M: columns (6 → 4 rows); then (Aᵀ M) A: rows (6 → 4 columns).
          for (let c = 0; c < 6; c++) outputTransform6(a, c, 6, b, c, 6);
          for (let r = 0; r < 4; r++) outputTransform6(b, r * 6, 1, a, r * 6, 1);
          const tile = t0 + q;
          const tx = tile % tilesW;
          const oy = 4 * ((tile - tx) / tilesW);
          const ox = 4 * tx;
          const rows = Math.min(4, outH - oy);
          const cols = Math.min(4, outW - ox);
          for (let r = 0; r < rows; r++) {
            const o = oBase + (oy + r) * outW + ox;
            for (let c = 0; c < cols; c++) out[o + c] = a[r * 6 + c] + bv;
          }
        }
      }
    }
  }
}

/** G·(g0, g1, g2) into dst[off + k·step], k = 0…5. */
function filterTransform6(g0: number, g1: number, g2: number, dst: Float64Array, off: number, step: number): void {
  dst[off] = g0 / 4;
  dst[off + step] = -(g0 + g1 + g2) / 6;
  dst[off + 2 * step] = -(g0 - g1 + g2) / 6;
  dst[off + 3 * step] = g0 / 24 + g1 / 12 + g2 / 6;
  dst[off + 4 * step] = g0 / 24 - g1 / 12 + g2 / 6;
  dst[off + 5 * step] = g2;
}

/** Bᵀ·v for the six values src[off + k·step], into dst likewise. */
function inputTransform6(src: Float64Array, off: number, step: number, dst: Float64Array, dOff: number, dStep: number): void {
  const v0 = src[off], v1 = src[off + step], v2 = src[off + 2 * step];
  const v3 = src[off + 3 * step], v4 = src[off + 4 * step], v5 = src[off + 5 * step];
  dst[dOff] = 4 * v0 - 5 * v2 + v4;
  dst[dOff + dStep] = -4 * (v1 + v2) + v3 + v4;
  dst[dOff + 2 * dStep] = 4 * (v1 - v2) - v3 + v4;
  dst[dOff + 3 * dStep] = 2 * (v3 - v1) - v2 + v4;
  dst[dOff + 4 * dStep] = 2 * (v1 - v3) - v2 + v4;
  dst[dOff + 5 * dStep] = 4 * v1 - 5 * v3 + v5;
}

/** Aᵀ·m for the six values src[off + k·step], into four values dst[dOff + k·dStep]. */
function outputTransform6(src: Float64Array, off: number, step: number, dst: Float64Array, dOff: number, dStep: number): void {
  const m0 = src[off], m1 = src[off + step], m2 = src[off + 2 * step];
  const m3 = src[off + 3 * step], m4 = src[off + 4 * step], m5 = src[off + 5 * step];
  const p12 = m1 + m2, d12 = m1 - m2, p34 = m3 + m4, d34 = m3 - m4;
  dst[dOff] = m0 + p12 + p34;
  dst[dOff + dStep] = d12 + 2 * d34;
  dst[dOff + 2 * dStep] = p12 + 4 * p34;
  dst[dOff + 3 * dStep] = d12 + 8 * d34 + m5;
}

/** One row r of G·g times Gᵀ: the four U_ξ for ξ = e0 … e0+3. */
function storeFilterRow(U: Float64Array, dst: number, stride: number, e0: number, r0: number, r1: number, r2: number): void {
  U[e0 * stride + dst] = r0;
  U[(e0 + 1) * stride + dst] = 0.5 * (r0 + r1 + r2);
  U[(e0 + 2) * stride + dst] = 0.5 * (r0 - r1 + r2);
  U[(e0 + 3) * stride + dst] = r2;
}

/** Weights of one group, [cOutG, K] rows, into MR-tall panels: wp[(panel·K + k)·MR + r]; missing rows are 0. */
function packWeights(w: Float32Array, wp: Float32Array, co0: number, cOutG: number, K: number): void {
  const mPanels = Math.ceil(cOutG / MR);
  for (let mb = 0; mb < mPanels; mb++) {
    const base = mb * MR * K;
    for (let r = 0; r < MR; r++) {
      const m = mb * MR + r;
      if (m < cOutG) {
        const src = (co0 + m) * K;
        for (let k = 0; k < K; k++) wp[base + k * MR + r] = w[src + k];
      } else {
        for (let k = 0; k < K; k++) wp[base + k * MR + r] = 0;
      }
    }
  }
}

/** 1×1 stride-1 case: column k of position p is simply x[k][p]. */
function packPointwise(x: Float32Array, col: Float32Array, xBase: number, inPlane: number, cInG: number, p0: number, width: number): void {
  const K = cInG;
  const nPanels = Math.ceil(width / NR);
  for (let pb = 0; pb < nPanels; pb++) {
    const base = pb * NR * K;
    const p = p0 + pb * NR;
    if (pb * NR + NR <= width) {
      for (let k = 0; k < K; k++) {
        const src = xBase + k * inPlane + p;
        const dst = base + k * NR;
        col[dst] = x[src];
        col[dst + 1] = x[src + 1];
        col[dst + 2] = x[src + 2];
      }
    } else {
      const cols = width - pb * NR;
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < NR; j++) col[base + k * NR + j] = j < cols ? x[xBase + k * inPlane + p + j] : 0;
      }
    }
  }
}

/**
 * Builds columns for positions p0 … p0+width−1 into NR-wide panels:
 * col[(panel·K + k)·NR + j], k = ((ci·kD + kd)·kH + kh)·kW + kw. Taps in the
 * padding are written as 0; a window fully inside the input skips the checks.
 */
function packColumns(x: Float32Array, col: Float32Array, xBase: number, g: Geometry3, cInG: number, p0: number, width: number): void {
  const { inD, inH, inW, kD, kH, kW, dD, dH, dW, sD, sH, sW, pD, pH, pW, outH, outW } = g;
  const inSlice = inH * inW;
  const inPlane = inD * inSlice;
  const K = cInG * kD * kH * kW;
  const nPanels = Math.ceil(width / NR);
  const spanD = (kD - 1) * dD;
  const spanH = (kH - 1) * dH;
  const spanW = (kW - 1) * dW;
  for (let pb = 0; pb < nPanels; pb++) {
    const base = pb * NR * K;
    for (let j = 0; j < NR; j++) {
      const q = pb * NR + j;
      if (q >= width) {
        for (let k = 0; k < K; k++) col[base + k * NR + j] = 0;
        continue;
      }
      const p = p0 + q;
      const ow = p % outW;
      const rest = (p - ow) / outW;
      const oh = rest % outH;
      const od = (rest - oh) / outH;
      const id0 = od * sD - pD;
      const ih0 = oh * sH - pH;
      const iw0 = ow * sW - pW;
      let dst = base + j;
      if (id0 >= 0 && ih0 >= 0 && iw0 >= 0 && id0 + spanD < inD && ih0 + spanH < inH && iw0 + spanW < inW) {
        for (let ci = 0; ci < cInG; ci++) {
          const cBase = xBase + ci * inPlane + id0 * inSlice + ih0 * inW + iw0;
          for (let kd = 0; kd < kD; kd++) {
            for (let kh = 0; kh < kH; kh++) {
              let src = cBase + kd * dD * inSlice + kh * dH * inW;
              for (let kw = 0; kw < kW; kw++, src += dW, dst += NR) col[dst] = x[src];
            }
          }
        }
      } else {
        for (let ci = 0; ci < cInG; ci++) {
          const cBase = xBase + ci * inPlane;
          for (let kd = 0; kd < kD; kd++) {
            const id = id0 + kd * dD;
            const dIn = id >= 0 && id < inD;
            for (let kh = 0; kh < kH; kh++) {
              const ih = ih0 + kh * dH;
              const rowIn = dIn && ih >= 0 && ih < inH;
              const rowBase = cBase + id * inSlice + ih * inW;
              for (let kw = 0; kw < kW; kw++, dst += NR) {
                const iw = iw0 + kw * dW;
                col[dst] = rowIn && iw >= 0 && iw < inW ? x[rowBase + iw] : 0;
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Transposed convolution (1D/2D/3D), PyTorch's `F.conv_transpose{1,2,3}d`
 * without the batch axis. Weight is [C_in, C_out/groups, k…]. Each input
 * sample scatters weight·x into out[i·s − p + k·d]; taps landing outside the
 * output are skipped. Padding is numbers or [before, after] pairs (not `same`).
 *
 * With at least TRANSPOSED_GEMM_MIN_CHANNELS input channels per group it runs as
 * a GEMM instead: cols[(co, tap), i] = Σ_ci W[ci, co, tap]·x[ci, i] with the packed
 * micro-kernel, then each column is added into the output at i·s − p + tap·d (col2im).
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
  const cInG = s.cIn / groups;
  const cOutG = s.cOut / groups;
  const inSlice = g.inH * g.inW;
  const inPlane = g.inD * inSlice;
  const outSlice = g.outH * g.outW;
  const outPlane = g.outD * outSlice;
  const kVol = g.kD * g.kH * g.kW;
  const out = new Float32Array(s.cOut * outPlane);
  const xd = x.data;
  const wd = w.data;
  for (let co = 0; co < s.cOut; co++) out.fill(b === null ? 0 : b.data[co], co * outPlane, (co + 1) * outPlane);
  if (cInG >= TRANSPOSED_GEMM_MIN_CHANNELS) {
    gemmConvTranspose(xd, wd, out, g, s.cIn, s.cOut, groups);
    return { shape: [s.cOut, ...g.geometry.outSize], data: out };
  }

  for (let grp = 0; grp < groups; grp++) {
    for (let cig = 0; cig < cInG; cig++) {
      const ci = grp * cInG + cig;
      const xBase = ci * inPlane;
      for (let cog = 0; cog < cOutG; cog++) {
        const co = grp * cOutG + cog;
        const oBase = co * outPlane;
        const wBase = (ci * cOutG + cog) * kVol;
        for (let kd = 0; kd < g.kD; kd++) {
          const tD = kd * g.dD - g.pD;
          // Output od = id·s + tD must lie in [0, outD).
          const id0 = tD >= 0 ? 0 : Math.ceil(-tD / g.sD);
          const id1 = Math.min(g.inD - 1, Math.floor((g.outD - 1 - tD) / g.sD));
          for (let kh = 0; kh < g.kH; kh++) {
            const tH = kh * g.dH - g.pH;
            const ih0 = tH >= 0 ? 0 : Math.ceil(-tH / g.sH);
            const ih1 = Math.min(g.inH - 1, Math.floor((g.outH - 1 - tH) / g.sH));
            for (let kw = 0; kw < g.kW; kw++) {
              const tW = kw * g.dW - g.pW;
              const iw0 = tW >= 0 ? 0 : Math.ceil(-tW / g.sW);
              const iw1 = Math.min(g.inW - 1, Math.floor((g.outW - 1 - tW) / g.sW));
              if (iw1 < iw0) continue;
              const wv = wd[wBase + (kd * g.kH + kh) * g.kW + kw];
              for (let id = id0; id <= id1; id++) {
                const od = id * g.sD + tD;
                for (let ih = ih0; ih <= ih1; ih++) {
                  const oh = ih * g.sH + tH;
                  let i = xBase + id * inSlice + ih * g.inW + iw0;
                  let o = oBase + od * outSlice + oh * g.outW + iw0 * g.sW + tW;
                  for (let iw = iw0; iw <= iw1; iw++, i++, o += g.sW) out[o] += wv * xd[i];
                }
              }
            }
          }
        }
      }
    }
  }
  return { shape: [s.cOut, ...g.geometry.outSize], data: out };
}

let transposedCols: Float32Array = new Float32Array(0);

/** Transposed conv as GEMM + col2im; `out` already holds the bias. */
function gemmConvTranspose(x: Float32Array, w: Float32Array, out: Float32Array, g: Geometry3, cIn: number, cOut: number, groups: number): void {
  const cInG = cIn / groups;
  const cOutG = cOut / groups;
  const kVol = g.kD * g.kH * g.kW;
  const M = cOutG * kVol;
  const K = cInG;
  const P = g.inD * g.inH * g.inW;
  const outSlice = g.outH * g.outW;
  const outPlane = g.outD * outSlice;
  const mPanels = Math.ceil(M / MR);
  let chunk = Math.max(NR, Math.floor(CHUNK_FLOATS / Math.max(K, M) / NR) * NR);
  chunk = Math.min(chunk, Math.ceil(P / NR) * NR);
  colBuffer = scratch(colBuffer, K * chunk);
  weightBuffer = scratch(weightBuffer, mPanels * MR * K);
  transposedCols = scratch(transposedCols, M * chunk);
  const col = colBuffer;
  const wp = weightBuffer;
  const cols = transposedCols;

  for (let grp = 0; grp < groups; grp++) {
    // A[m, ci] = W[grp·cInG + ci, m] with m = cog·kVol + tap, packed into MR-tall panels.
    for (let mb = 0; mb < mPanels; mb++) {
      const base = mb * MR * K;
      for (let r = 0; r < MR; r++) {
        const m = mb * MR + r;
        for (let ci = 0; ci < K; ci++) wp[base + ci * MR + r] = m < M ? w[(grp * cInG + ci) * M + m] : 0;
      }
    }
    const xBase = grp * cInG * P;
    for (let p0 = 0; p0 < P; p0 += chunk) {
      const width = Math.min(chunk, P - p0);
      packPointwise(x, col, xBase, P, K, p0, width);
      const nPanels = Math.ceil(width / NR);
      for (let mb = 0; mb < mPanels; mb++) {
        const rows = Math.min(MR, M - mb * MR);
        for (let pb = 0; pb < nPanels; pb++) {
          microKernel(wp, mb * MR * K, col, pb * NR * K, K, cols, mb * MR * chunk + pb * NR, chunk, rows, Math.min(NR, width - pb * NR), 0, 0, 0, 0);
        }
      }
      // col2im: input position p with tap (kd, kh, kw) lands at (p·s − pad + tap·d) per axis.
      const iw0 = p0 % g.inW;
      const ih0 = Math.floor(p0 / g.inW) % g.inH;
      const id0 = Math.floor(p0 / (g.inW * g.inH));
      for (let m = 0; m < M; m++) {
        const cog = Math.floor(m / kVol);
        const tap = m - cog * kVol;
        const kw = tap % g.kW;
        const kh = Math.floor(tap / g.kW) % g.kH;
        const kd = Math.floor(tap / (g.kW * g.kH));
        const oBase = (grp * cOutG + cog) * outPlane;
        const tD = kd * g.dD - g.pD;
        const tH = kh * g.dH - g.pH;
        const tW = kw * g.dW - g.pW;
        let iw = iw0, ih = ih0, id = id0;
        const src = m * chunk;
        for (let q = 0; q < width; q++) {
          const od = id * g.sD + tD;
          const oh = ih * g.sH + tH;
          const ow = iw * g.sW + tW;
          if (od >= 0 && od < g.outD && oh >= 0 && oh < g.outH && ow >= 0 && ow < g.outW) {
            out[oBase + od * outSlice + oh * g.outW + ow] += cols[src + q];
          }
          if (++iw === g.inW) {
            iw = 0;
            if (++ih === g.inH) {
              ih = 0;
              id++;
            }
          }
        }
      }
    }
  }
}
