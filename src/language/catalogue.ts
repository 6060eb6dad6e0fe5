/**
 * The layer catalogue: one entry per layer kind, holding its arguments (types,
 * defaults, docs), its shape rule, its parameter count and its cost. Shape
 * inference, hover, completion and signature help all read these entries, and
 * the model runner reads the resolved arguments they define.
 *
 * Parameter counts follow `sum(p.numel() for p in model.parameters())`: running
 * statistics are buffers, not parameters. MACs count one multiply-add per weight
 * use in conv and linear layers, without bias: the convention behind
 * torchvision's published GFLOPS.
 */
import { windowGeometry, type PaddingSpec, type WindowGeometry, type WindowOptions } from '../core/geometry';
import { NAMED_KERNELS, NAMED_KERNEL_SIZE, isNamedKernel } from '../core/named-kernels';
import { messages, type DiagnosticCode } from './messages';
import type { Value } from './types';

export type ArgType =
  /** A whole number. */
  | 'int'
  /** Any number. */
  | 'number'
  | 'bool'
  | 'enum'
  /** One whole number, or one per spatial axis (`3`, `1×7`, `(1, 7)`). */
  | 'sizes'
  /** A number, one per axis, one per side (`(top, bottom, left, right)`), `same` or `valid`. */
  | 'padding'
  /** A named kernel, a literal matrix, or a list of either, one per output channel. */
  | 'kernel-weights'
  /** One whole number, or a list of them. */
  | 'int-list';

export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  readonly doc: string;
  /** Shown in docs and used when the argument is absent. */
  readonly default?: Value;
  readonly required?: boolean;
  /** This argument may be given as the first positional argument. */
  readonly positional?: boolean;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

export type LayerCategory = 'conv' | 'pool' | 'norm' | 'activation' | 'regularization' | 'linear' | 'reshape' | 'merge' | 'resize';

/** A known, non-null shape. */
export type KnownShape = readonly number[];

export interface LayerContext {
  readonly kind: string;
  /** The primary input (the first tensor). */
  readonly input: KnownShape;
  /** All tensor inputs; merges have several. */
  readonly inputs: readonly KnownShape[];
  /** Names the inputs came from, for messages. */
  readonly inputNames: readonly string[];
  /** Arguments after defaults, already type-checked against the spec. */
  readonly args: Readonly<Record<string, Value | undefined>>;
  /** Reports a diagnostic at the named argument (or at the layer when absent or omitted). */
  report(code: DiagnosticCode, message: string, at?: string): void;
}

export interface LayerResult {
  /** One shape, or several for split/chunk; null when an error made it unknown. */
  readonly output: KnownShape | null;
  readonly outputs?: readonly KnownShape[];
  readonly params: number;
  readonly macs: number;
  /** How the receptive field moves: through a window, unchanged, collapsed, or upsampled. */
  readonly field: { readonly kind: 'window'; readonly geometry: WindowGeometry; readonly transposed?: boolean } | { readonly kind: 'same' } | { readonly kind: 'none' } | { readonly kind: 'upsample'; readonly factor: readonly number[] };
}

export interface LayerSpec {
  readonly kind: string;
  readonly category: LayerCategory;
  /** One line, for completion lists. */
  readonly summary: string;
  /** Markdown, for hover: what it does and how its shape and params follow. */
  readonly doc: string;
  /** The PyTorch module it corresponds to. */
  readonly torch: string;
  readonly args: readonly ArgSpec[];
  /** `one`: consumes the current tensor; `many`: takes tensors as positional arguments (merges). */
  readonly inputs: 'one' | 'many';
  /** Required input rank including channels (2 = C×L, 3 = C×H×W, 4 = C×D×H×W), if fixed. */
  readonly rank?: number;
  /** Minimum input rank when variable (conv needs at least C×L). */
  readonly minRank?: number;
  /** The parameter formula, for hover: e.g. `k·k·C_in·C_out + C_out`. */
  readonly paramFormula?: string;
  infer(ctx: LayerContext): LayerResult;
}

// Shared results: rules return these rather than allocating the same objects per layer.
const NO_FIELD = { kind: 'none' } as const;
const SAME_FIELD = { kind: 'same' } as const;
/** An output made unknown by an error (already reported). */
const UNKNOWN: LayerResult = { output: null, params: 0, macs: 0, field: NO_FIELD };

const AXES: Record<number, readonly string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

/** Axis letters for a shape with `spatial` spatial axes. */
export function axisNames(spatial: number): readonly string[] {
  return AXES[spatial] ?? Array.from({ length: spatial }, (_, i) => `axis ${i + 1}`);
}

