// Depthwise 3×3 conv (one input channel per group, any channel multiplier) with
// horizontal stride 1: four outputs of a row per f32x4, nine taps each. Each input
// plane is first copied into a zero-bordered scratch plane, so the taps need no
// bounds checks. Taps in the padding multiply zeros, which is the same as skipping
// them only for finite weights: the host sends other layers to TypeScript.
import { madd } from './gemm';
import {
  DEPTHWISE_EXTRA_COLUMNS, GEO_D_H, GEO_D_W, GEO_IN_H, GEO_IN_W, GEO_OUT_H, GEO_OUT_W, GEO_P_H, GEO_P_W, GEO_S_H,
} from './layout';

/**
 * out[co] = bias[co] + Σ w[co]·x[co / multiplier] over a 3×3 window with vertical
 * stride sH and dilation dH × dW, read from the geometry record `geo` (layout.ts).
 * `scratch` holds one padded plane.
 */
export function depthwise3x3(x: usize, w: usize, bias: usize, out: usize, cOut: i32, multiplier: i32, geo: usize, scratch: usize): void {
  const inH = load<i32>(geo, GEO_IN_H), inW = load<i32>(geo, GEO_IN_W), outH = load<i32>(geo, GEO_OUT_H), outW = load<i32>(geo, GEO_OUT_W);
  const pH = load<i32>(geo, GEO_P_H), pW = load<i32>(geo, GEO_P_W), sH = load<i32>(geo, GEO_S_H), dH = load<i32>(geo, GEO_D_H), dW = load<i32>(geo, GEO_D_W);
  const Hp = (outH - 1) * sH + 2 * dH + 1;
  const Wp = outW + 2 * dW + DEPTHWISE_EXTRA_COLUMNS;
  const rowBytes = <usize>Wp * 4;
  const cols = min(inW, Wp - pW);
  for (let co = 0; co < cOut; co++) {
    const ci = co / multiplier;
    memory.fill(scratch, 0, <usize>Hp * rowBytes);
    for (let iy = 0; iy < inH; iy++) {
      const yp = iy + pH;
      if (yp >= Hp) break;
      memory.copy(scratch + <usize>yp * rowBytes + <usize>pW * 4, x + (<usize>(ci * inH + iy) * inW) * 4, <usize>cols * 4);
    }
    const k = w + <usize>co * 36;
    const w0 = load<f32>(k), w1 = load<f32>(k, 4), w2 = load<f32>(k, 8);
    const w3 = load<f32>(k, 12), w4 = load<f32>(k, 16), w5 = load<f32>(k, 20);
    const w6 = load<f32>(k, 24), w7 = load<f32>(k, 28), w8 = load<f32>(k, 32);
    const b = bias == 0 ? <f32>0 : load<f32>(bias + <usize>co * 4);
    const v0 = f32x4.splat(w0), v1 = f32x4.splat(w1), v2 = f32x4.splat(w2);
    const v3 = f32x4.splat(w3), v4 = f32x4.splat(w4), v5 = f32x4.splat(w5);
    const v6 = f32x4.splat(w6), v7 = f32x4.splat(w7), v8 = f32x4.splat(w8);
    const vb = f32x4.splat(b);
    const c1 = <usize>dW * 4, c2 = <usize>(2 * dW) * 4;
    let o = out + <usize>co * outH * outW * 4;
    for (let oh = 0; oh < outH; oh++) {
      const r0 = scratch + <usize>(oh * sH) * rowBytes;
      const r1 = r0 + <usize>dH * rowBytes;
      const r2 = r1 + <usize>dH * rowBytes;
      let ow = 0;
      for (; ow + 4 <= outW; ow += 4, o += 16) {
        const i = <usize>ow * 4;
        let acc = madd(v0, v128.load(r0 + i), vb);
        acc = madd(v1, v128.load(r0 + i + c1), acc);
        acc = madd(v2, v128.load(r0 + i + c2), acc);
        acc = madd(v3, v128.load(r1 + i), acc);
        acc = madd(v4, v128.load(r1 + i + c1), acc);
        acc = madd(v5, v128.load(r1 + i + c2), acc);
        acc = madd(v6, v128.load(r2 + i), acc);
        acc = madd(v7, v128.load(r2 + i + c1), acc);
        acc = madd(v8, v128.load(r2 + i + c2), acc);
        v128.store(o, acc);
      }
      for (; ow < outW; ow++, o += 4) {
        const i = <usize>ow * 4;
        store<f32>(o,
          b + w0 * load<f32>(r0 + i) + w1 * load<f32>(r0 + i + c1) + w2 * load<f32>(r0 + i + c2) +
          w3 * load<f32>(r1 + i) + w4 * load<f32>(r1 + i + c1) + w5 * load<f32>(r1 + i + c2) +
          w6 * load<f32>(r2 + i) + w7 * load<f32>(r2 + i + c1) + w8 * load<f32>(r2 + i + c2));
      }
    }
  }
}
