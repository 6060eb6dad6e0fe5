// Packed SGEMM for conv (im2col or pointwise) and fully connected layers.
//
// C[M×N] = bias + A[M×K]·B[K×N], with A packed into MR-tall panels (a[(mb·K + k)·MR + r])
// and B into NR-wide panels (b[(nb·K + k)·NR + j]), so the micro-kernel reads both
// sequentially. C is row-major with row stride ldc.
// Built twice (assembly/build.mjs): plain SIMD, where a multiply-add is f32x4.mul
// then add (Node 20 has no relaxed SIMD by default), and with relaxed SIMD, where it
// is relaxed_madd: a fused multiply-add on x64 with FMA and on ARM (Chromium ≥ 114).

import {
  GEO_C_IN, GEO_D_D, GEO_D_H, GEO_D_W, GEO_IN_D, GEO_IN_H, GEO_IN_W, GEO_K_D, GEO_K_H, GEO_K_W,
  GEO_OUT_H, GEO_OUT_W, GEO_P_D, GEO_P_H, GEO_P_W, GEO_S_D, GEO_S_H, GEO_S_W, MR, NR,
} from './layout';

/** a·b + c per lane: fused with relaxed SIMD (either rounding is within our tolerances). */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  // The accumulator first: V8 then adds in place (the other order measured 30% slower in depthwise3x3).
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Depth of one K block: an 8-wide B panel of KC rows (8 KB) stays in L1 while A streams. */
const KC: i32 = 256;

/** MR×NR tile for edge blocks: the kernel always writes a full tile. */
const edge: usize = memory.data(MR * NR * 4, 16);


/**
 * MR×NR block: c[r·ldc + j] += Σ_k a[k·MR + r]·b[k·NR + j].
 * Eight f32x4 accumulators, one k step per iteration: V8 (TurboFan) moves a loop
 * body's loads to its top, so every loaded value of an unrolled body, or of a
 * 6×8 step (12 accumulators, 8 loads), stays live at once and vectors spill to the
 * stack. 4×8 with one step a body (8 accumulators, 6 loads) keeps everything in
 * x64's registers. Measured, GEMM alone at 60×256·256×96: 6×8 unrolled by 4
 * 42.1 GFLOP/s, 4×8 unrolled by 2 39.2, 4×8 not unrolled 61.2.
 */
// @ts-ignore: decorator
@inline
function microKernel(a: usize, b: usize, c: usize, ldc: usize, kc: i32): void {
  const c0 = c + <usize>0 * ldc;
  const c1 = c + <usize>1 * ldc;
  const c2 = c + <usize>2 * ldc;
  const c3 = c + <usize>3 * ldc;
  let x00 = v128.load(c0, 0); let x01 = v128.load(c0, 16);
  let x10 = v128.load(c1, 0); let x11 = v128.load(c1, 16);
  let x20 = v128.load(c2, 0); let x21 = v128.load(c2, 16);
  let x30 = v128.load(c3, 0); let x31 = v128.load(c3, 16);
  let k = 0;
  for (; k < kc; k++) {
    { const b0 = v128.load(b, 0); const b1 = v128.load(b, 16);
      { const s = v128.load32_splat(a, 0); x00 = madd(s, b0, x00); x01 = madd(s, b1, x01); }
      { const s = v128.load32_splat(a, 4); x10 = madd(s, b0, x10); x11 = madd(s, b1, x11); }
      { const s = v128.load32_splat(a, 8); x20 = madd(s, b0, x20); x21 = madd(s, b1, x21); }
      { const s = v128.load32_splat(a, 12); x30 = madd(s, b0, x30); x31 = madd(s, b1, x31); }
    }
    a += MR * 4; b += 32;
  }
  v128.store(c0, x00, 0); v128.store(c0, x01, 16);
  v128.store(c1, x10, 0); v128.store(c1, x11, 16);
  v128.store(c2, x20, 0); v128.store(c2, x21, 16);
  v128.store(c3, x30, 0); v128.store(c3, x31, 16);
}

