/**
 * The analyzer's run state: everything a model statement can read that an
 * earlier one wrote. Between two top-level statements of the model body the
 * analyzer's whole state is one `AnalyzerState`; the incremental analysis copies,
 * restores and compares it field by field (src/language/incremental/checkpoint.ts),
 * so a field added here without an entry there is a compile error.
 */
import type { FieldOfView } from '../core/geometry';
import type { Span } from './ast';
import type { EvalValue, TensorHandle } from './evaluate';
import type { CallExpansion, CallSummary, Diagnostic, Layer, Shape, SymbolInfo } from './types';

/**
 * A tensor flowing through the analysis. Also the `TensorHandle` an expression
 * evaluates to, so a name lookup allocates nothing.
 */
export class TensorRef implements TensorHandle {
  readonly tensor = true;
  /** The tensor as first made; a name binding makes a renamed copy with the same id. */
  readonly original: TensorRef;
  /**
   * The statement whose unnamed result this is, which a later statement must
   * take or it is dropped (see `runBody`). Set only by the statement that made
   * the tensor, before any checkpoint can hold it.
   */
  resultOf: Span | null = null;

  constructor(
    readonly id: number,
    readonly shape: Shape,
    /** Layer id, or -1 for the model input. */
    readonly producer: number,
    readonly slot: number,
    readonly field: FieldOfView | null,
    /** How messages refer to it: a name, or the layer kind that made it. */
    readonly label: string,
    /** Where it was made or bound, for related information. */
    readonly origin: Span,
    original?: TensorRef,
  ) {
    this.original = original ?? this;
  }

  /** The same tensor (same id) under a name bound at `origin`. */
  renamed(label: string, origin: Span): TensorRef {
    return new TensorRef(this.id, this.shape, this.producer, this.slot, this.field, label, origin, this.original);
  }
}

export interface SymbolRecord {
  readonly name: string;
  readonly kind: SymbolInfo['kind'];
  readonly definition: Span;
  readonly scope: Span;
  references: Map<number, Span>;
  /** `references` is also a checkpoint's (see checkpoint.ts): copy it before changing it. */
  sharedReferences: boolean;
  shape?: Shape;
  /** The binding's value flows out as the body's result, so it counts as used. */
  isResult: boolean;
}

export type Binding =
  | { readonly kind: 'tensor'; readonly tensor: TensorRef; readonly symbol: SymbolRecord | null }
  | { readonly kind: 'value'; readonly value: EvalValue; readonly symbol: SymbolRecord | null };

/** What the analyzer keeps of a call site until the end (see `callSummary`). */
export interface CallRecord {
  readonly first: Omit<CallSummary, 'expansions' | 'firstExpansions'>;
  count: number;
  /** The expansions after the first, up to `LIMITS.expansionsRecorded` in all; null while there is only the first. */
  more: CallExpansion[] | null;
}

export function callSummary(record: CallRecord): CallSummary {
  const { first, count, more } = record;
  const { span, block, inputShape, outputShape, params, macs } = first;
  // Built field by field: a spread of `first` for every call site costs more on big models.
  if (!more) return { span, block, inputShape, outputShape, params, macs, expansions: count };
  return { span, block, inputShape, outputShape, params, macs, expansions: count, firstExpansions: [{ inputShape, outputShape, params, macs }, ...more] };
}

/**
 * The analyzer's state between two top-level statements of the model body.
 * The analyzer works on one live record; a checkpoint is a copy of it.
 */
export interface AnalyzerState {
  /** The layers so far, in order; a layer's id is its index. */
  layers: Layer[];
  /** Everything reported so far except the syntax errors, in the order reported. */
  diagnostics: Diagnostic[];
  /** By definition start. */
  symbols: Map<number, SymbolRecord>;
  /** Per call site (by start): its first expansion, how many there were, and the next ones up to `LIMITS.expansionsRecorded`. */
  calls: Map<number, CallRecord>;
  /** Blocks called at least once (the others get a dry run at the end). */
  calledBlocks: Set<string>;
  /** Starts of the bodies that had their dry run (each has one). */
  dryRunSpans: Set<number>;
  /** The model body's bindings. */
  names: Map<string, Binding>;
  /** The model frame's counters of layers named after a kind or block (see `Frame`). */
  counters: Map<string, number>;
  /** The model frame's names given from labels. */
  labels: Set<string>;
  /** The tensor the next statement takes. */
  current: TensorRef | null;
  modelInput: TensorRef | null;
  /** Tensors made so far: the next one's id. */
  tensorCount: number;
  /** Sums over `layers`, kept as they are added (a second pass over every layer costs more). */
  totalParams: number;
  totalMacs: number;
  /** Statements executed, counting every repeat iteration (see `LIMITS.maxSteps`). */
  steps: number;
  /** Set once a limit stopped the run: every later statement is skipped. */
  budgetExceeded: boolean;
}

/** The state before the model body's first statement. */
export function initialAnalyzerState(): AnalyzerState {
  return {
    layers: [],
    diagnostics: [],
    symbols: new Map(),
    calls: new Map(),
    calledBlocks: new Set(),
    dryRunSpans: new Set(),
    names: new Map(),
    counters: new Map(),
    labels: new Set(),
    current: null,
    modelInput: null,
    tensorCount: 0,
    totalParams: 0,
    totalMacs: 0,
    steps: 0,
    budgetExceeded: false,
  };
}