function prod(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/** Expands a `sizes` value to one entry per spatial axis, or null (after reporting). */
function perAxis(ctx: LayerContext, name: string, spatial: number): number[] | null {
  const value = ctx.args[name];
  if (typeof value === 'number') return Array(spatial).fill(value);
  if (Array.isArray(value) && value.length === spatial) return value as number[];
  if (Array.isArray(value)) {
    ctx.report('invalid-argument', messages.invalidArgument(ctx.kind, name, `one size or ${spatial} (one per axis ${axisNames(spatial).join('×')}), not ${value.length}`), name);
  }
  return null;
}

/** Normalises a `padding` value to the geometry's form, or null (after reporting). */
function paddingSpec(ctx: LayerContext, spatial: number, name = 'padding'): PaddingSpec | null {
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
function checkedWindow(ctx: LayerContext, request: WindowOptions): WindowGeometry | null {
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
function withChannels(c: number, sizes: readonly number[]): number[] {
  const shape = new Array<number>(sizes.length + 1);
  shape[0] = c;
  for (let i = 0; i < sizes.length; i++) shape[i + 1] = sizes[i];
  return shape;
}

function spatialRankLabel(rank: number): string {
  return rank === 2 ? '1D (C×L)' : rank === 3 ? '2D (C×H×W)' : rank === 4 ? '3D (C×D×H×W)' : `rank-${rank}`;
}

export { spatialRankLabel };

/** Checks the optional declared input size (`in=`) against the actual one. */
function checkDeclaredChannels(ctx: LayerContext, actual: number, arg = 'in'): boolean {
  const declared = ctx.args[arg];
  if (typeof declared === 'number' && declared !== actual) {
    ctx.report('channel-mismatch', messages.channelMismatch(ctx.kind, declared, actual, ctx.input), arg);
    return false;
  }
  return true;
}

// ---- argument sets shared by several kinds ----

const BIAS: ArgSpec = { name: 'bias', type: 'bool', default: true, doc: 'Adds a learned bias per output channel (`C_out` parameters).' };
const STRIDE: ArgSpec = { name: 'stride', type: 'sizes', default: 1, min: 1, doc: 'Step between window positions; `2` halves each spatial size.' };
const DILATION: ArgSpec = { name: 'dilation', type: 'sizes', default: 1, min: 1, doc: 'Gap between kernel taps: the window spans `d·(k−1)+1` samples without adding weights.' };
const PADDING: ArgSpec = {
  name: 'padding',
  type: 'padding',
  default: 0,
  doc: 'Zeros added around the input: a number, one per axis, one per side `(top, bottom, left, right)`, `same` (output = ⌈N/stride⌉) or `valid` (none).',
};
const KERNEL: ArgSpec = { name: 'k', type: 'sizes', required: true, min: 1, doc: 'Kernel size: `3`, or one per axis such as `1×7`.' };

function convArgs(withWeights: boolean): ArgSpec[] {
  const args: ArgSpec[] = [
    { name: 'out', type: 'int', required: true, positional: true, min: 1, doc: 'Output channels `C_out`: the number of filters.' },
    KERNEL,
    STRIDE,
    PADDING,
    DILATION,
    { name: 'groups', type: 'int', default: 1, min: 1, doc: 'Splits channels into groups convolved separately; `groups = C_in` is depthwise.' },
    BIAS,
    { name: 'in', type: 'int', min: 1, doc: 'Declared input channels, checked against the actual input.' },
  ];
  if (withWeights) {
    args.push({
      name: 'weights',
      type: 'kernel-weights',
      doc: 'Hand-set kernels: a name (`sobel_x`, `prewitt_y`, `laplacian`, `gaussian`, `box`, `sharpen`, `identity`), a literal matrix, or a list of them, one per output channel.',
    });
  }
  return args;
}

/** Checks hand-set weights against the kernel size and channel count. */
function checkWeights(ctx: LayerContext, kernel: readonly number[], out: number): boolean {
  const weights = ctx.args.weights;
  if (weights === undefined) return true;
  const perFilter = Array.isArray(weights) && weights.length > 0 && !isMatrixOfNumbers(weights, kernel.length) ? (weights as Value[]) : [weights];
  if (perFilter.length !== 1 && perFilter.length !== out) {
    ctx.report('invalid-weights', messages.invalidWeights(`list ${perFilter.length} kernels for ${out} output channels`), 'weights');
    return false;
  }
  for (const w of perFilter) {
    if (typeof w === 'string') {
      if (!isNamedKernel(w)) {
        ctx.report('invalid-weights', messages.invalidWeights(`name \`${w}\` is not a known kernel (${Object.keys(NAMED_KERNELS).join(', ')})`), 'weights');
        return false;
      }
      if (kernel.length !== 2 || kernel[0] !== NAMED_KERNEL_SIZE || kernel[1] !== NAMED_KERNEL_SIZE) {
        ctx.report('invalid-weights', messages.invalidWeights(`\`${w}\` is 3×3, but the kernel is ${kernel.join('×')}`), 'weights');
        return false;
      }
      continue;
    }
    const dims = literalDims(w);
    if (dims === null || dims.length !== kernel.length || dims.some((d, i) => d !== kernel[i])) {
      ctx.report('invalid-weights', messages.invalidWeights(`must be a ${kernel.join('×')} matrix of numbers to match k`), 'weights');
      return false;
    }
  }
  return true;
}

function isMatrixOfNumbers(v: Value, rank: number): boolean {
  const dims = literalDims(v);
  return dims !== null && dims.length === rank;
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

function convInfer(transposed: boolean) {
  return (ctx: LayerContext): LayerResult => {
    const cIn = ctx.input[0];
    const spatialIn = ctx.input.slice(1);
    const nd = spatialIn.length;
    const out = ctx.args.out as number;
    const groups = ctx.args.groups as number;
    const kernel = perAxis(ctx, 'k', nd);
    const stride = perAxis(ctx, 'stride', nd);
    const dilation = perAxis(ctx, 'dilation', nd);
    const outputPadding = transposed ? perAxis(ctx, 'output_padding', nd) : [];
    const padding = paddingSpec(ctx, nd);
    if (!kernel || !stride || !dilation || !padding || !outputPadding) return UNKNOWN;
    if (transposed && (padding === 'same' || padding === 'valid')) {
      if (padding === 'same') {
        ctx.report('invalid-argument', messages.invalidArgument(ctx.kind, 'padding', 'numbers for a transposed conv (PyTorch has no `same` here)'), 'padding');
        return UNKNOWN;
      }
    }
    if (!checkDeclaredChannels(ctx, cIn)) return UNKNOWN;
    if (cIn % groups !== 0) {
      ctx.report('groups-mismatch', messages.groupsMismatch(ctx.kind, groups, 'input channels', cIn), 'groups');
      return UNKNOWN;
    }
    if (out % groups !== 0) {
      ctx.report('groups-mismatch', messages.groupsMismatch(ctx.kind, groups, 'output channels', out), 'groups');
      return UNKNOWN;
    }
    if (transposed) {
      for (let i = 0; i < nd; i++) {
        if (outputPadding[i] >= Math.max(stride[i], dilation[i])) {
          ctx.report('invalid-argument', messages.invalidArgument(ctx.kind, 'output_padding', `smaller than the stride or the dilation (${Math.max(stride[i], dilation[i])})`), 'output_padding');
          return UNKNOWN;
        }
      }
    }
    if (!transposed && !checkWeights(ctx, kernel, out)) return UNKNOWN;
    const geometry = checkedWindow(ctx, {
      inSize: spatialIn,
      kernel,
      stride,
      dilation,
      padding,
      transposed: transposed ? { outputPadding } : undefined,
    });
    if (!geometry) return UNKNOWN;
    const taps = prod(kernel);
    const bias = ctx.args.bias ? out : 0;
    const output = withChannels(out, geometry.outSize);
    const params = transposed ? cIn * (out / groups) * taps + bias : out * (cIn / groups) * taps + bias;
    const macs = transposed ? prod(ctx.input) * (out / groups) * taps : prod(output) * (cIn / groups) * taps;
    return { output, params, macs, field: { kind: 'window', geometry, transposed } };
  };
}

function poolInfer(options: { readonly max: boolean }) {
  return (ctx: LayerContext): LayerResult => {
    const c = ctx.input[0];
    const spatialIn = ctx.input.slice(1);
    const nd = spatialIn.length;
    const kernel = perAxis(ctx, 'k', nd);
    const stride = ctx.args.stride === undefined ? kernel : perAxis(ctx, 'stride', nd);
    const dilation = options.max ? perAxis(ctx, 'dilation', nd) : Array(nd).fill(1);
    const padding = paddingSpec(ctx, nd);
    if (!kernel || !stride || !dilation || !padding) return UNKNOWN;
    if (padding === 'same') {
      ctx.report('invalid-argument', messages.invalidArgument(ctx.kind, 'padding', 'numbers for pooling (PyTorch has no `same` here)'), 'padding');
      return UNKNOWN;
    }
    if (padding !== 'valid') {
      for (let i = 0; i < nd; i++) {
        const half = Math.floor((dilation[i] * (kernel[i] - 1) + 1) / 2);
        if (padding[i][0] > half || padding[i][1] > half) {
          ctx.report('invalid-argument', messages.invalidArgument(ctx.kind, 'padding', `at most half the kernel (${half}), as PyTorch requires`), 'padding');
          return UNKNOWN;
        }
      }
    }
    const geometry = checkedWindow(ctx, { inSize: spatialIn, kernel, stride, dilation, padding, ceilMode: ctx.args.ceil === true });
    if (!geometry) return UNKNOWN;
    return { output: withChannels(c, geometry.outSize), params: 0, macs: 0, field: { kind: 'window', geometry } };
  };
}

function adaptiveInfer(ctx: LayerContext): LayerResult {
  const [c, ...spatialIn] = ctx.input;
  const size = perAxis(ctx, 'size', spatialIn.length);
  if (!size) return UNKNOWN;
  return { output: [c, ...size], params: 0, macs: 0, field: NO_FIELD };
}

const pointwise = (ctx: LayerContext): LayerResult => ({ output: ctx.input, params: 0, macs: 0, field: SAME_FIELD });

/** Norms with a learned scale and shift per channel (or per feature for a flat vector). */
function affineNormInfer(ctx: LayerContext): LayerResult {
  const c = ctx.input[0];
  const affine = ctx.args.affine !== false;
  if (!checkDeclaredChannels(ctx, c, 'c')) return UNKNOWN;
  return { output: ctx.input, params: affine ? 2 * c : 0, macs: 0, field: SAME_FIELD };
}

function activation(kind: string, summary: string, doc: string, torch: string, args: ArgSpec[] = []): LayerSpec {
  return { kind, category: 'activation', summary, doc, torch, args, inputs: 'one', infer: pointwise };
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

function mergeInfer(op: 'add' | 'mul') {
  return (ctx: LayerContext): LayerResult => {
    const shapes = ctx.inputs;
    const equal = shapes.every((s) => s.length === shapes[0].length && s.every((d, i) => d === shapes[0][i]));
    const output = op === 'add' && equal ? shapes[0] : broadcastShapes(shapes);
    if (!output || (op === 'add' && !equal && output.some((d, i) => d !== shapes[0][i]))) {
      ctx.report('shape-mismatch', messages.shapeMismatch(op, shapes, ctx.inputNames));
      return UNKNOWN;
    }
    return { output, params: 0, macs: 0, field: SAME_FIELD };
  };
}

const TENSORS_DOC = 'Tensors to combine, by name. With one name, the current tensor comes first.';

const LAYERS: LayerSpec[] = [
  {
    kind: 'conv',
    category: 'conv',
    summary: 'Convolution (1D, 2D or 3D, from the input rank)',
    doc:
      'Slides `C_out` filters of size `C_in/groups × k…` over the input (cross-correlation, as in every framework). ' +
      'Each output size is `⌊(N + 2p − d(k−1) − 1)/s⌋ + 1`.',
    torch: 'nn.Conv1d / nn.Conv2d / nn.Conv3d',
    args: convArgs(true),
    inputs: 'one',
    minRank: 2,
    paramFormula: 'k·(C_in/groups)·C_out + C_out',
    infer: convInfer(false),
  },
  ...([2, 3, 4] as const).map(
    (rank): LayerSpec => ({
      kind: `conv${rank - 1}d`,
      category: 'conv',
      summary: `${rank - 1}D convolution`,
      doc: `Like \`conv\`, but requires a ${spatialRankLabel(rank)} input.`,
      torch: `nn.Conv${rank - 1}d`,
      args: convArgs(true),
      inputs: 'one',
      rank,
      paramFormula: 'k·(C_in/groups)·C_out + C_out',
      infer: convInfer(false),
    }),
  ),
  {
    kind: 'convtranspose',
    category: 'conv',
    summary: 'Transposed convolution (learned upsampling)',
    doc: 'The gradient of a conv, used to upsample in decoders. Each output size is `(N − 1)·s − 2p + d(k−1) + output_padding + 1`.',
    torch: 'nn.ConvTranspose1d / 2d / 3d',
    args: [
      ...convArgs(false).filter((a) => a.name !== 'padding'),
      { name: 'padding', type: 'padding', default: 0, doc: 'Removes rows from each side of the full output: a number, one per axis, or one per side.' },
      { name: 'output_padding', type: 'sizes', default: 0, min: 0, doc: 'Extra rows on the after side, to pick one of the sizes a strided conv maps to the same input.' },
    ],
    inputs: 'one',
    minRank: 2,
    paramFormula: 'k·C_in·(C_out/groups) + C_out',
    infer: convInfer(true),
  },
  {
    kind: 'maxpool',
    category: 'pool',
    summary: 'Max pooling',
    doc: 'Keeps the largest value in each window. No parameters. `stride` defaults to the kernel size.',
    torch: 'nn.MaxPool1d / 2d / 3d',
    args: [
      { ...KERNEL, positional: true },
      { ...STRIDE, default: undefined, doc: 'Step between windows; defaults to the kernel size.' },
      PADDING,
      DILATION,
      { name: 'ceil', type: 'bool', default: false, doc: 'Round the output size up, so a partial last window counts.' },
    ],
    inputs: 'one',
    minRank: 2,
    infer: poolInfer({ max: true }),
  },
  {
    kind: 'avgpool',
    category: 'pool',
    summary: 'Average pooling',
    doc: 'Averages each window. No parameters. `stride` defaults to the kernel size; by default padded zeros count in the average (PyTorch’s `count_include_pad=True`).',
    torch: 'nn.AvgPool1d / 2d / 3d',
    args: [
      { ...KERNEL, positional: true },
      { ...STRIDE, default: undefined, doc: 'Step between windows; defaults to the kernel size.' },
      PADDING,
      { name: 'ceil', type: 'bool', default: false, doc: 'Round the output size up, so a partial last window counts.' },
      { name: 'count_include_pad', type: 'bool', default: true, doc: 'Whether padded zeros count in the divisor.' },
    ],
    inputs: 'one',
    minRank: 2,
    infer: poolInfer({ max: false }),
  },
  {
    kind: 'adaptiveavgpool',
    category: 'pool',
    summary: 'Adaptive average pooling to a fixed output size',
    doc: 'Averages windows chosen so the output has exactly the given size, whatever the input size.',
    torch: 'nn.AdaptiveAvgPool1d / 2d / 3d',
    args: [{ name: 'size', type: 'sizes', required: true, positional: true, min: 1, doc: 'Output size: one number or one per axis.' }],
    inputs: 'one',
    minRank: 2,
    infer: adaptiveInfer,
  },
  {
    kind: 'adaptivemaxpool',
    category: 'pool',
    summary: 'Adaptive max pooling to a fixed output size',
    doc: 'Takes the maximum over windows chosen so the output has exactly the given size.',
    torch: 'nn.AdaptiveMaxPool1d / 2d / 3d',
    args: [{ name: 'size', type: 'sizes', required: true, positional: true, min: 1, doc: 'Output size: one number or one per axis.' }],
    inputs: 'one',
    minRank: 2,
    infer: adaptiveInfer,
  },
  {
    kind: 'gap',
    category: 'pool',
    summary: 'Global average pooling to C×1×1',
    doc: 'Averages each channel over all positions, giving `C×1×1` (or `C×1`, `C×1×1×1`). Follow it with `flatten` before `linear`.',
    torch: 'nn.AdaptiveAvgPool2d(1)',
    args: [],
    inputs: 'one',
    minRank: 2,
    infer: (ctx) => ({ output: [ctx.input[0], ...ctx.input.slice(1).map(() => 1)], params: 0, macs: 0, field: NO_FIELD }),
  },
  {
    kind: 'batchnorm',
    category: 'norm',
    summary: 'Batch normalisation (2 params per channel)',
    doc: 'Normalises each channel with running statistics, then scales by γ and shifts by β. Parameters: `2·C` (the running mean and variance are buffers).',
    torch: 'nn.BatchNorm1d / 2d / 3d',
    args: [
      { name: 'c', type: 'int', positional: true, min: 1, doc: 'Declared channels, checked against the input.' },
      { name: 'eps', type: 'number', default: 1e-5, min: 0, doc: 'Added to the variance for stability.' },
      { name: 'affine', type: 'bool', default: true, doc: 'Learn γ and β.' },
    ],
    inputs: 'one',
    minRank: 2,
    paramFormula: '2·C',
    infer: affineNormInfer,
  },
  {
    kind: 'layernorm',
    category: 'norm',
    summary: 'Layer normalisation over channels (as in ConvNeXt)',
    doc: 'Normalises across channels at each position (ConvNeXt’s LayerNorm2d), or across features for a flat vector. Parameters: `2·C`.',
    torch: 'LayerNorm2d / nn.LayerNorm',
    args: [
      { name: 'c', type: 'int', positional: true, min: 1, doc: 'Declared channels, checked against the input.' },
      { name: 'eps', type: 'number', default: 1e-6, min: 0, doc: 'Added to the variance for stability.' },
      { name: 'affine', type: 'bool', default: true, doc: 'Learn γ and β.' },
    ],
    inputs: 'one',
    paramFormula: '2·C',
    infer: affineNormInfer,
  },
  {
    kind: 'groupnorm',
    category: 'norm',
    summary: 'Group normalisation',
    doc: 'Normalises groups of channels at a time, independent of batch size. Parameters: `2·C`.',
    torch: 'nn.GroupNorm',
    args: [
      { name: 'groups', type: 'int', required: true, positional: true, min: 1, doc: 'Number of channel groups; must divide the channels.' },
      { name: 'eps', type: 'number', default: 1e-5, min: 0, doc: 'Added to the variance for stability.' },
      { name: 'affine', type: 'bool', default: true, doc: 'Learn γ and β.' },
    ],
    inputs: 'one',
    minRank: 2,
    paramFormula: '2·C',
    infer: (ctx) => {
      const groups = ctx.args.groups as number;
      if (ctx.input[0] % groups !== 0) {
        ctx.report('groups-mismatch', messages.groupsMismatch(ctx.kind, groups, 'channels', ctx.input[0]), 'groups');
        return UNKNOWN;
      }
      return affineNormInfer(ctx);
    },
  },
  activation('relu', 'max(0, x)', 'Rectified linear unit: `max(0, x)`. No parameters.', 'nn.ReLU'),
  activation('relu6', 'min(max(0, x), 6)', 'ReLU clipped at 6, as in MobileNet. No parameters.', 'nn.ReLU6'),
  activation('leakyrelu', 'x, or slope·x below 0', 'Leaky ReLU: `x` for positive inputs, `slope·x` otherwise. No parameters.', 'nn.LeakyReLU', [
    { name: 'slope', type: 'number', default: 0.01, positional: true, doc: 'Slope for negative inputs.' },
  ]),
  activation('gelu', 'x·Φ(x)', 'Gaussian error linear unit, `x·Φ(x)` (exact erf form, or the tanh approximation). No parameters.', 'nn.GELU', [
    { name: 'approximate', type: 'enum', values: ['none', 'tanh'], default: 'none', doc: '`none` (exact) or `tanh`.' },
  ]),
  activation('silu', 'x·σ(x) (swish)', 'Sigmoid linear unit (swish): `x·σ(x)`, as in EfficientNet. No parameters.', 'nn.SiLU'),
  activation('sigmoid', '1/(1+e^−x)', 'Logistic sigmoid, squashing to (0, 1); gates in squeeze-and-excitation. No parameters.', 'nn.Sigmoid'),
  activation('hardswish', 'x·relu6(x+3)/6', 'Piecewise-linear swish, as in MobileNetV3. No parameters.', 'nn.Hardswish'),
  activation('hardsigmoid', 'relu6(x+3)/6', 'Piecewise-linear sigmoid, as in MobileNetV3. No parameters.', 'nn.Hardsigmoid'),
  activation('tanh', 'tanh(x)', 'Hyperbolic tangent, squashing to (−1, 1), as in LeNet-5. No parameters.', 'nn.Tanh'),
  activation('abs', '|x|', 'Absolute value; turns signed edge responses into edge strength. No parameters.', 'torch.abs'),
  activation('identity', 'x', 'Passes the input through unchanged.', 'nn.Identity'),
  {
    kind: 'softmax',
    category: 'activation',
    summary: 'Softmax over channels',
    doc: 'Exponentiates and normalises so the values across channels (or a flat vector) sum to 1. No parameters.',
    torch: 'nn.Softmax(dim=1)',
    args: [],
    inputs: 'one',
    infer: pointwise,
  },
  {
    kind: 'dropout',
    category: 'regularization',
    summary: 'Dropout (identity at inference)',
    doc: 'Zeroes random activations with probability `p` during training; the identity at inference. No parameters.',
    torch: 'nn.Dropout',
    args: [{ name: 'p', type: 'number', default: 0.5, positional: true, min: 0, max: 1, doc: 'Drop probability.' }],
    inputs: 'one',
    infer: pointwise,
  },
  {
    kind: 'stochasticdepth',
    category: 'regularization',
    summary: 'Stochastic depth (identity at inference)',
    doc: 'Drops a whole residual branch with probability `p` during training; the identity at inference. No parameters.',
    torch: 'torchvision.ops.StochasticDepth',
    args: [
      { name: 'p', type: 'number', default: 0.1, positional: true, min: 0, max: 1, doc: 'Drop probability.' },
      { name: 'mode', type: 'enum', values: ['row', 'batch'], default: 'row', doc: 'Drop per sample (`row`) or per batch.' },
    ],
    inputs: 'one',
    infer: pointwise,
  },
  {
    kind: 'layerscale',
    category: 'norm',
    summary: 'Learned per-channel scale (C params)',
    doc: 'Multiplies each channel by a learned scalar, initialised small, as in ConvNeXt. Parameters: `C`.',
    torch: 'CNBlock.layer_scale',
    args: [{ name: 'init', type: 'number', default: 1e-6, positional: true, doc: 'Initial scale.' }],
    inputs: 'one',
    paramFormula: 'C',
    infer: (ctx) => ({ output: ctx.input, params: ctx.input[0], macs: 0, field: SAME_FIELD }),
  },
  {
    kind: 'flatten',
    category: 'reshape',
    summary: 'Flatten to a vector',
    doc: 'Reshapes `C×H×W` into a vector of `C·H·W` features, ready for `linear`.',
    torch: 'nn.Flatten',
    args: [],
    inputs: 'one',
    infer: (ctx) => ({ output: [prod(ctx.input)], params: 0, macs: 0, field: NO_FIELD }),
  },
  {
    kind: 'linear',
    category: 'linear',
    summary: 'Fully connected layer',
    doc: 'Every output feature is a weighted sum of every input feature. Parameters: `F_in·F_out + F_out`. Needs a flat input.',
    torch: 'nn.Linear',
    args: [
      { name: 'out', type: 'int', required: true, positional: true, min: 1, doc: 'Output features.' },
      BIAS,
      { name: 'in', type: 'int', min: 1, doc: 'Declared input features, checked against the actual input.' },
    ],
    inputs: 'one',
    paramFormula: 'F_in·F_out + F_out',
    infer: (ctx) => {
      if (ctx.input.length !== 1) {
        ctx.report('linear-needs-flat', messages.linearNeedsFlat(ctx.input));
        return UNKNOWN;
      }
      const fIn = ctx.input[0];
      if (!checkDeclaredChannels(ctx, fIn)) return UNKNOWN;
      const out = ctx.args.out as number;
      return { output: [out], params: fIn * out + (ctx.args.bias ? out : 0), macs: fIn * out, field: NO_FIELD };
    },
  },
  {
    kind: 'upsample',
    category: 'resize',
    summary: 'Upsample by a factor or to a size',
    doc: 'Resizes the spatial axes by nearest-neighbour or linear interpolation (`align_corners=False`). No parameters.',
    torch: 'nn.Upsample',
    args: [
      { name: 'scale', type: 'sizes', positional: true, min: 1, doc: 'Whole-number factor per axis (default 2 when no size is given).' },
      { name: 'size', type: 'sizes', min: 1, doc: 'Target size instead of a factor.' },
      { name: 'mode', type: 'enum', values: ['nearest', 'bilinear', 'linear', 'trilinear'], default: 'nearest', doc: '`nearest`, or linear interpolation (`bilinear` in 2D).' },
    ],
    inputs: 'one',
    minRank: 2,
    infer: (ctx) => {
      const [c, ...spatialIn] = ctx.input;
      const nd = spatialIn.length;
      if (ctx.args.size !== undefined) {
        const size = perAxis(ctx, 'size', nd);
        return size ? { output: [c, ...size], params: 0, macs: 0, field: { kind: 'upsample', factor: size.map((s, i) => s / spatialIn[i]) } } : UNKNOWN;
      }
      const scale = ctx.args.scale === undefined ? Array(nd).fill(2) : perAxis(ctx, 'scale', nd);
      if (!scale) return UNKNOWN;
      return { output: [c, ...spatialIn.map((n, i) => n * scale[i])], params: 0, macs: 0, field: { kind: 'upsample', factor: scale } };
    },
  },
  {
    kind: 'add',
    category: 'merge',
    summary: 'Elementwise sum (residual connection)',
    doc: `Adds tensors of equal shape, as in a ResNet shortcut. ${TENSORS_DOC}`,
    torch: 'torch.add',
    args: [],
    inputs: 'many',
    infer: mergeInfer('add'),
  },
  {
    kind: 'mul',
    category: 'merge',
    summary: 'Elementwise product with broadcasting',
    doc: `Multiplies tensors, broadcasting size-1 axes: a \`C×1×1\` gate scales a \`C×H×W\` map (squeeze-and-excitation). ${TENSORS_DOC}`,
    torch: 'torch.mul',
    args: [],
    inputs: 'many',
    infer: mergeInfer('mul'),
  },
  {
    kind: 'concat',
    category: 'merge',
    summary: 'Concatenate along channels',
    doc: `Stacks tensors along the channel axis, as in Inception and DenseNet; the other sizes must match. ${TENSORS_DOC}`,
    torch: 'torch.cat(dim=1)',
    args: [],
    inputs: 'many',
    infer: (ctx) => {
      const shapes = ctx.inputs;
      if (shapes.some((s) => s.length !== shapes[0].length)) {
        ctx.report('concat-mismatch', messages.concatRank(shapes));
        return UNKNOWN;
      }
      if (shapes.some((s) => s.some((d, i) => i > 0 && d !== shapes[0][i]))) {
        ctx.report('concat-mismatch', messages.concatMismatch(shapes, ctx.inputNames));
        return UNKNOWN;
      }
      const channels = shapes.reduce((sum, s) => sum + s[0], 0);
      return { output: [channels, ...shapes[0].slice(1)], params: 0, macs: 0, field: SAME_FIELD };
    },
  },
  {
    kind: 'split',
    category: 'reshape',
    summary: 'Split channels by sizes',
    doc: 'Splits the channels into consecutive parts of the given sizes: `a, b = split [16, 48]`, or equal parts of one size.',
    torch: 'torch.split(dim=1)',
    args: [{ name: 'sizes', type: 'int-list', required: true, positional: true, min: 1, doc: 'Channels per part, or one size for equal parts.' }],
    inputs: 'one',
    infer: (ctx) => {
      const c = ctx.input[0];
      const sizesArg = ctx.args.sizes;
      const sizes: number[] = [];
      if (typeof sizesArg === 'number') {
        for (let left = c; left > 0; left -= sizesArg) sizes.push(Math.min(sizesArg, left));
      } else {
        for (const size of sizesArg as number[]) sizes.push(size);
        const total = sizes.reduce((a, b) => a + b, 0);
        if (total !== c) {
          ctx.report('channel-mismatch', messages.splitSizes(total, c), 'sizes');
          return UNKNOWN;
        }
      }
      const outputs = sizes.map((n) => [n, ...ctx.input.slice(1)]);
      return { output: outputs[0], outputs, params: 0, macs: 0, field: SAME_FIELD };
    },
  },
  {
    kind: 'chunk',
    category: 'reshape',
    summary: 'Split channels into n equal parts',
    doc: 'Splits the channels into `n` parts, as `torch.chunk` does: each has ⌈C/n⌉ channels, the last may have fewer.',
    torch: 'torch.chunk(dim=1)',
    args: [{ name: 'n', type: 'int', required: true, positional: true, min: 1, doc: 'Number of parts.' }],
    inputs: 'one',
    infer: (ctx) => {
      const c = ctx.input[0];
      const n = ctx.args.n as number;
      const size = Math.ceil(c / n);
      const outputs: number[][] = [];
      for (let left = c; left > 0; left -= size) outputs.push([Math.min(size, left), ...ctx.input.slice(1)]);
      return { output: outputs[0], outputs, params: 0, macs: 0, field: SAME_FIELD };
    },
  },
  {
    kind: 'shuffle',
    category: 'reshape',
    summary: 'Channel shuffle (ShuffleNet)',
    doc: 'Interleaves channels across `groups` so grouped convs can exchange information. No parameters.',
    torch: 'nn.ChannelShuffle',
    args: [{ name: 'groups', type: 'int', required: true, positional: true, min: 1, doc: 'Number of groups; must divide the channels.' }],
    inputs: 'one',
    infer: (ctx) => {
      const groups = ctx.args.groups as number;
      if (ctx.input[0] % groups !== 0) {
        ctx.report('groups-mismatch', messages.groupsMismatch(ctx.kind, groups, 'channels', ctx.input[0]), 'groups');
        return UNKNOWN;
      }
      return { output: ctx.input, params: 0, macs: 0, field: SAME_FIELD };
    },
  },
];

const BY_KIND = new Map<string, LayerSpec>(LAYERS.map((spec) => [spec.kind, spec]));

/** Every layer spec, in catalogue order. */
export function layerSpecs(): readonly LayerSpec[] {
  return LAYERS;
}

export function getLayerSpec(kind: string): LayerSpec | undefined {
  return BY_KIND.get(kind);
}

/** Named kernels and enum values a `kernel-weights` argument accepts, for completion. */
export const KERNEL_NAMES: readonly string[] = Object.keys(NAMED_KERNELS);

/** The closest candidate by edit distance, if close enough to be a plausible typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      rowMin = Math.min(rowMin, row[j]);
    }
    if (rowMin >= cap) return cap;
    prev = row;
  }
  return prev[b.length];
}
