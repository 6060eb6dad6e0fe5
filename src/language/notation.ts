/** How shapes and counts are written everywhere ConvLens shows them. */
import type { Shape } from './types';

/**
 * How shapes are written (`convlens.shapeNotation`): `64×56×56` or `64x56x56`.
 * The one definition: the LSP settings and the webview messages carry this type.
 */
export type ShapeNotation = '×' | 'x';

/** `64×56×56`; `?` for an unknown shape. */
export function formatShape(shape: Shape, notation: ShapeNotation = '×'): string {
  if (shape === null) return '?';
  return shape.join(notation);
}

/** `1,792`: thousands separators, independent of the host's locale. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return sign + out;
}

/** `25.6M`, `4.09G`: compact magnitudes for inlay hints and tables. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}K`;
  return String(n);
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
