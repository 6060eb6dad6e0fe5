// Winograd F(4×4, 3×3) (Lavin & Gray, 2015) for 3×3 stride-1 convs: each 4×4 output
// tile is Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over a 6×6 input tile d, and summing over input
// channels turns the ⊙ into 36 GEMMs M_ξ = U_ξ·V_ξ (ξ a tile element), run by gemm.ts.
//
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
//   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
//
// The host zero-pads the input into planes of Hp × Wp with whole tiles in both
// directions and a tile-row width `tilesW` that is a multiple of 4, so every
// transform works on four horizontally adjacent tiles at once (one per f32x4 lane)
// without bounds checks. Filters are transformed in double and rounded once.
import { MR, NR, gemmChunk } from './gemm';

/** Scratch for the transforms: 40 vectors, and G·g of one filter in double. */
const tmp: usize = memory.data(40 * 16, 16);
const gg: usize = memory.data(18 * 8, 16);

/** U_ξ for one group: w [M][C][3][3] → U[ξ·uStride + (mb·C + c)·MR + r] (MR-tall panels, rows past M are 0). */
export function winogradFilters(w: usize, U: usize, uStride: i32, M: i32, C: i32): void {
  memory.fill(U, 0, <usize>36 * uStride * 4);
  for (let m = 0; m < M; m++) {
    const panel = (m / MR) * C * MR + (m % MR);
    for (let c = 0; c < C; c++) {
      const f = w + (<usize>(m * C + c) * 9) * 4;
      // G·g, one filter column j at a time: h[i][j].
      for (let j = 0; j < 3; j++) {
        const g0 = <f64>load<f32>(f + <usize>j * 4), g1 = <f64>load<f32>(f + <usize>(3 + j) * 4), g2 = <f64>load<f32>(f + <usize>(6 + j) * 4);
        const h = gg + <usize>j * 8;
        store<f64>(h, g0 / 4);
        store<f64>(h, -(g0 + g1 + g2) / 6, 24);
        store<f64>(h, -(g0 - g1 + g2) / 6, 48);
        store<f64>(h, g0 / 24 + g1 / 12 + g2 / 6, 72);
        store<f64>(h, g0 / 24 - g1 / 12 + g2 / 6, 96);
        store<f64>(h, g2, 120);
      }
      // (G·g)·Gᵀ, row i.
      const dst = U + <usize>(panel + c * MR) * 4;
      const stride = <usize>uStride * 4;
      for (let i = 0; i < 6; i++) {
        const h = gg + <usize>(i * 3) * 8;
        const g0 = load<f64>(h), g1 = load<f64>(h, 8), g2 = load<f64>(h, 16);
        const row = dst + <usize>(i * 6) * stride;
        store<f32>(row, <f32>(g0 / 4));
        store<f32>(row + stride, <f32>(-(g0 + g1 + g2) / 6));
        store<f32>(row + 2 * stride, <f32>(-(g0 - g1 + g2) / 6));
        store<f32>(row + 3 * stride, <f32>(g0 / 24 + g1 / 12 + g2 / 6));
        store<f32>(row + 4 * stride, <f32>(g0 / 24 - g1 / 12 + g2 / 6));
        store<f32>(row + 5 * stride, <f32>g2);
      }
    }
  }
}

/** x [C][H][W] into zero-filled planes [C][Hp][Wp], shifted down by padTop and right by padLeft. */
export function winogradPad(x: usize, xp: usize, C: i32, H: i32, W: i32, padTop: i32, padLeft: i32, Hp: i32, Wp: i32): void {
  memory.fill(xp, 0, <usize>C * Hp * Wp * 4);
  const cols = min(W, Wp - padLeft);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const yp = y + padTop;
      if (yp >= Hp) break;
      memory.copy(xp + (<usize>(c * Hp + yp) * Wp + padLeft) * 4, x + (<usize>(c * H + y) * W) * 4, <usize>cols * 4);
    }
  }
}

// @ts-ignore: decorator
@inline
function transposeLo(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 4, 1, 5); }
// @ts-ignore: decorator
@inline
function transposeHi(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 6, 3, 7); }

