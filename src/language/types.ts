/**
 * What `analyze(text)` returns: everything the server, the CLI and the preview
 * need, in source offsets. Nothing here knows about LSP or VS Code.
 */
import type { WindowGeometry } from '../core/geometry';
import type { LayerOp } from '../core/layer-op';
import type { Program, Span } from './ast';

/** A tensor shape without the batch dimension, channels first; `null` when unknown after an error. */
export type Shape = readonly number[] | null;

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInformation {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  /** Stable kebab-case code, e.g. `channel-mismatch`. */
  readonly code: string;
  readonly severity: Severity;
  readonly span: Span;
  readonly message: string;
  readonly related?: readonly RelatedInformation[];
  /**
   * The text that would fix it, to replace the whole span: the closest known
   * name for an unknown layer, argument or name, or the closest allowed value
   * for an argument. The message says the same in words.
   */
  readonly suggestion?: string;
}

/** A resolved argument value as kernels and hover see it. */
export type Value = number | boolean | string | readonly Value[] | { readonly tensor: number };

/** One layer instance in the flattened graph (blocks and repeats expanded). */
export interface Layer {
  /** Index into `Analysis.layers`; also the layer's node id in the graph. */
  readonly id: number;
  /** Dotted path, unique in the model: `layer1.0.conv1`, or the user's label. */
  readonly name: string;
  /** Catalogue kind, e.g. `conv`, `batchnorm`, `add`. */
  readonly kind: string;
  /** The kind's catalogue entry (`getLayerSpec(kind)`), shared by every layer of the kind: the runner calls its kernel through it. */
  readonly op: LayerOp;
  /** The call in the source. Inside a block this is in the block's body. */
  readonly span: Span;
  /** Spans of the block calls that led here, outermost first (empty at model level). */
  readonly callStack: readonly Span[];
  /** Producers of each input: a layer id, or -1 for the model input. */
  readonly inputs: readonly number[];
  /** Which output of each producer feeds this layer (0 except after split/chunk). */
  readonly inputSlots: readonly number[];
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
  /** Resolved arguments, defaults filled in. */
  readonly args: Readonly<Record<string, Value>>;
  /** Parameters; 0 when unknown (then `paramsUnknown` is set). */
  readonly params: number;
  /** Set when the parameter count could not be known (an error before or at this layer). */
  readonly paramsUnknown?: true;
  readonly macs: number;
  /** Elements in the output (activation size), 0 when unknown. */
  readonly activations: number;
  /** Per spatial axis, relative to the model input; null when unknown or not spatial. */
  readonly receptiveField: readonly number[] | null;
  readonly jump: readonly number[] | null;
  /** Set for split/chunk, which give several tensors; `outputShape` is the first. */
  readonly outputShapes?: readonly Shape[];
  /**
   * For conv, transposed conv and pooling: the window geometry the shape rule
   * computed (kernel, stride, dilation, padding and sizes per spatial axis).
   * Absent for other layers and when the output is unknown. Identical layers
   * may share one object, so it is never to be modified.
   */
  readonly window?: WindowGeometry;
  /** Set with `window` when the window is a transposed conv's. */
  readonly transposed?: boolean;
  /** Nesting of the layer: the block calls and repeats it was expanded through, e.g. `stage2.bottleneck1`. */
  readonly scopePath: string;
}

/** A name the user defined: a tensor, a block, a parameter or a `let`. */
export interface SymbolInfo {
  readonly name: string;
  readonly kind: 'tensor' | 'block' | 'parameter' | 'let' | 'input' | 'model';
  readonly definition: Span;
  readonly references: readonly Span[];
  /** The scope it lives in: the model or a block's body span. */
  readonly scope: Span;
  /** For tensors: the shape at the first (or only) expansion; null if unknown. */
  readonly shape?: Shape;
}

export interface ModelSummary {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly inputName: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly totalParams: number;
  readonly totalMacs: number;
  readonly weightsPath?: string;
  readonly normalize?: string;
}

/** One expansion of a block call site: what went in and out, and what it added. */
export interface CallExpansion {
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: number;
  readonly macs: number;
}

/**
 * Totals of one block call site, for hover and inlay hints on the call. The
 * shapes and totals are its first expansion's; `firstExpansions` has the others.
 */
export interface CallSummary extends CallExpansion {
  readonly span: Span;
  readonly block: string;
  /** How many times this call site was expanded (repeat bodies expand more than once). */
  readonly expansions: number;
  /**
   * Set when the call site ran more than once: its first expansions in order,
   * at most `LIMITS.expansionsRecorded` (16) of them, starting with this
   * summary's own numbers.
   */
  readonly firstExpansions?: readonly CallExpansion[];
}

export interface Analysis {
  readonly text: string;
  readonly program: Program;
  readonly model: ModelSummary | null;
  readonly layers: readonly Layer[];
  readonly diagnostics: readonly Diagnostic[];
  readonly symbols: readonly SymbolInfo[];
  readonly calls: readonly CallSummary[];
  /** Estimated peak memory of running the model, in bytes (src/language/run-memory.ts); null without a model input of known shape. */
  readonly peakMemoryBytes: number | null;
}
