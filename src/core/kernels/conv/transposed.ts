/** Transposed convolution kernels (1D/2D/3D): a direct scatter, and GEMM + col2im. */
import { scratch, type ConvCall } from './call';
import { CHUNK_FLOATS, columnScratch, microKernel, MR, NR, packPointwise, weightScratch } from './gemm';

/**
 * Each input sample scatters weight·x into out[i·s − p + k·d]; taps landing
 * outside the output are skipped. `out` already holds the bias.
 */
export function transposedScatter(call: ConvCall): void {
  const { x: xd, w: wd, out, g, groups, cInG, cOutG } = call;
  const inSlice = g.inH * g.inW;
  const inPlane = g.inD * inSlice;
  const outSlice = g.outH * g.outW;
  const outPlane = g.outD * outSlice;
  const kVol = g.kD * g.kH * g.kW;
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
}

let transposedCols: Float32Array = new Float32Array(0);

/**
 * Transposed conv as GEMM + col2im: cols[(co, tap), i] = Σ_ci W[ci, co, tap]·x[ci, i]
 * with the packed micro-kernel, then each column is added into the output at
 * i·s − p + tap·d. `out` already holds the bias.
 */
export function transposedGemm(call: ConvCall): void {
  const { x, w, out, g, cIn, cOut, groups } = call;
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
  const col = columnScratch(K * chunk);
  const wp = weightScratch(mPanels * MR * K);
  transposedCols = scratch(transposedCols, M * chunk);
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