/** `microKernel` for a panel's first 2 rows only (M mod MR = 2): no edge copy, no wasted rows. */
// @ts-ignore: decorator
@inline
function microKernel2(a: usize, b: usize, c: usize, ldc: usize, kc: i32): void {
  const c0 = c + <usize>0 * ldc;
  const c1 = c + <usize>1 * ldc;
  let x00 = v128.load(c0, 0); let x01 = v128.load(c0, 16);
  let x10 = v128.load(c1, 0); let x11 = v128.load(c1, 16);
  let k = 0;
  for (; k < kc; k++) {
    { const b0 = v128.load(b, 0); const b1 = v128.load(b, 16);
      { const s = v128.load32_splat(a, 0); x00 = madd(s, b0, x00); x01 = madd(s, b1, x01); }
      { const s = v128.load32_splat(a, 4); x10 = madd(s, b0, x10); x11 = madd(s, b1, x11); }
    }
    a += MR * 4; b += 32;
  }
  v128.store(c0, x00, 0); v128.store(c0, x01, 16);
  v128.store(c1, x10, 0); v128.store(c1, x11, 16);
}

/** A partial block (rows < MR or cols < NR): run the kernel on a copy in `edge`. */
function edgeKernel(a: usize, b: usize, c: usize, ldc: usize, kc: i32, rows: i32, cols: i32): void {
  memory.fill(edge, 0, MR * NR * 4);
  for (let r = 0; r < rows; r++) memory.copy(edge + <usize>(r * NR * 4), c + <usize>r * ldc, <usize>(cols * 4));
  microKernel(a, b, edge, NR * 4, kc);
  for (let r = 0; r < rows; r++) memory.copy(c + <usize>r * ldc, edge + <usize>(r * NR * 4), <usize>(cols * 4));
}

/** c[r·ldc + j] = bias[r] (0 when bias is 0) for r < rows, j < cols: a block's start, written just before its kernel reads it. */
// @ts-ignore: decorator
@inline
function startBlock(c: usize, ldc: usize, bias: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++, c += ldc) {
    const v = bias == 0 ? <f32>0 : load<f32>(bias + <usize>r * 4);
    if (cols == NR) {
      const s = f32x4.splat(v);
      v128.store(c, s);
      v128.store(c, s, 16);
    } else {
      for (let j = 0; j < cols; j++) store<f32>(c + <usize>j * 4, v);
    }
  }
}

/**
 * C[M×width] = bias + A·B for one packed B chunk (full K); `bias` holds M values,
 * or is 0 for none. K is split into KC blocks; each block of C is set to the bias
 * just before the first one reads it (hot in L1, instead of a pass over the whole
 * output).
 */
export function gemmChunk(a: usize, b: usize, c: usize, ldc: i32, M: i32, K: i32, width: i32, bias: usize): void {
  const mPanels = (M + MR - 1) / MR;
  const nPanels = (width + NR - 1) / NR;
  const ldcBytes = <usize>ldc * 4;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let nb = 0; nb < nPanels; nb++) {
      const bp = b + (<usize>nb * K + k0) * NR * 4;
      const cols = min(NR, width - nb * NR);
      for (let mb = 0; mb < mPanels; mb++) {
        const ap = a + (<usize>mb * K + k0) * MR * 4;
        const rows = min(MR, M - mb * MR);
        const cp = c + (<usize>mb * MR * ldc + <usize>nb * NR) * 4;
        if (k0 == 0) startBlock(cp, ldcBytes, bias == 0 ? <usize>0 : bias + <usize>(mb * MR) * 4, rows, cols);
        if (cols == NR && rows == MR) microKernel(ap, bp, cp, ldcBytes, kc);
        else if (cols == NR && rows == 2) microKernel2(ap, bp, cp, ldcBytes, kc);
        else edgeKernel(ap, bp, cp, ldcBytes, kc, rows, cols);
      }
    }
  }
}

