/**
 * Shrinking maps for display only: values are never changed for readouts,
 * which always index the full-resolution tensor.
 */

export interface Downsampled {
  readonly width: number;
  readonly height: number;
  /** Source pixels per display pixel along each axis (1 when not shrunk). */
  readonly factor: number;
  readonly data: Float32Array;
}

/** The whole-number factor that fits `width×height` within `maxSide` on its longer side. */
export function displayFactor(width: number, height: number, maxSide: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / Math.max(1, maxSide)));
}

/**
 * How a box of source pixels becomes one display pixel: `peak` keeps the value
 * of largest magnitude (with its sign), so thin strong responses such as edges
 * survive shrinking; `mean` averages.
 */
export type DownsampleMode = 'peak' | 'mean';

/**
 * Shrinks one `height×width` map starting at `offset` by `factor` along both
 * axes; partial boxes at the edges use what they cover. Writes into `into`
 * when it is large enough (the result's `data` is then `into`, possibly longer
 * than the map).
 */
export function downsample2d(
  values: ArrayLike<number>,
  offset: number,
  width: number,
  height: number,
  factor: number,
  mode: DownsampleMode = 'peak',
  into?: Float32Array,
): Downsampled {
  const f = Math.max(1, Math.floor(factor));
  const outW = Math.ceil(width / f);
  const outH = Math.ceil(height / f);
  // A caller drawing many maps passes one buffer (at least outW×outH) for all of them.
  const out = into && into.length >= outW * outH ? into : new Float32Array(outW * outH);
  if (f === 1) {
    for (let i = 0; i < outW * outH; i++) out[i] = values[offset + i];
    return { width, height, factor: 1, data: out };
  }
  for (let oy = 0; oy < outH; oy++) {
    const y0 = oy * f;
    const y1 = Math.min(height, y0 + f);
    for (let ox = 0; ox < outW; ox++) {
      const x0 = ox * f;
      const x1 = Math.min(width, x0 + f);
      let sum = 0;
      let peak = values[offset + y0 * width + x0];
      for (let y = y0; y < y1; y++) {
        const row = offset + y * width;
        for (let x = x0; x < x1; x++) {
          const v = values[row + x];
          sum += v;
          if (Math.abs(v) > Math.abs(peak)) peak = v;
        }
      }
      out[oy * outW + ox] = mode === 'peak' ? peak : sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return { width: outW, height: outH, factor: f, data: out };
}

/**
 * A 1D signal reduced to at most `buckets` [min, max] pairs, so a line plot
 * keeps its peaks however long the signal is.
 */
export function envelope(values: ArrayLike<number>, offset: number, length: number, buckets: number): { readonly min: Float32Array; readonly max: Float32Array } {
  const n = Math.max(1, Math.min(length, Math.floor(buckets)));
  const min = new Float32Array(n);
  const max = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const start = Math.floor((b * length) / n);
    const end = Math.max(start + 1, Math.floor(((b + 1) * length) / n));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = start; i < end && i < length; i++) {
      const v = values[offset + i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[b] = lo;
    max[b] = hi;
  }
  return { min, max };
}
