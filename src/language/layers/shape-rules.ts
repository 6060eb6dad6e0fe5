/** Small pieces the shape rules of several kinds share. */
import { windowGeometry, type PaddingSpec, type WindowGeometry, type WindowOptions } from '../../core/geometry';
import { messages } from '../messages';
import type { Value } from '../types';
import type { KnownShape, LayerContext, LayerResult } from './layer-spec';

// Shared results: rules return these rather than allocating the same objects per layer.
export const NO_FIELD = { kind: 'none' } as const;
export const SAME_FIELD = { kind: 'same' } as const;
/** An output made unknown by an error (already reported). */
export const UNKNOWN: LayerResult = { output: null, params: 0, macs: 0, field: NO_FIELD };

/** The rule of every kind that keeps its input's shape and has no parameters. */
export const pointwise = (ctx: LayerContext): LayerResult => ({ output: ctx.input, params: 0, macs: 0, field: SAME_FIELD });

const AXES: Record<number, readonly string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

/** Axis letters for a shape with `spatial` spatial axes. */
export function axisNames(spatial: number): readonly string[] {
  return AXES[spatial] ?? Array.from({ length: spatial }, (_, i) => `axis ${i + 1}`);
}

/** Expands a `sizes` value to one entry per spatial axis, or null (after reporting). */
export function perAxis(ctx: LayerContext, name: string, spatial: number): number[] | null {
  const value = ctx.args[name];
  if (typeof value === 'number') return Array(spatial).fill(value);
  if (Array.isArray(value) && value.length === spatial) return value as number[];
  if (Array.isArray(value)) {
    ctx.report('invalid-argument', messages.invalidArgument(ctx.kind, name, `one size or ${spatial} (one per axis ${axisNames(spatial).join('×')}), not ${value.length}`), name);
  }
  return null;
}

/** Normalises a `padding` value to the geometry's form, or null (after reporting). */
export function paddingSpec(ctx: LayerContext, spatial: number, name = 'padding'): PaddingSpec | null {
  const value = ctx.args[name] ?? 0;
  if (value === 'same' || value === 'valid') return value;
  // Every axis can share one readonly pair.
  if (typeof value === 'number') return new Array<readonly [number, number]>(spatial).fill([value, value]);
  if (Array.isArray(value)) {
    const xs = value as number[];
    if (xs.length === spatial) return xs.map((p) => [p, p] as const);
    if (xs.length === 2 * spatial) return Array.from({ length: spatial }, (_, i) => [xs[2 * i], xs[2 * i + 1]] as const);
  }
  const n = Array.isArray(value) ? value.length : 0;
  ctx.report(
    'invalid-argument',
    messages.invalidArgument(ctx.kind, name, `one number, ${spatial} (per axis), ${2 * spatial} (per side, before/after for ${axisNames(spatial).join(', ')}), \`same\` or \`valid\`, not ${n} values`),
    name,
  );
  return null;
}

/**
 * Builds the window geometry and reports the ways it can go wrong: a window
 * wider than the padded input, an empty output, or rows the stride skips.
 */
export function checkedWindow(ctx: LayerContext, request: WindowOptions): WindowGeometry | null {
  const geometry = windowGeometry(request);
  let ok = true;
  for (let i = 0; i < geometry.axes.length && ok; i++) {
    const a = geometry.axes[i];
    const padded = a.inSize + a.padBefore + a.padAfter;
    if (!request.transposed && a.effectiveKernel > padded) {
      ctx.report('kernel-exceeds-input', messages.kernelExceedsInput(ctx.kind, axisNames(request.inSize.length)[i], a.effectiveKernel, padded), 'k');
      ok = false;
    } else if (a.outSize <= 0) {
      ctx.report('empty-output', messages.emptyOutput(ctx.kind, axisNames(request.inSize.length)[i], a.outSize), request.transposed ? 'padding' : 'k');
      ok = false;
    }
  }
  if (!ok) return null;
  for (let i = 0; i < geometry.axes.length; i++) {
    const a = geometry.axes[i];
    // With k < s every window already skips samples by design (a strided 1×1 conv subsamples);
    // the warning is for windows that tile the input but leave its end unseen.
    if (a.droppedInput > 0 && a.stride > 1 && a.effectiveKernel >= a.stride) {
      ctx.report('stride-drops-input', messages.strideDropsInput(ctx.kind, axisNames(request.inSize.length)[i], a.droppedInput, a.inSize), 'stride');
      break;
    }
  }
  return geometry;
}

/** `[c, ...sizes]` without the spread. */
export function withChannels(c: number, sizes: readonly number[]): number[] {
  const shape = new Array<number>(sizes.length + 1);
  shape[0] = c;
  for (let i = 0; i < sizes.length; i++) shape[i + 1] = sizes[i];
  return shape;
}

export function spatialRankLabel(rank: number): string {
  return rank === 2 ? '1D (C×L)' : rank === 3 ? '2D (C×H×W)' : rank === 4 ? '3D (C×D×H×W)' : `rank-${rank}`;
}

/** Checks the optional declared input size (`in=`) against the actual one. */
export function checkDeclaredChannels(ctx: LayerContext, actual: number, arg = 'in'): boolean {
  const declared = ctx.args[arg];
  if (typeof declared === 'number' && declared !== actual) {
    ctx.report('channel-mismatch', messages.channelMismatch(ctx.kind, declared, actual, ctx.input), arg);
    return false;
  }
  return true;
}

/** NumPy-style broadcasting of shapes aligned at the right; null when incompatible. */
export function broadcastShapes(shapes: readonly KnownShape[]): number[] | null {
  // A loop, not `Math.max(...)`: a spread of a few hundred thousand values overflows the stack.
  const rank = shapes.reduce((r, s) => Math.max(r, s.length), 0);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let size = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1) continue;
      if (size !== 1 && size !== d) return null;
      size = d;
    }
    out.push(size);
  }
  return out;
}

/** The dimensions of a rectangular nested list of numbers, or null. */
export function literalDims(v: Value): number[] | null {
  if (typeof v === 'number') return [];
  if (!Array.isArray(v) || v.length === 0) return null;
  const inner = literalDims(v[0] as Value);
  if (inner === null) return null;
  for (let i = 1; i < v.length; i++) {
    const d = literalDims(v[i] as Value);
    if (d === null || d.length !== inner.length || d.some((x, j) => x !== inner[j])) return null;
  }
  return [v.length, ...inner];
}
