/**
 * What `conv`, `conv1d`, `conv2d`, `conv3d` and `convtranspose` share:
 * arguments, the shape rule, the parameter tensors and their hover terms, and
 * the kernel adapters.
 */
import type { GraphLayer } from '../../core/graph';
import { conv } from '../../core/kernels/conv';
import { biasTensor, numberArg, weightTensor, windowOf, type KernelContext } from '../../core/layer-op';
import { NAMED_KERNELS, NAMED_KERNEL_SIZE, isNamedKernel } from '../../core/named-kernels';
import { numel, type Tensor } from '../../core/tensor';
import { paramSpec, uniformInit, WeightError, type ParamSpec } from '../../core/weights';
import { messages } from '../messages';
import type { Layer, Value } from '../types';
import { BIAS, DILATION, KERNEL, PADDING, STRIDE } from './common-args';
import type { ArgSpec, KnownShape, LayerContext, LayerResult, LayerSpec, ParamTerms } from './layer-spec';
import { checkDeclaredChannels, checkedWindow, literalDims, paddingSpec, perAxis, spatialRankLabel, UNKNOWN, withChannels } from './shape-rules';

export function convArgs(withWeights: boolean): ArgSpec[] {
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

/** A conv that requires one input rank: `conv1d` (rank 2), `conv2d` (3) or `conv3d` (4). */
export function fixedRankConv(rank: 2 | 3 | 4): LayerSpec {
  return {
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
    params: convParams(false),
    paramTerms: convTerms(false),
    run: convRun,
    handKernels: true,
  };
}

/** The conv kernel on the analysis's window, with the layer's weight and bias. */
export function convRun(ctx: KernelContext): Tensor {
  return conv(ctx.x, weightTensor(ctx), biasTensor(ctx), { geometry: windowOf(ctx.layer), groups: numberArg(ctx.layer.args.groups, 1) });
}

/** The kernel size per spatial axis from a resolved `k` argument. */
function kernelSize(layer: GraphLayer, spatial: number): number[] {
  const k = layer.args.k;
  if (typeof k === 'number') return new Array<number>(spatial).fill(k);
  if (Array.isArray(k) && k.length === spatial) return k as number[];
  if (Array.isArray(k) && k.length === 1) return new Array<number>(spatial).fill(k[0] as number);
  throw new WeightError(`\`${layer.name}\`: kernel size ${JSON.stringify(k)} does not fit a ${spatial}D input`);
}

/** `weight` `[C_out, C_in/groups, k…]` (transposed: `[C_in, C_out/groups, k…]`) and `bias` `[C_out]`, kaiming-uniform. */
export function convParams(transposed: boolean) {
  return (layer: GraphLayer, input: readonly number[]): ParamSpec[] => {
    const channels = input[0];
    const out = layer.args.out as number;
    const groups = (layer.args.groups as number | undefined) ?? 1;
    const k = kernelSize(layer, input.length - 1);
    const shape = transposed ? [channels, out / groups, ...k] : [out, channels / groups, ...k];
    // PyTorch's fan_in is weight.size(1) · kernel volume, for transposed convs too.
    const fanIn = shape[1] * numel(k);
    const params = [paramSpec(layer, 'weight', shape, uniformInit(fanIn))];
    if (layer.args.bias !== false) params.push(paramSpec(layer, 'bias', [out], uniformInit(fanIn)));
    return params;
  };
}

/** `k·k·C_in·C_out + C_out` with the numbers, grouped shares in parentheses. */
export function convTerms(transposed: boolean) {
  return (layer: Layer, input: KnownShape): ParamTerms | null => {
    const kernel = layer.window?.axes.map((a) => a.kernel);
    const out = layer.args.out;
    const groups = typeof layer.args.groups === 'number' ? layer.args.groups : 1;
    if (!kernel || typeof out !== 'number') return null;
    const cIn = input[0];
    const taps = kernel.reduce((a, b) => a * b, 1);
    const bias = layer.args.bias === true ? out : 0;
    if (transposed) return { factors: [...kernel, cIn, groups > 1 ? `(${out}/${groups})` : out], value: taps * cIn * (out / groups), bias };
    return { factors: [...kernel, groups > 1 ? `(${cIn}/${groups})` : cIn, out], value: taps * (cIn / groups) * out, bias };
  };
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

export function convInfer(transposed: boolean) {
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
    const taps = numel(kernel);
    const bias = ctx.args.bias ? out : 0;
    const output = withChannels(out, geometry.outSize);
    const params = transposed ? cIn * (out / groups) * taps + bias : out * (cIn / groups) * taps + bias;
    const macs = transposed ? numel(ctx.input) * (out / groups) * taps : numel(output) * (cIn / groups) * taps;
    return { output, params, macs, field: { kind: 'window', geometry, transposed } };
  };
}
