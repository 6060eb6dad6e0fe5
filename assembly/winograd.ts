// Winograd F(2×2, 3×3) (Lavin & Gray, 2015) for 3×3 stride-1 convs: each 2×2 output
// tile is Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over a 4×4 input tile d (input tiles overlap
// by two), and summing over input channels turns the ⊙ into 16 GEMMs M_ξ = U_ξ·V_ξ
// (ξ a tile element), run by gemm.ts: 16 multiplies per 2×2 outputs instead of 36.
//
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 −1 −1]
//
// Its transforms only add, subtract and halve, so in float32 it is as accurate as the
// direct sum (measured against a double reference). F(4×4, 3×3) would need a quarter
// of the multiplies instead of 4/9, but its transforms (entries up to 8, and 1/24)
// amplify float32 rounding about tenfold: it failed the rtol 1e-4 checks.
//
// The host zero-pads the input into planes of Hp × Wp holding whole tiles in both
// directions with a tile-row width `tilesW` that is a multiple of 4, so every
// transform works on four horizontally adjacent tiles at once (one per f32x4 lane)
// without bounds checks. Filters are transformed in double and rounded once.
import { gemmChunk } from './gemm';
import { MR, NR } from './layout';

/** Scratch for the input transform: 16 vectors. */
const tmp: usize = memory.data(16 * 16, 16);

/** Crops padded planes yp [M][Hy][Wy] into out [M][H][W]. */
export function winogradCrop(yp: usize, out: usize, M: i32, Hy: i32, Wy: i32, H: i32, W: i32): void {
  for (let m = 0; m < M; m++) {
    for (let y = 0; y < H; y++) {
      memory.copy(out + (<usize>(m * H + y) * W) * 4, yp + (<usize>(m * Hy + y) * Wy) * 4, <usize>W * 4);
    }
  }
}

/** The 16 transform-domain GEMMs for one chunk: Mx_ξ = U_ξ · V_ξ. */
export function winogradGemms(U: usize, uStride: i32, V: usize, vStride: i32, Mx: usize, mStride: i32, ldm: i32, M: i32, C: i32, width: i32): void {
  for (let e = 0; e < 16; e++) {
    gemmChunk(U + <usize>e * uStride * 4, V + <usize>e * vStride * 4, Mx + <usize>e * mStride * 4, ldm, M, C, width, 0);
  }
}

/** U_ξ for one group: w [M][C][3][3] → U[ξ·uStride + (mb·C + c)·MR + r] (MR-tall panels, rows past M are 0). */
export function winogradFilters(w: usize, U: usize, uStride: i32, M: i32, C: i32): void {
  const stride = <usize>uStride * 4;
  // Zero only the rows of the last panel past M (every other value is written below).
  const rows = M % MR;
  if (rows != 0) {
    const last = U + <usize>((M / MR) * C * MR) * 4;
    for (let e = 0; e < 16; e++) {
      for (let c = 0; c < C; c++) memory.fill(last + <usize>e * stride + <usize>(c * MR + rows) * 4, 0, <usize>(MR - rows) * 4);
    }
  }
  let f = w;
  for (let m = 0; m < M; m++) {
    const panel = (m / MR) * C * MR + (m % MR);
    let dst = U + <usize>panel * 4;
    for (let c = 0; c < C; c++, f += 36, dst += MR * 4) {
      const g00 = <f64>load<f32>(f), g01 = <f64>load<f32>(f, 4), g02 = <f64>load<f32>(f, 8);
      const g10 = <f64>load<f32>(f, 12), g11 = <f64>load<f32>(f, 16), g12 = <f64>load<f32>(f, 20);
      const g20 = <f64>load<f32>(f, 24), g21 = <f64>load<f32>(f, 28), g22 = <f64>load<f32>(f, 32);
      // G·g: rows g0, ½(g0 + g1 + g2), ½(g0 − g1 + g2), g2 of the filter's rows.
      storeFilterRow(dst, stride, 0, g00, g01, g02);
      storeFilterRow(dst, stride, 4, 0.5 * (g00 + g10 + g20), 0.5 * (g01 + g11 + g21), 0.5 * (g02 + g12 + g22));
      storeFilterRow(dst, stride, 8, 0.5 * (g00 - g10 + g20), 0.5 * (g01 - g11 + g21), 0.5 * (g02 - g12 + g22));
      storeFilterRow(dst, stride, 12, g20, g21, g22);
    }
  }
}

/** One row (a, b, d) of G·g times Gᵀ: U_ξ for ξ = e0 … e0+3, rounded to float32 once. */
// @ts-ignore: decorator
@inline
function storeFilterRow(dst: usize, stride: usize, e0: i32, a: f64, b: f64, d: f64): void {
  const row = dst + <usize>e0 * stride;
  store<f32>(row, <f32>a);
  store<f32>(row + stride, <f32>(0.5 * (a + b + d)));
  store<f32>(row + 2 * stride, <f32>(0.5 * (a - b + d)));
  store<f32>(row + 3 * stride, <f32>d);
}