/** Row-major w[M×K] (row stride ldw) into MR-tall panels; missing rows are 0. */
export function packA(w: usize, ldw: i32, a: usize, M: i32, K: i32): void {
  const mPanels = (M + MR - 1) / MR;
  for (let mb = 0; mb < mPanels; mb++) {
    const base = a + <usize>mb * K * MR * 4;
    for (let r = 0; r < MR; r++) {
      const m = mb * MR + r;
      if (m < M) {
        const src = w + <usize>m * ldw * 4;
        for (let k = 0; k < K; k++) store<f32>(base + (<usize>k * MR + r) * 4, load<f32>(src + <usize>k * 4));
      } else {
        for (let k = 0; k < K; k++) store<f32>(base + (<usize>k * MR + r) * 4, 0);
      }
    }
  }
}

/** Columns p0 … p0+width−1 of row-major x[K×ldx] into NR-wide panels; missing columns are 0. */
function packRows(x: usize, ldx: i32, b: usize, K: i32, p0: i32, width: i32): void {
  const nPanels = (width + NR - 1) / NR;
  for (let nb = 0; nb < nPanels; nb++) {
    let dst = b + <usize>nb * K * NR * 4;
    const q = nb * NR;
    let src = x + (<usize>p0 + q) * 4;
    const stride = <usize>ldx * 4;
    if (q + NR <= width) {
      for (let k = 0; k < K; k++, src += stride, dst += NR * 4) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
    } else {
      const cols = width - q;
      for (let k = 0; k < K; k++, src += stride, dst += NR * 4) {
        v128.store(dst, f32x4.splat(0));
        v128.store(dst, f32x4.splat(0), 16);
        memory.copy(dst, src, <usize>cols * 4);
      }
    }
  }
}

/**
 * im2col for output positions p0 … p0+width−1 into NR-wide panels, rows
 * k = ((ci·kD + kd)·kH + kh)·kW + kw. Taps in the padding are 0. A panel of NR
 * positions on one output row whose windows all lie inside the row copies whole
 * vectors (stride 1 and 2); anything else gathers one value at a time.
 */
