/**
 * One conv call as every conv kernel reads it: the tensors' data, the window
 * lifted to three axes (`Geometry3`) and the channel split. The kernels take
 * this record instead of eight or more positional numbers.
 */
import type { Geometry3 } from '../window';

/** What decides which kernel runs: the window and the channels, no data. */
export interface ConvShape {
  readonly g: Geometry3;
  readonly cIn: number;
  readonly cOut: number;
  readonly groups: number;
  /** Input channels per group. */
  readonly cInG: number;
  /** Output channels per group (for a depthwise conv, the channel multiplier). */
  readonly cOutG: number;
}

export interface ConvCall extends ConvShape {
  readonly x: Float32Array;
  /** [C_out, C_in/groups, k…] for a conv; [C_in, C_out/groups, k…] for a transposed conv. */
  readonly w: Float32Array;
  readonly bias: Float32Array | null;
  /** Written by the kernel: C_out × the output positions. */
  readonly out: Float32Array;
}

/** Scratch reused across calls (one worker runs one kernel at a time): grows to the largest layer seen, and is kept. */
export function scratch(current: Float32Array, size: number): Float32Array {
  return current.length >= size ? current : new Float32Array(size);
}

export function scratch64(current: Float64Array, size: number): Float64Array {
  return current.length >= size ? current : new Float64Array(size);
}