/**
 * V_ξ for tiles t0 … t0+width−1 (t0 a multiple of NR, width of 4): tile t is at
 * (ty, tx) = (t / tilesW, t % tilesW) and reads rows 2·ty … 2·ty+3 and columns
 * 2·tx … 2·tx+3 of the padded planes. V[ξ·vStride + (nb·C + c)·NR + j] for tile t0 + nb·NR + j.
 */
export function winogradInputs(xp: usize, V: usize, vStride: i32, C: i32, Hp: i32, Wp: i32, tilesW: i32, t0: i32, width: i32): void {
  const rowBytes = <usize>Wp * 4;
  const vBytes = <usize>vStride * 4;
  for (let q = 0; q < width; q += 4) {
    const t = t0 + q;
    const ty = t / tilesW, tx = t % tilesW;
    const nb = q / NR, j0 = q % NR;
    for (let c = 0; c < C; c++) {
      let src = xp + ((<usize>(c * Hp + 2 * ty)) * Wp + <usize>(2 * tx)) * 4;
      // Rows: d·B for each of the four rows → tmp[r·4 + k]; column k of tile j is x[2j + k].
      for (let r = 0; r < 4; r++, src += rowBytes) {
        const a = v128.load(src), b = v128.load(src, 16), a2 = v128.load(src, 8), b2 = v128.load(src, 24);
        const k0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), k1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
        const k2 = v128.shuffle<f32>(a2, b2, 0, 2, 4, 6), k3 = v128.shuffle<f32>(a2, b2, 1, 3, 5, 7);
        const o = tmp + <usize>(r * 4) * 16;
        v128.store(o, f32x4.sub(k0, k2));
        v128.store(o, f32x4.add(k1, k2), 16);
        v128.store(o, f32x4.sub(k2, k1), 32);
        v128.store(o, f32x4.sub(k1, k3), 48);
      }
      // Columns: Bᵀ over the four rows; ξ = i·4 + k.
      const dst = V + (<usize>((nb * C + c) * NR + j0)) * 4;
      for (let k = 0; k < 4; k++) {
        const s = tmp + <usize>k * 16;
        const v0 = v128.load(s), v1 = v128.load(s, 64), v2 = v128.load(s, 128), v3 = v128.load(s, 192);
        v128.store(dst + <usize>k * vBytes, f32x4.sub(v0, v2));
        v128.store(dst + <usize>(4 + k) * vBytes, f32x4.add(v1, v2));
        v128.store(dst + <usize>(8 + k) * vBytes, f32x4.sub(v2, v1));
        v128.store(dst + <usize>(12 + k) * vBytes, f32x4.sub(v1, v3));
      }
    }
  }
}

/**
 * Y = Aᵀ M A plus bias for tiles t0 … t0+width−1 of every output channel m < M, from
 * Mx[ξ·mStride + m·ldm + q], into padded output planes yp [M][tilesH·2][tilesW·2].
 */
export function winogradOutputs(Mx: usize, mStride: i32, ldm: i32, yp: usize, M: i32, tilesH: i32, tilesW: i32, t0: i32, width: i32, bias: usize): void {
  const ypW = tilesW * 2;
  const planeBytes = <usize>(tilesH * 2) * ypW * 4;
  const mBytes = <usize>mStride * 4;
  for (let m = 0; m < M; m++) {
    const bv = f32x4.splat(bias == 0 ? <f32>0 : load<f32>(bias + <usize>m * 4));
    for (let q = 0; q < width; q += 4) {
      const t = t0 + q;
      const ty = t / tilesW, tx = t % tilesW;
      const s = Mx + (<usize>(m * ldm + q)) * 4;
      // Aᵀ M: rows i → two rows, per column k.
      let r00 = f32x4.splat(0), r01 = r00, r02 = r00, r03 = r00, r10 = r00, r11 = r00, r12 = r00, r13 = r00;
      for (let k = 0; k < 4; k++) {
        const m0 = v128.load(s + <usize>k * mBytes), m1 = v128.load(s + <usize>(4 + k) * mBytes);
        const m2 = v128.load(s + <usize>(8 + k) * mBytes), m3 = v128.load(s + <usize>(12 + k) * mBytes);
        const top = f32x4.add(f32x4.add(m0, m1), m2), bottom = f32x4.sub(f32x4.sub(m1, m2), m3);
        if (k == 0) { r00 = top; r10 = bottom; }
        else if (k == 1) { r01 = top; r11 = bottom; }
        else if (k == 2) { r02 = top; r12 = bottom; }
        else { r03 = top; r13 = bottom; }
      }
      // (Aᵀ M) A: columns → two, then interleave the four tiles' pairs.
      const row = yp + <usize>m * planeBytes + (<usize>(2 * ty) * ypW + <usize>(2 * tx)) * 4;
      const y00 = f32x4.add(f32x4.add(f32x4.add(r00, r01), r02), bv), y01 = f32x4.add(f32x4.sub(f32x4.sub(r01, r02), r03), bv);
      const y10 = f32x4.add(f32x4.add(f32x4.add(r10, r11), r12), bv), y11 = f32x4.add(f32x4.sub(f32x4.sub(r11, r12), r13), bv);
      v128.store(row, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5));
      v128.store(row, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
      const row1 = row + <usize>ypW * 4;
      v128.store(row1, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5));
      v128.store(row1, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 16);
    }
  }
}
