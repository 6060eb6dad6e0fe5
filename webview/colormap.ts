/**
 * Colormaps as 256-entry RGB lookup tables, and the mapping from values to
 * RGBA pixels. Pure: no DOM, so the tests run in Node.
 */

import type { ColormapChoice } from '../src/protocol/webview';

export type ColormapName = 'viridis' | 'diverging' | 'gray';

/** The colormap control's entries, in menu order. */
export const COLORMAP_CHOICES: readonly { readonly value: ColormapChoice; readonly label: string }[] = [
  { value: 'auto', label: 'Colours: auto' },
  { value: 'viridis', label: 'Colours: viridis' },
  { value: 'gray', label: 'Colours: grey' },
  { value: 'diverging', label: 'Colours: diverging' },
];

/** Whether a saved value is one of the choices (state from an older version may hold anything). */
export function isColormapChoice(value: unknown): value is ColormapChoice {
  return COLORMAP_CHOICES.some((c) => c.value === value);
}

/**
 * The palette a map is drawn in: the user's choice, or under `auto` the one
 * its range suggests (viridis for non-negative values, diverging for signed
 * ones). Only the palette changes: the range, and so which value each
 * colour stands for, stays the map's own.
 */
export function paletteFor(suggested: ColormapName, choice: ColormapChoice): ColormapName {
  return choice === 'auto' ? suggested : choice;
}

/** A palette's name as the legend says it. */
export function paletteLabel(name: ColormapName): string {
  return name === 'gray' ? 'grey' : name;
}

/** Stops of viridis (matplotlib's perceptually uniform map), evenly spaced from 0 to 1. */
const VIRIDIS_STOPS: readonly (readonly [number, number, number])[] = [
  [0x44, 0x01, 0x54],
  [0x48, 0x28, 0x78],
  [0x3e, 0x49, 0x89],
  [0x31, 0x68, 0x8e],
  [0x26, 0x82, 0x8e],
  [0x1f, 0x9e, 0x89],
  [0x35, 0xb7, 0x79],
  [0x6d, 0xcd, 0x59],
  [0xb4, 0xde, 0x2c],
  [0xfd, 0xe7, 0x25],
];

/** Blue through near-white to red: negative, zero and positive values. */
const DIVERGING_STOPS: readonly (readonly [number, number, number])[] = [
  [0x3b, 0x4c, 0xc0],
  [0x8d, 0xb0, 0xfe],
  [0xdd, 0xdd, 0xdd],
  [0xf4, 0x9a, 0x7b],
  [0xb4, 0x04, 0x26],
];

const GRAY_STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [255, 255, 255],
];

function buildTable(stops: readonly (readonly [number, number, number])[]): Uint8Array {
  const table = new Uint8Array(256 * 3);
  const segments = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segments;
    const k = Math.min(Math.floor(t), segments - 1);
    const f = t - k;
    for (let c = 0; c < 3; c++) table[i * 3 + c] = Math.round(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f);
  }
  return table;
}

const tables: Record<ColormapName, Uint8Array> = {
  viridis: buildTable(VIRIDIS_STOPS),
  diverging: buildTable(DIVERGING_STOPS),
  gray: buildTable(GRAY_STOPS),
};

/** The map's 256×3 lookup table (shared; do not modify). */
export function colormapTable(name: ColormapName): Uint8Array {
  return tables[name];
}

/** The colour at t ∈ [0, 1] (clamped; NaN maps to 0). */
export function colorAt(name: ColormapName, t: number): [number, number, number] {
  const i = lutIndex(t);
  const table = tables[name];
  return [table[i * 3], table[i * 3 + 1], table[i * 3 + 2]];
}

function lutIndex(t: number): number {
  if (!(t > 0)) return 0;
  if (t >= 1) return 255;
  return Math.round(t * 255);
}

/** The value range a map is drawn over. `lo` maps to the colormap's start, `hi` to its end. */
export interface ValueRange {
  readonly lo: number;
  readonly hi: number;
  readonly colormap: ColormapName;
}

/**
 * Writes `count` values starting at `offset` as RGBA pixels into `out`
 * (from pixel 0). A flat range (`hi == lo`) paints the middle of the map.
 */
export function colorize(values: ArrayLike<number>, offset: number, count: number, range: ValueRange, out: Uint8ClampedArray): void {
  const table = tables[range.colormap];
  const span = range.hi - range.lo;
  const scale = span > 0 ? 255 / span : 0;
  const flat = span > 0 ? -1 : 128;
  for (let i = 0; i < count; i++) {
    const v = values[offset + i];
    let index: number;
    if (flat >= 0) index = flat;
    else {
      index = Math.round((v - range.lo) * scale);
      if (!(index > 0)) index = 0;
      else if (index > 255) index = 255;
    }
    const o = i * 4;
    out[o] = table[index * 3];
    out[o + 1] = table[index * 3 + 1];
    out[o + 2] = table[index * 3 + 2];
    out[o + 3] = 255;
  }
}

/**
 * Writes `count` values from `offset` as colormap indices (0–255, as
 * `colorize` picks them) into `out` from `outOffset`: a map made in the
 * worker, coloured in the page by `colorizeIndices`.
 */
export function colorIndices(values: ArrayLike<number>, offset: number, count: number, range: ValueRange, out: Uint8Array, outOffset: number): void {
  const span = range.hi - range.lo;
  if (!(span > 0)) {
    out.fill(128, outOffset, outOffset + count);
    return;
  }
  const scale = 255 / span;
  for (let i = 0; i < count; i++) {
    let index = Math.round((values[offset + i] - range.lo) * scale);
    if (!(index > 0)) index = 0;
    else if (index > 255) index = 255;
    out[outOffset + i] = index;
  }
}

/** RGBA pixels (from pixel 0 of `out`) for `count` colormap indices from `offset`. */
export function colorizeIndices(indices: Uint8Array, offset: number, count: number, colormap: ColormapName, out: Uint8ClampedArray): void {
  const table = tables[colormap];
  for (let i = 0; i < count; i++) {
    const t = indices[offset + i] * 3;
    const o = i * 4;
    out[o] = table[t];
    out[o + 1] = table[t + 1];
    out[o + 2] = table[t + 2];
    out[o + 3] = 255;
  }
}