function packIm2col(x: usize, geo: usize, b: usize, K: i32, p0: i32, width: i32): void {
  const inD = load<i32>(geo, GEO_IN_D), inH = load<i32>(geo, GEO_IN_H), inW = load<i32>(geo, GEO_IN_W);
  const outH = load<i32>(geo, GEO_OUT_H), outW = load<i32>(geo, GEO_OUT_W);
  const kD = load<i32>(geo, GEO_K_D), kH = load<i32>(geo, GEO_K_H), kW = load<i32>(geo, GEO_K_W);
  const sD = load<i32>(geo, GEO_S_D), sH = load<i32>(geo, GEO_S_H), sW = load<i32>(geo, GEO_S_W);
  const dD = load<i32>(geo, GEO_D_D), dH = load<i32>(geo, GEO_D_H), dW = load<i32>(geo, GEO_D_W);
  const pD = load<i32>(geo, GEO_P_D), pH = load<i32>(geo, GEO_P_H), pW = load<i32>(geo, GEO_P_W);
  const cIn = load<i32>(geo, GEO_C_IN);
  const inSlice = inH * inW;
  const inPlane = inD * inSlice;
  const spanW = (kW - 1) * dW;
  const nPanels = (width + NR - 1) / NR;
  const zero = f32x4.splat(0);
  for (let nb = 0; nb < nPanels; nb++) {
    const q = nb * NR;
    const cols = min(NR, width - q);
    const p = p0 + q;
    const ow = p % outW;
    const rest = p / outW;
    const oh = rest % outH;
    const od = rest / outH;
    const iw0 = ow * sW - pW;
    const base = b + <usize>nb * K * NR * 4;
    if (cols == NR && ow + NR <= outW && iw0 >= 0 && iw0 + (NR - 1) * sW + spanW < inW) {
      let dst = base;
      for (let ci = 0; ci < cIn; ci++) {
        for (let kd = 0; kd < kD; kd++) {
          const id = od * sD - pD + kd * dD;
          for (let kh = 0; kh < kH; kh++) {
            const ih = oh * sH - pH + kh * dH;
            if (id < 0 || id >= inD || ih < 0 || ih >= inH) {
              for (let kw = 0; kw < kW; kw++, dst += NR * 4) {
                v128.store(dst, zero);
                v128.store(dst, zero, 16);
              }
              continue;
            }
            let src = x + (<usize>ci * inPlane + <usize>id * inSlice + <usize>ih * inW + iw0) * 4;
            const step = <usize>dW * 4;
            if (sW == 1) {
              for (let kw = 0; kw < kW; kw++, dst += NR * 4, src += step) {
                v128.store(dst, v128.load(src));
                v128.store(dst, v128.load(src, 16), 16);
              }
            } else if (sW == 2) {
              // Reads one float past the last tap; the host leaves slack after the input.
              for (let kw = 0; kw < kW; kw++, dst += NR * 4, src += step) {
                const v0 = v128.load(src), v1 = v128.load(src, 16), v2 = v128.load(src, 32), v3 = v128.load(src, 48);
                v128.store(dst, v128.shuffle<f32>(v0, v1, 0, 2, 4, 6));
                v128.store(dst, v128.shuffle<f32>(v2, v3, 0, 2, 4, 6), 16);
              }
            } else {
              const sb = <usize>sW * 4;
              for (let kw = 0; kw < kW; kw++, dst += NR * 4, src += step) {
                let s = src;
                for (let j = 0; j < NR; j++, s += sb) store<f32>(dst + <usize>j * 4, load<f32>(s));
              }
            }
          }
        }
      }
      continue;
    }
    for (let j = 0; j < NR; j++) {
      let dst = base + <usize>j * 4;
      if (j >= cols) {
        for (let k = 0; k < K; k++, dst += NR * 4) store<f32>(dst, 0);
        continue;
      }
      const pj = p + j;
      const owj = pj % outW;
      const rj = pj / outW;
      const ohj = rj % outH;
      const odj = rj / outH;
      const id0 = odj * sD - pD, ih0 = ohj * sH - pH, iwj = owj * sW - pW;
      for (let ci = 0; ci < cIn; ci++) {
        for (let kd = 0; kd < kD; kd++) {
          const id = id0 + kd * dD;
          const dIn = id >= 0 && id < inD;
          for (let kh = 0; kh < kH; kh++) {
            const ih = ih0 + kh * dH;
            const rowIn = dIn && ih >= 0 && ih < inH;
            const row = x + (<usize>ci * inPlane + <usize>(id * inSlice + ih * inW)) * 4;
            for (let kw = 0; kw < kW; kw++, dst += NR * 4) {
              const iw = iwj + kw * dW;
              store<f32>(dst, rowIn && iw >= 0 && iw < inW ? load<f32>(row + <usize>iw * 4) : 0);
            }
          }
        }
      }
    }
  }
}

/**
 * x [C][inD][inH][inW] into zero-filled volumes [C][Dp][Hp][Wp], shifted by
 * (pD, pH, pW); input past the far edges is dropped. Convolving the copy without
 * padding gives the padded convolution, and im2col then needs no bounds checks.
 */
export function padInput(x: usize, xp: usize, C: i32, inD: i32, inH: i32, inW: i32, pD: i32, pH: i32, pW: i32, Dp: i32, Hp: i32, Wp: i32): void {
  memory.fill(xp, 0, <usize>C * Dp * Hp * Wp * 4);
  const cols = <usize>min(inW, Wp - pW) * 4;
  let src = x;
  for (let c = 0; c < C; c++) {
    for (let d = 0; d < inD; d++) {
      const dp = d + pD;
      for (let y = 0; y < inH; y++, src += <usize>inW * 4) {
        const yp = y + pH;
        if (dp >= Dp || yp >= Hp) continue;
        memory.copy(xp + ((<usize>(c * Dp + dp) * Hp + yp) * Wp + pW) * 4, src, cols);
      }
    }
  }
}

