/**
 * What one layer kind is: its arguments (types, defaults, docs), its shape
 * rule, its parameter count and cost, its parameter tensors and its kernel
 * adapter (the core's `LayerOp`), and its docs. Each kind is one `LayerSpec`,
 * in a file of this folder named after it; `../catalogue.ts` lists them. See
 * docs/architecture.md, "How to add a layer kind".
 *
 * Parameter counts follow `sum(p.numel() for p in model.parameters())`: running
 * statistics are buffers, not parameters. MACs count one multiply-add per weight
 * use in conv and linear layers, without bias: the convention behind
 * torchvision's published GFLOPS.
 */
import type { WindowGeometry } from '../../core/geometry';
import type { LayerOp } from '../../core/layer-op';
import type { DiagnosticCode } from '../messages';
import type { Layer, Value } from '../types';

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

/**
 * A parameter count as hover spells it out: the factors of the weight (numbers,
 * or `(64/2)` for a grouped share), their product, and the bias term.
 */
export interface ParamTerms {
  readonly factors: readonly (number | string)[];
  /** The product of `factors`. */
  readonly value: number;
  /** Bias parameters, added after the product; 0 for none. */
  readonly bias: number;
}

/**
 * One layer kind. From `LayerOp` it has `params` (the parameter tensors: keys,
 * shapes, PyTorch init), `run` (the kernel adapter) and `handKernels`.
 */
export interface LayerSpec extends LayerOp {
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
  /** The parameter formula, for docs: e.g. `k·(C_in/groups)·C_out + C_out`. Set exactly when the kind has parameters. */
  readonly paramFormula?: string;
  /** The shape rule: the output shape(s), parameter count, MACs and receptive-field step, reporting what is wrong. */
  infer(ctx: LayerContext): LayerResult;
  /** The parameter count with the layer's numbers, for hover; null when it cannot be spelt out. */
  paramTerms?(layer: Layer, input: KnownShape): ParamTerms | null;
  /** A transposed conv: the shape rule runs the window backwards. */
  readonly transposed?: boolean;
  /** Parameter floats that exist at once while the layer runs, when the runner streams some (a huge linear weight). */
  residentParams?(layer: Layer): number;
}
