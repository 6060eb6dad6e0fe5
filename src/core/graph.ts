/**
 * The model graph as the runner needs it. The language's `Analysis.layers`
 * satisfy `GraphLayer` structurally, so the core never imports the language:
 *
 *   runModel({ name: analysis.model.name, inputShape: analysis.model.inputShape, layers: analysis.layers }, input)
 *
 * What a kind does (its parameters, its kernel) comes with each layer as its
 * `op`, the kind's entry in the language's catalogue.
 */
import type { WindowGeometry } from './geometry';
import type { LayerOp } from './layer-op';

/** A resolved argument value, as the language resolves it (defaults filled in). */
export type ArgValue = number | boolean | string | readonly ArgValue[] | { readonly tensor: number };

/** A shape without the batch axis, channels first; null when an error in the spec made it unknown. */
export type GraphShape = readonly number[] | null;

export interface GraphLayer {
  /** Index in `ModelGraph.layers`. Layers are in execution order: producers come first. */
  readonly id: number;
  /** Unique in the model (`stage1.basic1.conv1`); weights are looked up by it. */
  readonly name: string;
  /** Layer kind from the catalogue: `conv`, `batchnorm`, `add`, … */
  readonly kind: string;
  /** What the kind does: its parameter tensors and its kernel (shared by every layer of the kind). */
  readonly op: LayerOp;
  /** Producer of each input: a layer id, or -1 for the model input. */
  readonly inputs: readonly number[];
  /** Which output of each producer (non-zero only after split/chunk). */
  readonly inputSlots: readonly number[];
  readonly inputShapes: readonly GraphShape[];
  readonly outputShape: GraphShape;
  /** For split/chunk, one shape per output. */
  readonly outputShapes?: readonly GraphShape[];
  readonly args: Readonly<Record<string, ArgValue>>;
  /**
   * For conv, transposed conv and pooling with a known output: the window
   * geometry the analysis computed (kernel, stride, dilation, padding and sizes
   * per spatial axis). The runner hands it to the kernel as it is.
   */
  readonly window?: WindowGeometry;
  /** The layer's call in the source ([start, end) offsets), when the graph came from a spec. */
  readonly span?: SourceSpan;
  /** The block calls that led to the layer, outermost first. */
  readonly callStack?: readonly SourceSpan[];
}

/** [start, end) offsets into the spec's text. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

export interface ModelGraph {
  /** Seeds the deterministic init together with each layer's name. */
  readonly name: string;
  readonly inputShape: GraphShape;
  readonly layers: readonly GraphLayer[];
}
