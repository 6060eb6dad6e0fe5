/**
 * Synthetic inputs, made at the model's input shape (C×L, C×H×W or C×D×H×W)
 * with values in [0, 1]: they work for signals and volumes as well as images.
 */
import { Random } from '../src/core/prng';
import type { PatternName } from '../src/protocol/webview';

export const PATTERNS: readonly { readonly name: PatternName; readonly label: string }[] = [
  { name: 'checkerboard', label: 'Checkerboard' },
  { name: 'stripes', label: 'Stripes' },
  { name: 'gradient', label: 'Gradient' },
  { name: 'circle', label: 'Disc' },
  { name: 'impulse', label: 'Impulse' },
  { name: 'chirp', label: 'Chirp' },
  { name: 'noise', label: 'Noise (seeded)' },
];

/** Value at spatial coordinates `u` (each in [0, 1)), for every channel but noise. */
function sample(pattern: PatternName, u: readonly number[], index: readonly number[], size: readonly number[]): number {
  const last = u.length - 1;
  switch (pattern) {
    case 'checkerboard':
      return u.reduce((parity, v) => parity + Math.floor(v * 8), 0) % 2;
    case 'stripes':
      return 0.5 + 0.5 * Math.sin(2 * Math.PI * 6 * u[last]);
    case 'gradient':
      return u.reduce((a, b) => a + b, 0) / u.length;
    case 'circle': {
      const r2 = u.reduce((a, v) => a + (v - 0.5) ** 2, 0);
      return r2 <= 0.09 ? 1 : 0;
    }
    case 'impulse':
      return index.every((i, axis) => i === Math.floor(size[axis] / 2)) ? 1 : 0;
    case 'chirp': {
      // 1D: a sweep from 2 to 42 cycles; images and volumes: a gentler radial sweep that small maps can still resolve.
      if (u.length === 1) return 0.5 + 0.5 * Math.sin(2 * Math.PI * (2 + 40 * u[0]) * u[0]);
      const r = Math.sqrt(u.reduce((a, v) => a + (v - 0.5) ** 2, 0)) * 2;
      return 0.5 + 0.5 * Math.cos(2 * Math.PI * (1 + 4 * r) * r);
    }
    case 'noise':
      return 0;
  }
}

/** Seeded uniform numbers in [0, 1) (the core's generator), so noise is the same on every run. */
export function seededRandom(seed: number): () => number {
  const generator = new Random(`pattern/${seed}`);
  return () => generator.next();
}

/** The pattern at `shape` (channels first); every channel gets the same map except for noise. */
export function makePattern(pattern: PatternName, shape: readonly number[], seed = 1): Float32Array {
  const channels = shape[0];
  const size = shape.slice(1);
  const plane = size.reduce((a, b) => a * b, 1);
  const out = new Float32Array(channels * plane);
  if (pattern === 'noise') {
    const random = seededRandom(seed);
    for (let i = 0; i < out.length; i++) out[i] = random();
    return out;
  }
  const index = size.map(() => 0);
  for (let p = 0; p < plane; p++) {
    let rest = p;
    for (let axis = size.length - 1; axis >= 0; axis--) {
      index[axis] = rest % size[axis];
      rest = Math.floor(rest / size[axis]);
    }
    const u = index.map((i, axis) => (i + 0.5) / size[axis]);
    out[p] = sample(pattern, u, index, size);
  }
  for (let c = 1; c < channels; c++) out.copyWithin(c * plane, 0, plane);
  return out;
}
