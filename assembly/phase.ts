// Stride-phase Winograd for convolutions with horizontal stride S ≥ 2 and wide
// kernels (the 7×7 stride-2 stem): along each output row, pairs of outputs
// (2t, 2t+1) are computed by 1D Winograd F(2, 3) on the stride phases of the input.
//
// Tap kw = S·j + s of the kernel belongs to phase s (input columns ≡ s mod S), tap j
// of that phase; a phase is a stride-1 correlation, so its taps split into groups of
// three, each an F(2, 3) on four phase inputs d_q = x_s[2t + j0 + q]:
//   v0 = d0 − d2, v1 = d1 + d2, v2 = d2 − d1, v3 = d1 − d3,
//   U0 = g0, U1 = (g0 + g1 + g2)/2, U2 = (g0 − g1 + g2)/2, U3 = g2,
//   y(2t) = m0 + m1 + m2, y(2t+1) = m1 − m2 − m3 with m_p = Σ U_p·v_p.
// Taps left over (phase length mod 3) are summed directly: into m0 for y(2t) and,
// with the weight negated, into m3 for y(2t+1). Every group and every row (c, kh)
// shares the four points, so a conv is four GEMMs (gemmChunk) whose depths are
// K12 = C·kH·groups (points 1, 2) and K03 = K12 + C·kH·leftover (points 0, 3):
// 7×7 stride 2 does 10 multiplies per 2 outputs per (c, kh) instead of 14.
//
// Input columns x[S·(2t + c) + s] are read from planes split by column mod 2S,
// P_b[i] = x[2S·i + b], so eight adjacent tiles are eight adjacent floats.
import { gemmChunk } from './gemm';
import { GEO_C_IN, GEO_D_H, GEO_IN_H, GEO_IN_W, GEO_K_H, GEO_K_W, GEO_OUT_H, GEO_OUT_W, GEO_P_H, GEO_P_W, GEO_S_H, GEO_S_W, NR } from './layout';

/**
 * x [C][inH][inW] into planes P[c][r][b][i] = x[c][r − pH][2S·i + b − pW]
 * (0 outside x), for r < Hp, b < 2S, i < Wq; S is the horizontal stride. The
 * sizes come from the geometry record `geo` (layout.ts).
 */
