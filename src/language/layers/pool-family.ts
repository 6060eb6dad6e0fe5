/** What the pooling kinds share: the windowed rule of `maxpool`/`avgpool`, the adaptive rule and its argument. */
import { messages } from '../messages';
import { KERNEL, STRIDE } from './common-args';
import type { ArgSpec, LayerContext, LayerResult } from './layer-spec';
import { checkedWindow, paddingSpec, perAxis, UNKNOWN, withChannels, NO_FIELD } from './shape-rules';

/** The kernel size, positional: `maxpool 2`. */
export const POOL_KERNEL: ArgSpec = { ...KERNEL, positional: true };
export const POOL_STRIDE: ArgSpec = { ...STRIDE, default: undefined, doc: 'Step between windows; defaults to the kernel size.' };
export const CEIL: ArgSpec = { name: 'ceil', type: 'bool', default: false, doc: 'Round the output size up, so a partial last window counts.' };
export const ADAPTIVE_SIZE: ArgSpec = { name: 'size', type: 'sizes', required: true, positional: true, min: 1, doc: 'Output size: one number or one per axis.' };

export function poolInfer(options: { readonly max: boolean }) {
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

export function adaptiveInfer(ctx: LayerContext): LayerResult {
  const [c, ...spatialIn] = ctx.input;
  const size = perAxis(ctx, 'size', spatialIn.length);
  if (!size) return UNKNOWN;
  return { output: [c, ...size], params: 0, macs: 0, field: NO_FIELD };
}
