/**
 * The packed GEMM that the im2col, pointwise, Winograd and transposed conv
 * kernels share: MR-tall weight panels, NR-wide column panels and the MR×NR
 * register-blocked micro-kernel.
 */
import { convGemmShape, type Geometry3 } from '../window';
import { scratch, type ConvCall } from './call';

export const MR = 4;
export const NR = 3;
/** Target size, in floats, of one packed column chunk (K × chunk width): about 128 KB. */
export const CHUNK_FLOATS = 32 * 1024;

let colBuffer: Float32Array = new Float32Array(0);
let weightBuffer: Float32Array = new Float32Array(0);

/** The packed-column buffer, at least `size` floats (reused across calls). */
export function columnScratch(size: number): Float32Array {
  colBuffer = scratch(colBuffer, size);
  return colBuffer;
}

/** The packed-weight buffer, at least `size` floats (reused across calls). */
export function weightScratch(size: number): Float32Array {
  weightBuffer = scratch(weightBuffer, size);
  return weightBuffer;
}

/**
 * A conv as one implicit GEMM per group, out[M×P] = W[M×K]·col[K×P], with
 * M = C_out/groups, K = C_in/groups·kernel volume and P = output positions.
 * The column matrix is built one chunk of positions at a time into a reused
 * buffer, packed into NR-wide panels (weights into MR-tall panels) so that the
 * MR×NR (4×3) register-blocked micro-kernel reads both operands sequentially.
 * A 1×1 stride-1 unpadded conv packs by plain copies (a pure GEMM).
 */
export function gemmConv(call: ConvCall): void {
  const { x, w, bias, out, g, cIn, cOut, groups } = call;
  const { cInG, cOutG, K, P, inPlane, pointwise } = convGemmShape(g, cIn, cOut, groups);
  const mPanels = Math.ceil(cOutG / MR);

  let chunk = Math.max(NR, Math.floor(CHUNK_FLOATS / K / NR) * NR);
  chunk = Math.min(chunk, Math.ceil(P / NR) * NR);
  const col = columnScratch(K * chunk);
  const wp = weightScratch(mPanels * MR * K);

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
export function microKernel(
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
export function microKernel64(
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

/** Weights of one group, [cOutG, K] rows, into MR-tall panels: wp[(panel·K + k)·MR + r]; missing rows are 0. */
export function packWeights(w: Float32Array, wp: Float32Array, co0: number, cOutG: number, K: number): void {
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
export function packPointwise(x: Float32Array, col: Float32Array, xBase: number, inPlane: number, cInG: number, p0: number, width: number): void {
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