export function phaseSplit(x: usize, P: usize, geo: usize, Hp: i32, Wq: i32): void {
  const C = load<i32>(geo, GEO_C_IN), inH = load<i32>(geo, GEO_IN_H), inW = load<i32>(geo, GEO_IN_W);
  const pH = load<i32>(geo, GEO_P_H), pW = load<i32>(geo, GEO_P_W), S = load<i32>(geo, GEO_S_W);
  const S2 = 2 * S;
  const plane = <usize>Wq * 4;
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < Hp; r++) {
      const dst = P + <usize>(c * Hp + r) * S2 * plane;
      const y = r - pH;
      if (y < 0 || y >= inH) {
        memory.fill(dst, 0, <usize>S2 * plane);
        continue;
      }
      const src = x + (<usize>(c * inH + y) * inW) * 4;
      let i = 0;
      while (i < Wq) {
        const col0 = S2 * i - pW;
        if (S2 == 4 && col0 >= 0 && col0 + 16 <= inW && i + 4 <= Wq) {
          // Four columns of each of the four planes: a 4×4 transpose.
          const s = src + <usize>col0 * 4;
          const v0 = v128.load(s), v1 = v128.load(s, 16), v2 = v128.load(s, 32), v3 = v128.load(s, 48);
          const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
          const d = dst + <usize>i * 4;
          v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
          v128.store(d + plane, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
          v128.store(d + 2 * plane, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
          v128.store(d + 3 * plane, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
          i += 4;
          continue;
        }
        for (let b = 0; b < S2; b++) {
          const col = col0 + b;
          store<f32>(dst + <usize>b * plane + <usize>i * 4, col >= 0 && col < inW ? load<f32>(src + <usize>col * 4) : 0);
        }
        i++;
      }
    }
  }
}

/**
 * The transformed inputs of tiles n0 … n0+width−1 (width a multiple of NR; tile
 * n is output row n / tilesWp, pair n mod tilesWp, tilesWp a multiple of NR) as
 * NR-wide B panels for the four points: b0, b3 hold K03 rows, b1, b2 K12.
 */
export function phaseInputs(P: usize, b0: usize, b1: usize, b2: usize, b3: usize, K03: i32, K12: i32, geo: usize, Hp: i32, Wq: i32, tilesWp: i32, n0: i32, width: i32): void {
  const C = load<i32>(geo, GEO_C_IN), kH = load<i32>(geo, GEO_K_H), kW = load<i32>(geo, GEO_K_W);
  const S = load<i32>(geo, GEO_S_W), sH = load<i32>(geo, GEO_S_H), dH = load<i32>(geo, GEO_D_H);
  const S2 = 2 * S;
  const plane = <usize>Wq * 4;
  // Byte offsets (from a row's tile t0) of each group's four inputs, then of each
  // leftover tap's two: they depend on neither the tile nor the row.
  let groups = 0, leftover = 0;
  for (let s = 0; s < S; s++) {
    const taps = (kW - s + S - 1) / S;
    for (let j0 = 0; j0 + 3 <= taps; j0 += 3) {
      for (let q = 0; q < 4; q++) {
        const e = S * (j0 + q) + s;
        store<u32>(phaseOffsets + <usize>(groups * 4 + q) * 4, <u32>(<usize>(e % S2) * plane + <usize>(e / S2) * 4));
      }
      groups++;
    }
  }
  const lo = phaseOffsets + <usize>groups * 16;
  for (let s = 0; s < S; s++) {
    const taps = (kW - s + S - 1) / S;
    for (let j = taps - taps % 3; j < taps; j++) {
      for (let o = 0; o < 2; o++) {
        const e = S * (j + o) + s;
        store<u32>(lo + <usize>(leftover * 2 + o) * 4, <u32>(<usize>(e % S2) * plane + <usize>(e / S2) * 4));
      }
      leftover++;
    }
  }
  const rowStep = <usize>dH * S2 * plane;
  let oh = n0 / tilesWp;
  let t0 = n0 % tilesWp;
  for (let nb = 0; nb * NR < width; nb++) {
    let d0 = b0 + <usize>nb * K03 * NR * 4, d1 = b1 + <usize>nb * K12 * NR * 4;
    let d2 = b2 + <usize>nb * K12 * NR * 4, d3 = b3 + <usize>nb * K03 * NR * 4;
    for (let c = 0; c < C; c++) {
      let row = P + (<usize>(c * Hp + oh * sH) * S2 * Wq + <usize>t0) * 4;
      for (let kh = 0; kh < kH; kh++, row += rowStep) {
        for (let g = 0; g < groups; g++) {
          const o = phaseOffsets + <usize>g * 16;
          const p0 = row + <usize>load<u32>(o), p1 = row + <usize>load<u32>(o, 4);
          const p2 = row + <usize>load<u32>(o, 8), p3 = row + <usize>load<u32>(o, 12);
          const x0 = v128.load(p0), x1 = v128.load(p1), x2 = v128.load(p2), x3 = v128.load(p3);
          const y0 = v128.load(p0, 16), y1 = v128.load(p1, 16), y2 = v128.load(p2, 16), y3 = v128.load(p3, 16);
          v128.store(d0, f32x4.sub(x0, x2)); v128.store(d0, f32x4.sub(y0, y2), 16);
          v128.store(d1, f32x4.add(x1, x2)); v128.store(d1, f32x4.add(y1, y2), 16);
          v128.store(d2, f32x4.sub(x2, x1)); v128.store(d2, f32x4.sub(y2, y1), 16);
          v128.store(d3, f32x4.sub(x1, x3)); v128.store(d3, f32x4.sub(y1, y3), 16);
          d0 += NR * 4; d1 += NR * 4; d2 += NR * 4; d3 += NR * 4;
        }
        for (let l = 0; l < leftover; l++) {
          const o = lo + <usize>l * 8;
          const p0 = row + <usize>load<u32>(o), p1 = row + <usize>load<u32>(o, 4);
          v128.store(d0, v128.load(p0)); v128.store(d0, v128.load(p0, 16), 16);
          v128.store(d3, v128.load(p1)); v128.store(d3, v128.load(p1, 16), 16);
          d0 += NR * 4; d3 += NR * 4;
        }
      }
    }
    t0 += NR;
    if (t0 == tilesWp) {
      t0 = 0;
      oh++;
    }
  }
}

/** The four points' products for one chunk, m_p = A_p·B_p ([M × ldm] each; bias into m0, −bias into m3). */
export function phaseGemms(
  a0: usize, a1: usize, a2: usize, a3: usize, b0: usize, b1: usize, b2: usize, b3: usize,
  m0: usize, m1: usize, m2: usize, m3: usize, ldm: i32, M: i32, K03: i32, K12: i32, width: i32, bias: usize, negBias: usize,
): void {
  gemmChunk(a0, b0, m0, ldm, M, K03, width, bias);
  gemmChunk(a1, b1, m1, ldm, M, K12, width, 0);
  gemmChunk(a2, b2, m2, ldm, M, K12, width, 0);
  gemmChunk(a3, b3, m3, ldm, M, K03, width, negBias);
}

/** y(2t) = m0 + m1 + m2, y(2t+1) = m1 − m2 − m3 into out [M][outH][outW] for the chunk's tiles. */
export function phaseOutputs(m0: usize, m1: usize, m2: usize, m3: usize, ldm: i32, out: usize, M: i32, geo: usize, tilesWp: i32, n0: i32, width: i32): void {
  const outH = load<i32>(geo, GEO_OUT_H), outW = load<i32>(geo, GEO_OUT_W);
  for (let m = 0; m < M; m++) {
    const src = <usize>m * ldm * 4;
    const plane = out + <usize>m * outH * outW * 4;
    let oh = n0 / tilesWp;
    let t = n0 % tilesWp;
    for (let q = 0; q < width; q += 4, t += 4) {
      if (t == tilesWp) {
        t = 0;
        oh++;
      }
      const ow = 2 * t;
      if (ow >= outW) continue;
      const o = src + <usize>q * 4;
      const v0 = v128.load(m0 + o), v1 = v128.load(m1 + o), v2 = v128.load(m2 + o), v3 = v128.load(m3 + o);
      const ya = f32x4.add(f32x4.add(v0, v1), v2);
      const yb = f32x4.sub(f32x4.sub(v1, v2), v3);
      const z0 = v128.shuffle<f32>(ya, yb, 0, 4, 1, 5);
      const z1 = v128.shuffle<f32>(ya, yb, 2, 6, 3, 7);
      const dst = plane + (<usize>oh * outW + ow) * 4;
      if (ow + 8 <= outW) {
        v128.store(dst, z0);
        v128.store(dst, z1, 16);
      } else {
        const tmp = phaseTmp;
        v128.store(tmp, z0);
        v128.store(tmp, z1, 16);
        memory.copy(dst, tmp, <usize>(outW - ow) * 4);
      }
    }
  }
}

const phaseTmp: usize = memory.data(32, 16);
/** phaseInputs' input offsets: four per F(2, 3) group, two per leftover tap (usePhaseWinograd: kW ≤ 255). */
const phaseOffsets: usize = memory.data(4096, 16);
