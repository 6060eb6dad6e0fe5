/**
 * Which value range each channel is drawn over. Non-negative maps use viridis
 * from 0 to their maximum; maps with negative values use the diverging map,
 * symmetric about zero so that white means zero.
 */
import type { ValueRange } from './colormap';
import type { MapNormalisation } from '../src/protocol/webview';

export interface MinMax {
  readonly min: number;
  readonly max: number;
}

/** Min and max of `count` values from `offset`, skipping NaN; {0, 0} when none are finite. */
export function minMax(values: ArrayLike<number>, offset = 0, count = values.length - offset): MinMax {
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < offset + count; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 0 };
  return { min: Number.isFinite(min) ? min : -Number.MAX_VALUE, max: Number.isFinite(max) ? max : Number.MAX_VALUE };
}

/** The range for values spanning `stats`: viridis over [0, max] when non-negative, else diverging over [−m, m]. */
export function rangeFor(stats: MinMax): ValueRange {
  if (stats.min >= 0) return { lo: 0, hi: stats.max, colormap: 'viridis' };
  const m = Math.max(Math.abs(stats.min), Math.abs(stats.max));
  return { lo: -m, hi: m, colormap: 'diverging' };
}

/**
 * One range per channel of a C×… slice. `channel` normalises each channel by
 * its own values; `layer` draws every channel over the layer's range, so
 * channels can be compared. The colormap is the layer's either way, so one
 * legend describes the whole grid.
 */
export function channelRanges(
  data: ArrayLike<number>,
  channels: number,
  channelSize: number,
  layerStats: MinMax,
  mode: MapNormalisation,
): ValueRange[] {
  const layerRange = rangeFor(layerStats);
  if (mode === 'layer') return Array.from({ length: channels }, () => layerRange);
  const ranges: ValueRange[] = [];
  for (let c = 0; c < channels; c++) ranges.push(ownRange(data, c * channelSize, channelSize, layerRange));
  return ranges;
}

/** One channel's own range (`count` values from `offset`), in the layer's colormap: what `channelRanges` gives per channel. */
export function ownRange(data: ArrayLike<number>, offset: number, count: number, layerRange: ValueRange): ValueRange {
  const s = robustMinMax(data, offset, count);
  if (layerRange.colormap === 'viridis') return { lo: Math.max(0, s.min), hi: s.max, colormap: 'viridis' };
  const m = Math.max(Math.abs(s.min), Math.abs(s.max));
  return { lo: -m, hi: m, colormap: 'diverging' };
}

/** Fraction of a channel's values that per-channel scaling lets saturate at each end. */
export const CLIP_FRACTION = 0.005;
const SAMPLE_LIMIT = 4096;

/**
 * Min and max after dropping the most extreme CLIP_FRACTION at each end,
 * estimated from an evenly strided sample. A few strong responses (the
 * brightest edge in an edge map) would otherwise leave the rest of the map
 * near one colour. Small maps use their exact extremes.
 */
export function robustMinMax(values: ArrayLike<number>, offset = 0, count = values.length - offset): MinMax {
  if (count < 1 / CLIP_FRACTION) return minMax(values, offset, count);
  const stride = Math.max(1, Math.floor(count / SAMPLE_LIMIT));
  // One buffer for every call (no garbage per channel), and two selections instead of a sort.
  const needed = Math.ceil(count / stride);
  if (sampleBuffer.length < needed) sampleBuffer = new Float64Array(Math.max(needed, SAMPLE_LIMIT + 1));
  const taken = sampleBuffer;
  let n = 0;
  for (let i = 0; i < count; i += stride) {
    const v = values[offset + i];
    if (!Number.isNaN(v)) taken[n++] = v;
  }
  if (n === 0) return { min: 0, max: 0 };
  const k = Math.floor(n * CLIP_FRACTION);
  const min = selectKth(taken, 0, n, k);
  // After selecting k, everything from k on is ≥ it: the high end is selected in that part.
  const max = selectKth(taken, k, n, n - 1 - k);
  return { min, max };
}

let sampleBuffer = new Float64Array(SAMPLE_LIMIT + 1);

/**
 * The k-th smallest of `a[from..to)` (k counted from 0 over the whole array,
 * from ≤ k < to), partially reordering that part in place so that
 * a[from..k) ≤ a[k] ≤ a(k..to). No NaN. Hoare's selection, median-of-three pivot.
 */
export function selectKth(a: Float64Array, from: number, to: number, k: number): number {
  let lo = from;
  let hi = to - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three into a[mid], with a[lo] ≤ a[mid] ≤ a[hi].
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Tick labels for a legend: the range's ends and middle, compactly. */
export function legendTicks(range: ValueRange): [string, string, string] {
  return [formatValue(range.lo), formatValue((range.lo + range.hi) / 2), formatValue(range.hi)];
}

/** A value for a readout: 4 significant digits, exponent form outside [1e-3, 1e5). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 1e5 || a < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
  return s.replace(/^-/, '−');
}
