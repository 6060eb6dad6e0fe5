// The reference the conv tests compare against: a direct loop with no tricks.

/** Naive reference: out[co, o] = b + Σ w·x over taps inside the input; sizes from the padded formula. */
export function naiveConv2d(
  x: { shape: readonly number[]; data: Float32Array },
  w: { shape: readonly number[]; data: Float32Array },
  b: Float32Array | null,
  o: { stride: number | readonly [number, number]; pad: [number, number, number, number]; dilation: number | readonly [number, number]; groups: number },
) {
  const [cIn, H, W] = x.shape;
  const [cOut, cInG, kH, kW] = w.shape;
  const [pt, pb, pl, pr] = o.pad;
  const [sH, sW] = typeof o.stride === 'number' ? [o.stride, o.stride] : o.stride;
  const [dH, dW] = typeof o.dilation === 'number' ? [o.dilation, o.dilation] : o.dilation;
  const oH = Math.floor((H + pt + pb - dH * (kH - 1) - 1) / sH) + 1;
  const oW = Math.floor((W + pl + pr - dW * (kW - 1) - 1) / sW) + 1;
  const out = new Float32Array(cOut * oH * oW);
  const cOutG = cOut / o.groups;
  for (let co = 0; co < cOut; co++) {
    const grp = Math.floor(co / cOutG);
    for (let y = 0; y < oH; y++) {
      for (let xx = 0; xx < oW; xx++) {
        let acc = b ? b[co] : 0;
        for (let c = 0; c < cInG; c++) {
          for (let i = 0; i < kH; i++) {
            for (let j = 0; j < kW; j++) {
              const iy = y * sH - pt + i * dH;
              const ix = xx * sW - pl + j * dW;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              acc += w.data[((co * cInG + c) * kH + i) * kW + j] * x.data[((grp * cInG + c) * H + iy) * W + ix];
            }
          }
        }
        out[(co * oH + y) * oW + xx] = acc;
      }
    }
  }
  return { shape: [cOut, oH, oW], data: out };
}
