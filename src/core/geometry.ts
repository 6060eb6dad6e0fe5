/**
 * Sliding-window geometry: the one place where output sizes are computed.
 *
 * Shape inference (src/language) and every windowed kernel (conv, pooling,
 * transposed conv) read the record built here, so the two can never disagree.
 *
 * For one spatial axis with input size N, kernel k, stride s, dilation d and
 * padding p_before + p_after, the window spans d(k−1)+1 samples and
 *
 *   N_out = ⌊(N + p_before + p_after − d(k−1) − 1) / s⌋ + 1
 *
 * which is the textbook ⌊(N + 2p − d(k−1) − 1)/s⌋ + 1 with symmetric padding.
 * With ceil mode (pooling only) the floor becomes a ceiling, and PyTorch then
 * drops a last window that would start in the right padding.
 * A transposed conv inverts the relation:
 *
 *   N_out = (N − 1)·s − p_before − p_after + d(k−1) + output_padding + 1
 */

/** Padding for one layer: `same`, `valid`, or explicit [before, after] per axis. */
export type PaddingSpec = 'same' | 'valid' | ReadonlyArray<readonly [number, number]>;

export interface WindowOptions {
  /** Spatial input sizes, one per axis (L; H, W; or D, H, W). */
  readonly inSize: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padding: PaddingSpec;
  /** Pooling's ceil mode: round the output size up instead of down. */
  readonly ceilMode?: boolean;
  /** Present for a transposed conv; holds its output padding per axis. */
  readonly transposed?: { readonly outputPadding: readonly number[] };
}

/** Geometry of one axis, as every consumer needs it. */
export interface AxisGeometry {
  readonly inSize: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  /** Span of the dilated kernel: d(k−1)+1. */
  readonly effectiveKernel: number;
  readonly padBefore: number;
  readonly padAfter: number;
  readonly outputPadding: number;
  /** May be ≤ 0 when the window does not fit; callers report that. */
  readonly outSize: number;
  /**
   * Input samples (not padding) past the last window that no output sees:
   * a stride that silently drops rows or columns. Always 0 for transposed conv.
   */
  readonly droppedInput: number;
}

export interface WindowGeometry {
  readonly axes: readonly AxisGeometry[];
  readonly outSize: readonly number[];
}

/** Builds the geometry for every axis. Never throws; validates nothing. */
export function windowGeometry(options: WindowOptions): WindowGeometry {
  const axes = options.inSize.map((_, axis) => axisGeometry(options, axis));
  return { axes, outSize: axes.map((a) => a.outSize) };
}

function axisGeometry(options: WindowOptions, axis: number): AxisGeometry {
  const inSize = options.inSize[axis];
  const kernel = options.kernel[axis];
  const stride = options.stride[axis];
  const dilation = options.dilation[axis];
  const effectiveKernel = dilation * (kernel - 1) + 1;
  const outputPadding = options.transposed?.outputPadding[axis] ?? 0;

  let padBefore: number;
  let padAfter: number;
  if (options.padding === 'valid') {
    padBefore = 0;
    padAfter = 0;
  } else if (options.padding === 'same') {
    // TensorFlow's rule, which equals PyTorch's padding='same' at stride 1:
    // output = ⌈N/s⌉, any odd padding goes after.
    const target = Math.ceil(inSize / stride);
    const total = Math.max((target - 1) * stride + effectiveKernel - inSize, 0);
    padBefore = Math.floor(total / 2);
    padAfter = total - padBefore;
  } else {
    [padBefore, padAfter] = options.padding[axis];
  }

  if (options.transposed) {
    const outSize = (inSize - 1) * stride - padBefore - padAfter + effectiveKernel + outputPadding;
    return { inSize, kernel, stride, dilation, effectiveKernel, padBefore, padAfter, outputPadding, outSize, droppedInput: 0 };
  }

  // span < 0 means the window is larger than the padded input: no output at all.
  const span = inSize + padBefore + padAfter - effectiveKernel;
  let outSize = span < 0 ? 0 : options.ceilMode ? Math.ceil(span / stride) + 1 : Math.floor(span / stride) + 1;
  // PyTorch: in ceil mode the last window must start inside the input or the left padding.
  if (options.ceilMode && outSize > 1 && (outSize - 1) * stride >= inSize + padBefore) outSize -= 1;

  const covered = (outSize - 1) * stride + effectiveKernel;
  const uncovered = inSize + padBefore + padAfter - covered;
  const droppedInput = outSize > 0 ? Math.max(0, uncovered - padAfter) : 0;
  return { inSize, kernel, stride, dilation, effectiveKernel, padBefore, padAfter, outputPadding, outSize, droppedInput };
}

/** Receptive field and jump (cumulative stride) of a unit, per axis, relative to the model input. */
export interface FieldOfView {
  readonly receptiveField: readonly number[];
  readonly jump: readonly number[];
}

/**
 * How a window layer grows the receptive field: r_out = r_in + (k_eff − 1)·j_in,
 * j_out = j_in·s. A transposed conv divides the jump instead (it may become fractional).
 */
export function growFieldOfView(input: FieldOfView, geometry: WindowGeometry, transposed = false): FieldOfView {
  // A 1×1 window keeps the field and a stride of 1 the jump. Shape inference keeps a field per
  // layer, so those reuse the input's (readonly) arrays rather than copy them.
  const n = geometry.axes.length;
  let sameField = input.receptiveField.length === n;
  let sameJump = input.jump.length === n;
  for (const a of geometry.axes) {
    if (a.effectiveKernel !== 1) sameField = false;
    if (a.stride !== 1) sameJump = false;
  }
  if (sameField && sameJump) return input;
  return {
    receptiveField: sameField ? input.receptiveField : geometry.axes.map((a, i) => input.receptiveField[i] + (a.effectiveKernel - 1) * input.jump[i]),
    jump: sameJump ? input.jump : geometry.axes.map((a, i) => (transposed ? input.jump[i] / a.stride : input.jump[i] * a.stride)),
  };
}