/**
 * One group of a convolution as GEMM: out[M×P] = bias + A·col(x), A packed by
 * `packA`, bias M values or 0 for none. `pointwise` (1×1, stride 1, no padding)
 * packs input rows directly. `bbuf` holds K × chunk floats.
 */
export function convGemm(x: usize, geo: usize, a: usize, bias: usize, out: usize, M: i32, K: i32, P: i32, pointwise: i32, bbuf: usize, chunk: i32): void {
  for (let p0 = 0; p0 < P; p0 += chunk) {
    const width = min(chunk, P - p0);
    if (pointwise) packRows(x, P, bbuf, K, p0, width);
    else packIm2col(x, geo, bbuf, K, p0, width);
    gemmChunk(a, bbuf, out + <usize>p0 * 4, P, M, K, width, bias);
  }
}

/** y[o] = bias[o] + Σ_f w[o·F + f]·x[f] for o < O (bias may be 0): four rows at a time, four lanes each. */
export function gemv(w: usize, x: usize, y: usize, O: i32, F: i32, bias: usize): void {
  const F4 = F & ~3;
  let o = 0;
  for (; o + 4 <= O; o += 4) {
    const w0 = w + <usize>o * F * 4, w1 = w0 + <usize>F * 4, w2 = w1 + <usize>F * 4, w3 = w2 + <usize>F * 4;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let f = 0;
    for (; f < F4; f += 4) {
      const off = <usize>f * 4;
      const xv = v128.load(x + off);
      s0 = madd(v128.load(w0 + off), xv, s0);
      s1 = madd(v128.load(w1 + off), xv, s1);
      s2 = madd(v128.load(w2 + off), xv, s2);
      s3 = madd(v128.load(w3 + off), xv, s3);
    }
    let r0 = hsum(s0), r1 = hsum(s1), r2 = hsum(s2), r3 = hsum(s3);
    for (; f < F; f++) {
      const xv = load<f32>(x + <usize>f * 4);
      const off = <usize>f * 4;
      r0 += load<f32>(w0 + off) * xv; r1 += load<f32>(w1 + off) * xv;
      r2 += load<f32>(w2 + off) * xv; r3 += load<f32>(w3 + off) * xv;
    }
    if (bias != 0) {
      r0 += load<f32>(bias + <usize>o * 4); r1 += load<f32>(bias + <usize>o * 4, 4);
      r2 += load<f32>(bias + <usize>o * 4, 8); r3 += load<f32>(bias + <usize>o * 4, 12);
    }
    store<f32>(y + <usize>o * 4, r0); store<f32>(y + <usize>o * 4, r1, 4);
    store<f32>(y + <usize>o * 4, r2, 8); store<f32>(y + <usize>o * 4, r3, 12);
  }
  for (; o < O; o++) {
    const wr = w + <usize>o * F * 4;
    let s = f32x4.splat(0);
    let f = 0;
    for (; f < F4; f += 4) s = madd(v128.load(wr + <usize>f * 4), v128.load(x + <usize>f * 4), s);
    let r = hsum(s);
    for (; f < F; f++) r += load<f32>(wr + <usize>f * 4) * load<f32>(x + <usize>f * 4);
    if (bias != 0) r += load<f32>(bias + <usize>o * 4);
    store<f32>(y + <usize>o * 4, r);
  }
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Whether n floats at a and b have identical bits (the weight cache's check). */
export function sameBits(a: usize, b: usize, n: i32): bool {
  const end = a + <usize>n * 4;
  let diff = i32x4.splat(0);
  for (; a + 16 <= end; a += 16, b += 16) diff = v128.or(diff, v128.xor(v128.load(a), v128.load(b)));
  if (v128.any_true(diff)) return false;
  for (; a < end; a += 4, b += 4) if (load<u32>(a) != load<u32>(b)) return false;
  return true;
}
