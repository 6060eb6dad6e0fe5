/** Cutting channel ranges out of output tensors for the UI. Pure. */
import type { TensorSlice } from '../src/protocol/webview';
import { minMax, type MinMax } from './normalise';

/** Channels [from, to) of a C×… tensor (a rank-1 tensor is one channel: all of it). */
export function sliceChannels(shape: readonly number[], data: Float32Array, from: number, to: number, stats: MinMax = minMax(data)): TensorSlice {
  if (shape.length <= 1) return { shape: [...shape], from: 0, to: 1, data: data.slice(), min: stats.min, max: stats.max };
  const plane = data.length / Math.max(1, shape[0]);
  const lo = Math.max(0, Math.min(from, shape[0]));
  const hi = Math.max(lo, Math.min(to, shape[0]));
  return { shape: [...shape], from: lo, to: hi, data: data.slice(lo * plane, hi * plane), min: stats.min, max: stats.max };
}

/** Channel count as the UI sees it (1 for vectors). */
export function channelCount(shape: readonly number[]): number {
  return shape.length <= 1 ? 1 : shape[0];
}
