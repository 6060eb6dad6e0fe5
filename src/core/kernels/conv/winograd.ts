/**
 * Winograd convolution for 3×3 stride-1 undilated 2D convs: F(2×2, 3×3) and
 * F(4×4, 3×3), each as a batch of C_out×C_in×tiles GEMMs on the shared packed
 * micro-kernel. Transformed operands are kept in double, so the result is as
 * accurate as the direct sum (the only rounding that matters is the final one
 * to float32). When each runs is the dispatch table's choice (dispatch.ts).
 */
import { scratch64, type ConvCall } from './call';
import { microKernel64, MR, NR } from './gemm';

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
export function winograd2x2(call: ConvCall): void {
  const { x, w, bias, out, g, cIn, cOut, groups } = call;
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
 * Same structure as `winograd2x2`; the transforms run on 6×6 scratch arrays.
 */
export function winograd4x4(call: ConvCall): void {
  const { x, w, bias, out, g, cIn, cOut, groups } = call;
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