/** Bᵀ·(v0 … v5) into tmp[o + k·step], k = 0…5 (four lanes at once). */
// @ts-ignore: decorator
@inline
function inputTransform(v0: v128, v1: v128, v2: v128, v3: v128, v4: v128, v5: v128, o: usize, step: usize): void {
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  v128.store(o, f32x4.add(f32x4.sub(f32x4.mul(four, v0), f32x4.mul(five, v2)), v4));
  v128.store(o + step, f32x4.add(f32x4.sub(v3, f32x4.mul(four, f32x4.add(v1, v2))), v4));
  v128.store(o + 2 * step, f32x4.add(f32x4.sub(f32x4.mul(four, f32x4.sub(v1, v2)), v3), v4));
  v128.store(o + 3 * step, f32x4.add(f32x4.sub(f32x4.mul(two, f32x4.sub(v3, v1)), v2), v4));
  v128.store(o + 4 * step, f32x4.add(f32x4.sub(f32x4.mul(two, f32x4.sub(v1, v3)), v2), v4));
  v128.store(o + 5 * step, f32x4.add(f32x4.sub(f32x4.mul(four, v1), f32x4.mul(five, v3)), v5));
}

/**
 * V_ξ for tiles t0 … t0+width−1 (t0 a multiple of NR, width of 4): tile t is at
 * (ty, tx) = (t / tilesW, t % tilesW), input origin (4·ty, 4·tx) in the padded planes.
 * V[ξ·vStride + (nb·C + c)·NR + j] for tile t0 + nb·NR + j.
 */
export function winogradInputs(xp: usize, V: usize, vStride: i32, C: i32, Hp: i32, Wp: i32, tilesW: i32, t0: i32, width: i32): void {
  const rowBytes = <usize>Wp * 4;
  const vBytes = <usize>vStride * 4;
  for (let q = 0; q < width; q += 4) {
    const t = t0 + q;
    const ty = t / tilesW, tx = t % tilesW;
    const nb = q / NR, j0 = q % NR;
    for (let c = 0; c < C; c++) {
      let src = xp + ((<usize>(c * Hp + 4 * ty)) * Wp + <usize>(4 * tx)) * 4;
      // Rows: (d·B) for each of the six rows, columns k → tmp[r·6 + k].
      for (let r = 0; r < 6; r++, src += rowBytes) {
        const a = v128.load(src), b = v128.load(src, 16), cc = v128.load(src, 32), d = v128.load(src, 48), e = v128.load(src, 64);
        // Column k of the four tiles: lane j = x[4j + k]. 4×4 transpose of (a, b, cc, d); then columns 0, 1 of (b, cc, d, e).
        const ab0 = transposeLo(a, b), ab1 = transposeHi(a, b), cd0 = transposeLo(cc, d), cd1 = transposeHi(cc, d);
        const k0 = v128.shuffle<f32>(ab0, cd0, 0, 1, 4, 5), k1 = v128.shuffle<f32>(ab0, cd0, 2, 3, 6, 7);
        const k2 = v128.shuffle<f32>(ab1, cd1, 0, 1, 4, 5), k3 = v128.shuffle<f32>(ab1, cd1, 2, 3, 6, 7);
        const bc0 = transposeLo(b, cc), de0 = transposeLo(d, e);
        const k4 = v128.shuffle<f32>(bc0, de0, 0, 1, 4, 5), k5 = v128.shuffle<f32>(bc0, de0, 2, 3, 6, 7);
        inputTransform(k0, k1, k2, k3, k4, k5, tmp + <usize>(r * 6) * 16, 16);
      }
      // Columns: Bᵀ over the six rows, for each k; ξ = i·6 + k.
      const dst = V + (<usize>((nb * C + c) * NR + j0)) * 4;
      for (let k = 0; k < 6; k++) {
        const s = tmp + <usize>k * 16;
        const v0 = v128.load(s), v1 = v128.load(s, 96), v2 = v128.load(s, 192), v3 = v128.load(s, 288), v4 = v128.load(s, 384), v5 = v128.load(s, 480);
        const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
        const o0 = f32x4.add(f32x4.sub(f32x4.mul(four, v0), f32x4.mul(five, v2)), v4);
        const o1 = f32x4.add(f32x4.sub(v3, f32x4.mul(four, f32x4.add(v1, v2))), v4);
        const o2 = f32x4.add(f32x4.sub(f32x4.mul(four, f32x4.sub(v1, v2)), v3), v4);
        const o3 = f32x4.add(f32x4.sub(f32x4.mul(two, f32x4.sub(v3, v1)), v2), v4);
        const o4 = f32x4.add(f32x4.sub(f32x4.mul(two, f32x4.sub(v1, v3)), v2), v4);
        const o5 = f32x4.add(f32x4.sub(f32x4.mul(four, v1), f32x4.mul(five, v3)), v5);
        v128.store(dst + <usize>k * vBytes, o0);
        v128.store(dst + <usize>(6 + k) * vBytes, o1);
        v128.store(dst + <usize>(12 + k) * vBytes, o2);
        v128.store(dst + <usize>(18 + k) * vBytes, o3);
        v128.store(dst + <usize>(24 + k) * vBytes, o4);
        v128.store(dst + <usize>(30 + k) * vBytes, o5);
      }
    }
  }
}

