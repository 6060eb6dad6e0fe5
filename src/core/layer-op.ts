/**
 * What the runner needs from a layer kind: its parameter tensors and how to
 * call its kernel. Each kind of the language's catalogue implements `LayerOp`
 * in its own file (src/language/layers/), and every analysed layer points at
 * its kind's (`GraphLayer.op`). The runner and `layerParams` go through that
 * pointer, so the core keeps no table of kinds and never imports the language.
 *
 * The helpers below are what kernel adapters share: reading parameters as
 * tensors, the analysis's window geometry, and argument values.
 */
import type { WindowGeometry } from './geometry';
import type { ArgValue, GraphLayer } from './graph';
import type { PerAxis } from './kernels/window';
import type { Tensor } from './tensor';
import { layerParams, WeightError, type ParamRole, type ParamSpec } from './weights';

export interface LayerOp {
  /**
   * The layer's parameter tensors in state-dict order: keys, shapes and
   * PyTorch's default init. Absent for kinds without parameters. `input` is the
   * layer's first input shape (known: `layerParams` asks only then).
   */
  params?(layer: GraphLayer, input: readonly number[]): ParamSpec[];
  /** Runs the kind's kernel: one output, or one per part (split, chunk). Throws `WeightError` for a missing parameter. */
  run(ctx: KernelContext): Tensor | Tensor[];
  /**
   * `weights=` sets the filters by hand (a conv): the runner then builds the
   * weight from the spec (`handKernelWeight`), with a zero bias, instead of
   * asking the weight source.
   */
  readonly handKernels?: boolean;
}

/** What a kernel adapter sees: the layer, its input tensors and lazy parameter getters. */
export interface KernelContext {
  readonly layer: GraphLayer;
  readonly inputs: readonly Tensor[];
  /** The first input. */
  readonly x: Tensor;
  /** The parameter's values, created or read now; null when the layer has no such parameter. */
  param(role: ParamRole): Float32Array | null;
  /** The parameter in row blocks when the weight source can stream it, else null. */
  stream(role: ParamRole, rowsPerBlock: number): Iterable<Float32Array> | null;
}

/** The shape `layerParams` gives the parameter, or `[]` when the layer has none. */
export function paramShape(layer: GraphLayer, role: ParamRole): readonly number[] {
  return layerParams(layer).find((p) => p.role === role)?.shape ?? [];
}

/** The parameter's values; a `WeightError` naming the layer when it has none. */
export function requiredParam(ctx: KernelContext, role: ParamRole): Float32Array {
  const values = ctx.param(role);
  if (values === null) throw new WeightError(`\`${ctx.layer.name}\` has no ${role}`);
  return values;
}

/** The layer's weight as a tensor of its parameter shape (`[C_out, C_in/groups, k…]` for a conv). */
export function weightTensor(ctx: KernelContext): Tensor {
  return { shape: paramShape(ctx.layer, 'weight'), data: requiredParam(ctx, 'weight') };
}

/** The layer's bias as a vector, or null when it has none (`bias=false`). */
export function biasTensor(ctx: KernelContext): Tensor | null {
  const values = ctx.param('bias');
  return values === null ? null : { shape: [values.length], data: values };
}

/** The window the analysis computed for a conv or pooling layer: the kernels take it as it is. */
export function windowOf(layer: GraphLayer): WindowGeometry {
  if (!layer.window) throw new Error(`\`${layer.name}\` (${layer.kind}) has no window geometry from the analysis`);
  return layer.window;
}

/** A `sizes` argument as the kernels take it: one number or one per axis; undefined when absent. */
export function sizesArg(v: ArgValue | undefined): PerAxis | undefined {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  return undefined;
}

/** A number argument, or `fallback` when absent. */
export function numberArg(v: ArgValue | undefined, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}
