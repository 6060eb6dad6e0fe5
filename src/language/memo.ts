/**
 * What the analyzer remembers within one run so that identical work is done
 * once. Big models repeat the same layer with the same arguments on the same
 * input shape many times over: argument records are shared between identical
 * calls, shapes from shared records are shared too, and a shape rule runs once
 * per (record, input shape). Only work that reported nothing is remembered,
 * so every diagnostic still comes from its own call. Nothing here changes
 * what an analysis says.
 */
import type { TensorRef } from './analyzer-state';
import type { BlockItem, Call, Expr, Span } from './ast';
import type { KnownShape, LayerResult, LayerSpec } from './catalogue';
import type { EvalValue } from './evaluate';
import type { Layer, Shape, Value } from './types';

export interface ResolvedArgs {
  readonly values: Readonly<Record<string, Value>>;
  /** A merge's input tensors; null for the other layers, whose one input is the current tensor. */
  readonly tensors: readonly TensorRef[] | null;
  readonly ok: boolean;
  /** `values` is the record shared by identical calls (see `LayerMemo`). */
  readonly shared: boolean;
}

/** Resolved arguments of a one-input layer that reported nothing: one object per distinct record. */
export type SharedArgs = ResolvedArgs & { readonly tensors: null; readonly ok: true; readonly shared: true };

/**
 * For a call whose arguments hold no names (tensor arguments aside), a key
 * from the arguments' source text; otherwise undefined. It shares a map with
 * `argsKey` keys, which start with `;` unless the record is empty: the only
 * text key that can meet one is '' (no arguments, so the record is just the
 * defaults), and when that record is empty the two mean the same record.
 */
export function literalArgsKey(text: string, call: Call, spec: LayerSpec): string | undefined {
  const args = call.args;
  if (args.length === 0) return '';
  if (spec.inputs === 'many') {
    // Tensor arguments are names by nature; without others the record is just the defaults.
    for (let i = 0; i < args.length; i++) if (args[i].name) return undefined;
    return '';
  }
  for (let i = 0; i < args.length; i++) if (!isNameFree(args[i].value, 0)) return undefined;
  const first = args[0];
  const start = first.name ? first.name.span.start : first.value.span.start;
  return text.slice(start, args[args.length - 1].value.span.end);
}

/** Whether an expression mentions no name, so it evaluates the same anywhere; deep ones are not worth checking. */
function isNameFree(expr: Expr, depth: number): boolean {
  if (depth > 8) return false;
  switch (expr.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return true;
    case 'name':
    case 'missing':
      return false;
    case 'unary':
      return isNameFree(expr.operand, depth + 1);
    case 'binary':
      return isNameFree(expr.left, depth + 1) && isNameFree(expr.right, depth + 1);
    case 'tuple':
    case 'dims':
    case 'list':
      return expr.items.every((item) => isNameFree(item, depth + 1));
  }
}

/** A key for a resolved argument record: its names, order and values, so equal keys mean interchangeable records. */
function argsKey(values: Readonly<Record<string, Value>>): string {
  let key = '';
  for (const name in values) key += `;${name}=${valueKey(values[name])}`;
  return key;
}

/** Whether two records with the same keys in the same order hold the same values. */
function sameArgValues(a: Readonly<Record<string, Value>>, b: Readonly<Record<string, Value>>): boolean {
  for (const name in a) if (!sameArgValue(a[name], b[name])) return false;
  return true;
}

function sameArgValue(a: Value, b: Value): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameArgValue(x, b[i]));
  // Object.is keeps -0 apart from 0, as `valueKey` does.
  return Object.is(a, b);
}

function valueKey(value: Value): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
  return `{tensor ${(value as { tensor: number }).tensor}}`;
}

/** A shape rule's result for one input shape. */
export interface Inferred {
  readonly inputShapes: readonly Shape[];
  readonly result: LayerResult | null;
}

/** Shared argument records and shape-rule results (see above). */
export class LayerMemo {
  private readonly sharedArgs = new Map<LayerSpec, Map<string, SharedArgs>>();
  /** For calls whose arguments use names: the record their last run shared, which a repeat usually matches. */
  private readonly lastSharedArgs = new Map<Call, SharedArgs>();
  private readonly inferred = new Map<Readonly<Record<string, Value>>, Map<Shape, Inferred>>();
  private readonly shapes = new Map<string, KnownShape>();

  /** The record shared by earlier calls of `spec` with the same literal arguments (`literalArgsKey`), if any. */
  knownArgs(spec: LayerSpec, textKey: string): SharedArgs | undefined {
    return this.sharedArgs.get(spec)?.get(textKey);
  }

  /** The record shared by every call of `spec` that resolved to the same arguments in the same order. */
  shareArgs(call: Call, spec: LayerSpec, values: Readonly<Record<string, Value>>, textKey: string | undefined): SharedArgs {
    let byKey = this.sharedArgs.get(spec);
    if (!byKey) {
      byKey = new Map();
      this.sharedArgs.set(spec, byKey);
    }
    if (textKey !== undefined) {
      const known = byKey.get(textKey);
      if (known) return known;
    } else {
      // A resolution without a report sets the same keys in the same order each time, so comparing values suffices.
      const last = this.lastSharedArgs.get(call);
      if (last && sameArgValues(last.values, values)) return last;
    }
    const contentKey = argsKey(values);
    let shared = byKey.get(contentKey);
    if (!shared) {
      shared = { values, tensors: null, ok: true, shared: true };
      byKey.set(contentKey, shared);
    }
    if (textKey !== undefined) byKey.set(textKey, shared);
    else this.lastSharedArgs.set(call, shared);
    return shared;
  }

