/** What `batchnorm`, `layernorm` and `groupnorm` share: the affine arguments, the rule and the parameters γ and β. */
import type { GraphLayer } from '../../core/graph';
import { constantInit, paramSpec, type ParamSpec } from '../../core/weights';
import type { Layer } from '../types';
import type { ArgSpec, KnownShape, LayerContext, LayerResult, ParamTerms } from './layer-spec';
import { checkDeclaredChannels, SAME_FIELD, UNKNOWN } from './shape-rules';

/** The declared channels, positional: `batchnorm 64`. */
export const DECLARED_CHANNELS: ArgSpec = { name: 'c', type: 'int', positional: true, min: 1, doc: 'Declared channels, checked against the input.' };
export const AFFINE: ArgSpec = { name: 'affine', type: 'bool', default: true, doc: 'Learn γ and β.' };

export function epsArg(value: number): ArgSpec {
  return { name: 'eps', type: 'number', default: value, min: 0, doc: 'Added to the variance for stability.' };
}

/** Norms with a learned scale and shift per channel (or per feature for a flat vector). */
export function affineNormInfer(ctx: LayerContext): LayerResult {
  const c = ctx.input[0];
  const affine = ctx.args.affine !== false;
  if (!checkDeclaredChannels(ctx, c, 'c')) return UNKNOWN;
  return { output: ctx.input, params: affine ? 2 * c : 0, macs: 0, field: SAME_FIELD };
}

/** γ (`weight`, ones) and β (`bias`, zeros), one per channel, unless `affine=false`. */
export function affineParams(layer: GraphLayer, input: readonly number[]): ParamSpec[] {
  const channels = input[0];
  return layer.args.affine !== false ? [paramSpec(layer, 'weight', [channels], constantInit(1)), paramSpec(layer, 'bias', [channels], constantInit(0))] : [];
}

/** `2·C`: γ and β. */
export function affineTerms(_layer: Layer, input: KnownShape): ParamTerms {
  return { factors: [2, input[0]], value: 2 * input[0], bias: 0 };
}
