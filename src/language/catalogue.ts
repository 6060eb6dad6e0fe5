/**
 * The layer catalogue: the registry of layer kinds. Each kind is one
 * `LayerSpec` in its own file under `./layers/` (its arguments, shape rule,
 * parameters, cost and docs); this file lists them. Everything else that lists
 * kinds reads this list: shape inference, hover, completion, signature help,
 * the layer reference (docs/layers.md) and the TextMate grammar's keyword test.
 * To add a kind, see docs/architecture.md.
 */
import { NAMED_KERNELS } from '../core/named-kernels';
import conv from './layers/conv';
import conv1d from './layers/conv1d';
import conv2d from './layers/conv2d';
import conv3d from './layers/conv3d';
import convtranspose from './layers/convtranspose';
import maxpool from './layers/maxpool';
import avgpool from './layers/avgpool';
import adaptiveavgpool from './layers/adaptiveavgpool';
import adaptivemaxpool from './layers/adaptivemaxpool';
import gap from './layers/gap';
import batchnorm from './layers/batchnorm';
import layernorm from './layers/layernorm';
import groupnorm from './layers/groupnorm';
import relu from './layers/relu';
import relu6 from './layers/relu6';
import leakyrelu from './layers/leakyrelu';
import prelu from './layers/prelu';
import gelu from './layers/gelu';
import silu from './layers/silu';
import sigmoid from './layers/sigmoid';
import hardswish from './layers/hardswish';
import hardsigmoid from './layers/hardsigmoid';
import tanh from './layers/tanh';
import abs from './layers/abs';
import identity from './layers/identity';
import softmax from './layers/softmax';
import dropout from './layers/dropout';
import stochasticdepth from './layers/stochasticdepth';
import layerscale from './layers/layerscale';
import flatten from './layers/flatten';
import linear from './layers/linear';
import upsample from './layers/upsample';
import add from './layers/add';
import mul from './layers/mul';
import concat from './layers/concat';
import split from './layers/split';
import chunk from './layers/chunk';
import shuffle from './layers/shuffle';
import type { LayerSpec } from './layers/layer-spec';

export type { ArgSpec, ArgType, KnownShape, LayerCategory, LayerContext, LayerResult, LayerSpec } from './layers/layer-spec';
export { axisNames, broadcastShapes, literalDims, spatialRankLabel } from './layers/shape-rules';

/** Every kind, in the order completion ties, typo suggestions and the layer reference follow. */
const LAYERS: readonly LayerSpec[] = [
  conv, conv1d, conv2d, conv3d, convtranspose, maxpool, avgpool, adaptiveavgpool, adaptivemaxpool, gap,
  batchnorm, layernorm, groupnorm, relu, relu6, leakyrelu, prelu, gelu, silu, sigmoid, hardswish, hardsigmoid,
  tanh, abs, identity, softmax, dropout, stochasticdepth, layerscale, flatten, linear, upsample, add,
  mul, concat, split, chunk, shuffle,
];

const BY_KIND = new Map<string, LayerSpec>(LAYERS.map((spec) => [spec.kind, spec]));

/** Every layer spec, in catalogue order. */
export function layerSpecs(): readonly LayerSpec[] {
  return LAYERS;
}

export function getLayerSpec(kind: string): LayerSpec | undefined {
  return BY_KIND.get(kind);
}

/** Layer kinds the runner can execute: those whose spec has a kernel adapter (`run`). */
export const RUNNABLE_KINDS: readonly string[] = LAYERS.filter((spec) => typeof spec.run === 'function').map((spec) => spec.kind);

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