  /** A shape rule's result for a shared record on an input of this shape, when it ran before without a report. */
  inferredFor(values: Readonly<Record<string, Value>>, shape: KnownShape): Inferred | undefined {
    const byShape = this.inferred.get(values);
    if (!byShape) return undefined;
    // Shapes are compared by identity here, so key and results use one array per distinct shape.
    return byShape.get(shape) ?? byShape.get(this.canonicalShape(shape));
  }

  /** Remembers a result that reported nothing, for a canonical input shape; its shapes become canonical too. */
  remember(values: Readonly<Record<string, Value>>, canonical: KnownShape, inputShapes: readonly Shape[], result: LayerResult): Inferred {
    let byShape = this.inferred.get(values);
    if (!byShape) {
      byShape = new Map();
      this.inferred.set(values, byShape);
    }
    const inferred: Inferred = {
      inputShapes,
      result: { ...result, output: result.output && this.canonicalShape(result.output), outputs: result.outputs?.map((s) => this.canonicalShape(s)) },
    };
    byShape.set(canonical, inferred);
    return inferred;
  }

  /** One array per distinct shape. */
  canonicalShape(shape: KnownShape): KnownShape {
    const key = shape.join(',');
    const known = this.shapes.get(key);
    if (known) return known;
    this.shapes.set(key, shape);
    return shape;
  }
}

/** A block call site a recorded expansion expanded, with what `recordCall` got. */
export interface NestedCall {
  readonly call: Call;
  readonly block: BlockItem;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: number;
  readonly macs: number;
}

/**
 * One block expansion as it ran, to be replayed for a call with the same key
 * (`expansionKey`): its layers, renumbered, renamed and re-fed from the new
 * input, with their receptive fields grown again from the new input's.
 */
export interface Expansion {
  /** The layers as they were made, in order. */
  readonly layers: readonly Layer[];
  /** Each layer's shape rule result, for its receptive field. */
  readonly results: readonly (LayerResult | null)[];
  /** Per layer and input: -1 for the block's input, else which of `layers` made it. */
  readonly inputFrom: readonly (readonly number[])[];
  /** The call stack's length inside the expansion: the recorded stacks' first entries are the caller's. */
  readonly callDepth: number;
  /** The expansion's scope path, which every layer's name and scope path start with. */
  readonly scopePath: string;
  /** Per layer: its name and its scope path after `scopePath`, cut once here rather than on every replay. */
  readonly nameSuffixes: readonly string[];
  readonly scopeSuffixes: readonly string[];
  /** Statements executed and tensors made. */
  readonly steps: number;
  readonly tensors: number;
  /** Whether some layer took the block's input (which a statement outside may be watching). */
  readonly takesInput: boolean;
  /** The block calls inside, in the order they were recorded. */
  readonly calls: readonly NestedCall[];
  /** The result: null for the block's input itself. */
  readonly output: ExpansionOutput | null;
}

/** The tensor an expansion gives, relative to the expansion. */
export interface ExpansionOutput {
  /** Its id minus the first id the expansion made. */
  readonly id: number;
  /** Which of the expansion's layers made it, and which of that layer's outputs it is. */
  readonly layer: number;
  readonly slot: number;
  readonly shape: KnownShape;
  readonly label: string;
  readonly origin: Span;
  readonly resultOf: Span | null;
  /** Set when it is a name for the tensor first made (see `TensorRef.original`). */
  readonly original: { readonly label: string; readonly origin: Span; readonly resultOf: Span | null } | null;
}

/** Recorded expansions, per block and key. */
export class ExpansionMemo {
  private readonly byBlock = new Map<BlockItem, Map<string, Expansion>>();

  get(block: BlockItem, key: string): Expansion | undefined {
    return this.byBlock.get(block)?.get(key);
  }

  set(block: BlockItem, key: string, expansion: Expansion): void {
    let byKey = this.byBlock.get(block);
    if (!byKey) {
      byKey = new Map();
      this.byBlock.set(block, byKey);
    }
    byKey.set(key, expansion);
  }
}

/**
 * What an expansion of a block depends on besides the block: the chain of
 * blocks calling it (which decides recursion and depth errors inside), the
 * input's shape, every parameter's value and the model input's rank (which a
 * layer's parameters may depend on). Undefined when some value is not one an
 * expansion can be replayed for (a tensor, or unknown).
 */
export function expansionKey(blockChain: readonly string[], input: KnownShape, values: readonly EvalValue[], modelRank: number): string | undefined {
  let key = `${blockChain.join('/')}|${input.join(',')}|${modelRank}`;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!isPlainValue(value, 0)) return undefined;
    key += `;${valueKey(value as Value)}`;
  }
  return key;
}

/** A number, string, boolean or list of them: what `valueKey` keys exactly. */
function isPlainValue(value: EvalValue, depth: number): boolean {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return true;
  if (Array.isArray(value) && depth < 8) return value.every((v) => isPlainValue(v, depth + 1));
  return false;
}