/** Aᵀ·(m0 … m5) → four vectors into tmp[o + k·step]. */
// @ts-ignore: decorator
@inline
function outputTransform(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, o: usize, step: usize): void {
  const p12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2), p34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  v128.store(o, f32x4.add(f32x4.add(m0, p12), p34));
  v128.store(o + step, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(o + 2 * step, f32x4.add(p12, f32x4.mul(f32x4.splat(4), p34)));
  v128.store(o + 3 * step, f32x4.add(f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)), m5));
}

/**
 * Y = Aᵀ M A plus bias for tiles t0 … t0+width−1 of every output channel m < M, from
 * Mx[ξ·mStride + m·ldm + q], into padded output planes yp [M][tilesH·4][tilesW·4].
 */
export function winogradOutputs(Mx: usize, mStride: i32, ldm: i32, yp: usize, M: i32, tilesH: i32, tilesW: i32, t0: i32, width: i32, bias: usize): void {
  const ypW = tilesW * 4;
  const planeBytes = <usize>(tilesH * 4) * ypW * 4;
  const mBytes = <usize>mStride * 4;
  for (let m = 0; m < M; m++) {
    const bv = f32x4.splat(bias == 0 ? <f32>0 : load<f32>(bias + <usize>m * 4));
    for (let q = 0; q < width; q += 4) {
      const t = t0 + q;
      const ty = t / tilesW, tx = t % tilesW;
      const s = Mx + (<usize>(m * ldm + q)) * 4;
      // Columns of the 6×6 (over i, for each k): 4×6 into tmp[i'·6 + k].
      for (let k = 0; k < 6; k++) {
        outputTransform(
          v128.load(s + <usize>k * mBytes), v128.load(s + <usize>(6 + k) * mBytes), v128.load(s + <usize>(12 + k) * mBytes),
          v128.load(s + <usize>(18 + k) * mBytes), v128.load(s + <usize>(24 + k) * mBytes), v128.load(s + <usize>(30 + k) * mBytes),
          tmp + <usize>k * 16, 96,
        );
      }
      let row = yp + <usize>m * planeBytes + (<usize>(4 * ty) * ypW + <usize>(4 * tx)) * 4;
      for (let r = 0; r < 4; r++, row += <usize>ypW * 4) {
        const a = tmp + <usize>(r * 6) * 16;
        const o = tmp + <usize>(24 + r * 4) * 16;
        outputTransform(v128.load(a), v128.load(a, 16), v128.load(a, 32), v128.load(a, 48), v128.load(a, 64), v128.load(a, 80), o, 16);
        // o[c] lane j = element (r, c) of tile j: transpose to four tiles' rows.
        const y0 = v128.load(o), y1 = v128.load(o, 16), y2 = v128.load(o, 32), y3 = v128.load(o, 48);
        const l01 = transposeLo(y0, y1), h01 = transposeHi(y0, y1), l23 = transposeLo(y2, y3), h23 = transposeHi(y2, y3);
        v128.store(row, f32x4.add(v128.shuffle<f32>(l01, l23, 0, 1, 4, 5), bv));
        v128.store(row, f32x4.add(v128.shuffle<f32>(l01, l23, 2, 3, 6, 7), bv), 16);
        v128.store(row, f32x4.add(v128.shuffle<f32>(h01, h23, 0, 1, 4, 5), bv), 32);
        v128.store(row, f32x4.add(v128.shuffle<f32>(h01, h23, 2, 3, 6, 7), bv), 48);
      }
    }
  }
}

/** Crops padded planes yp [M][Hy][Wy] into out [M][H][W]. */
export function winogradCrop(yp: usize, out: usize, M: i32, Hy: i32, Wy: i32, H: i32, W: i32): void {
  for (let m = 0; m < M; m++) {
    for (let y = 0; y < H; y++) {
      memory.copy(out + (<usize>(m * H + y) * W) * 4, yp + (<usize>(m * Hy + y) * Wy) * 4, <usize>W * 4);
    }
  }
}

/** The 36 transform-domain GEMMs for one chunk: Mx_ξ (zeroed here) = U_ξ · V_ξ. */
export function winogradGemms(U: usize, uStride: i32, V: usize, vStride: i32, Mx: usize, mStride: i32, ldm: i32, M: i32, C: i32, width: i32): void {
  memory.fill(Mx, 0, <usize>36 * mStride * 4);
  for (let e = 0; e < 36; e++) {
    gemmChunk(U + <usize>e * uStride * 4, V + <usize>e * vStride * 4, Mx + <usize>e * mStride * 4, ldm, M, C, width, false);
  }
}
