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
import { gemmChunk, NR } from './gemm';

/**
 * x [C][inH][inW] into planes P[c][r][b][i] = x[c][r − pH][2S·i + b − pW]
 * (0 outside x), for r < Hp, b < 2S, i < Wq.
 */
export function phaseSplit(x: usize, P: usize, C: i32, inH: i32, inW: i32, pH: i32, pW: i32, Hp: i32, S: i32, Wq: i32): void {
  const S2 = 2 * S;
  let dst = P;
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < Hp; r++) {
      const y = r - pH;
      const rowIn = y >= 0 && y < inH;
      const src = x + (<usize>(c * inH + y) * inW) * 4;
      for (let b = 0; b < S2; b++) {
        for (let i = 0; i < Wq; i++, dst += 4) {
          const col = S2 * i + b - pW;
          store<f32>(dst, rowIn && col >= 0 && col < inW ? load<f32>(src + <usize>col * 4) : 0);
        }
      }
    }
  }
}

/**
 * The transformed inputs of tiles n0 … n0+width−1 (width a multiple of NR; tile
 * n is output row n / tilesWp, pair n mod tilesWp, tilesWp a multiple of NR) as
 * NR-wide B panels for the four points: b0, b3 hold K03 rows, b1, b2 K12.
 */
export function phaseInputs(
  P: usize, b0: usize, b1: usize, b2: usize, b3: usize, K03: i32, K12: i32,
  C: i32, kH: i32, kW: i32, S: i32, sH: i32, dH: i32, Hp: i32, Wq: i32, tilesWp: i32, n0: i32, width: i32,
): void {
  const S2 = 2 * S;
  const plane = <usize>Wq * 4;
  for (let nb = 0; nb * NR < width; nb++) {
    const n = n0 + nb * NR;
    const oh = n / tilesWp;
    const t0 = n % tilesWp;
    let d0 = b0 + <usize>nb * K03 * NR * 4, d1 = b1 + <usize>nb * K12 * NR * 4;
    let d2 = b2 + <usize>nb * K12 * NR * 4, d3 = b3 + <usize>nb * K03 * NR * 4;
    for (let c = 0; c < C; c++) {
      for (let kh = 0; kh < kH; kh++) {
        const r = oh * sH + kh * dH;
        const row = P + (<usize>(c * Hp + r) * S2 * Wq + <usize>t0) * 4;
        for (let s = 0; s < S; s++) {
          const taps = (kW - s + S - 1) / S;
          for (let j0 = 0; j0 + 3 <= taps; j0 += 3) {
            const e0 = S * j0 + s, e1 = e0 + S, e2 = e1 + S, e3 = e2 + S;
            const p0 = row + <usize>(e0 % S2) * plane + <usize>(e0 / S2) * 4;
            const p1 = row + <usize>(e1 % S2) * plane + <usize>(e1 / S2) * 4;
            const p2 = row + <usize>(e2 % S2) * plane + <usize>(e2 / S2) * 4;
            const p3 = row + <usize>(e3 % S2) * plane + <usize>(e3 / S2) * 4;
            const x0 = v128.load(p0), x1 = v128.load(p1), x2 = v128.load(p2), x3 = v128.load(p3);
            const y0 = v128.load(p0, 16), y1 = v128.load(p1, 16), y2 = v128.load(p2, 16), y3 = v128.load(p3, 16);
            v128.store(d0, f32x4.sub(x0, x2)); v128.store(d0, f32x4.sub(y0, y2), 16);
            v128.store(d1, f32x4.add(x1, x2)); v128.store(d1, f32x4.add(y1, y2), 16);
            v128.store(d2, f32x4.sub(x2, x1)); v128.store(d2, f32x4.sub(y2, y1), 16);
            v128.store(d3, f32x4.sub(x1, x3)); v128.store(d3, f32x4.sub(y1, y3), 16);
            d0 += NR * 4; d1 += NR * 4; d2 += NR * 4; d3 += NR * 4;
          }
        }
        for (let s = 0; s < S; s++) {
          const taps = (kW - s + S - 1) / S;
          for (let j = taps - taps % 3; j < taps; j++) {
            const e0 = S * j + s, e1 = e0 + S;
            const p0 = row + <usize>(e0 % S2) * plane + <usize>(e0 / S2) * 4;
            const p1 = row + <usize>(e1 % S2) * plane + <usize>(e1 / S2) * 4;
            v128.store(d0, v128.load(p0)); v128.store(d0, v128.load(p0, 16), 16);
            v128.store(d3, v128.load(p1)); v128.store(d3, v128.load(p1, 16), 16);
            d0 += NR * 4; d3 += NR * 4;
          }
        }
      }
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
export function phaseOutputs(m0: usize, m1: usize, m2: usize, m3: usize, ldm: i32, out: usize, M: i32, outH: i32, outW: i32, tilesWp: i32, n0: i32, width: i32): void {
  for (let m = 0; m < M; m++) {
    const src = <usize>m * ldm * 4;
    const plane = out + <usize>m * outH * outW * 4;
    for (let q = 0; q < width; q += 4) {
      const n = n0 + q;
      const oh = n / tilesWp;
      const ow = 2 * (n % tilesWp);
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
