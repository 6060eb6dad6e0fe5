/**
 * Depthwise convs (one input channel per group, C_out = multiplier × C_in).
 * Padding is never materialised: taps outside the input are skipped (a padded
 * zero times an infinite weight would give NaN). Which of the three runs is
 * the dispatch table's choice (dispatch.ts).
 */
import type { Geometry3 } from '../window';
import type { ConvCall } from './call';

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

/** Depthwise (one input channel per group), 1×3×3 kernels: `depthwise3x3Plane` for every output channel. */
export function depthwise3x3(call: ConvCall): void {
  const { cIn, cOutG: multiplier } = call;
  for (let ci = 0; ci < cIn; ci++) {
    for (let m = 0; m < multiplier; m++) depthwise3x3Plane(call, ci, ci * multiplier + m);
  }
}

/** Depthwise, 1D and 2D (a single depth slice) with any kernel: `depthwiseRowsPlane` for every output channel. */
export function depthwiseRows(call: ConvCall): void {
  const { cIn, cOutG: multiplier } = call;
  for (let ci = 0; ci < cIn; ci++) {
    for (let m = 0; m < multiplier; m++) depthwiseRowsPlane(call, ci, ci * multiplier + m);
  }
}

/** Depthwise, any rank and kernel: each tap adds weight × input to a run of one output row. */
export function depthwiseTaps(call: ConvCall): void {
  const { x, w, bias, out, g, cIn, cOutG: multiplier } = call;
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

/** Output plane `co` (from input channel `ci`) of a depthwise conv with a 1×3×3 kernel (any stride, dilation, padding). */
function depthwise3x3Plane(call: ConvCall, ci: number, co: number): void {
  const { x, w, out, g } = call;
  const { inD, inH, inW, outD, outH, outW, sD, sH, sW, dH, dW, pD, pH, pW } = g;
  const inSlice = inH * inW;
  const xBase = ci * inD * inSlice;
  const wBase = co * 9;
  const bias = call.bias === null ? 0 : call.bias[co];
  const oBase = co * outD * outH * outW;
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
 * Output plane `co` (from input channel `ci`) of a 1D/2D depthwise conv with any kernel: for every output
 * row and kernel row, each output adds a whole kernel row's dot product (5 and
 * 7 taps unrolled, ConvNeXt's and EfficientNet's sizes), so the output is
 * loaded and stored once per kernel row rather than once per tap.
 */
function depthwiseRowsPlane(call: ConvCall, ci: number, co: number): void {
  const { x, w, out, g } = call;
  const { inH, inW, outH, outW, kH, kW, sH, sW, dH, dW, pH, pW } = g;
  const xBase = ci * g.inD * inH * inW;
  const wBase = co * g.kD * kH * kW;
  const bias = call.bias === null ? 0 : call.bias[co];
  const oBase = co * g.outD * outH * outW;
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
