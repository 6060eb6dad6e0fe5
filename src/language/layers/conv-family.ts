/** What `conv`, `conv1d`, `conv2d`, `conv3d` and `convtranspose` share: arguments and the shape rule. */
import { NAMED_KERNELS, NAMED_KERNEL_SIZE, isNamedKernel } from '../../core/named-kernels';
import { messages } from '../messages';
import type { Value } from '../types';
import { BIAS, DILATION, KERNEL, PADDING, STRIDE } from './common-args';
import type { ArgSpec, LayerContext, LayerResult, LayerSpec } from './layer-spec';
import { checkDeclaredChannels, checkedWindow, literalDims, paddingSpec, perAxis, prod, spatialRankLabel, UNKNOWN, withChannels } from './shape-rules';

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
    const taps = prod(kernel);
    const bias = ctx.args.bias ? out : 0;
    const output = withChannels(out, geometry.outSize);
    const params = transposed ? cIn * (out / groups) * taps + bias : out * (cIn / groups) * taps + bias;
    const macs = transposed ? prod(ctx.input) * (out / groups) * taps : prod(output) * (cIn / groups) * taps;
    return { output, params, macs, field: { kind: 'window', geometry, transposed } };
  };
}
