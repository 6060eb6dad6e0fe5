/**
 * Checkpoints: copies of the analyzer's run state (analyzer-state.ts) between two
 * top-level statements of the model body, taken through the analyzer's
 * `betweenStatements` hook. A later version of the text that starts the same
 * resumes from one; the state after an edited statement is compared with the
 * previous version's to reuse the rest of its analysis (continuation.ts).
 *
 * `STATE_FIELDS` says, for every field of the run state, how to copy it
 * and how to compare two versions of it; its type makes a field without an
 * entry a compile error, and test/language/incremental/checkpoint.test.ts
 * changes each field and expects the comparison to refuse.
 */
import type { ModelItem, Program, Span } from '../ast';
import { isIdent, isTensorHandle, type EvalValue } from '../evaluate';
import { statementOffset, syntaxBefore, type ParseResume } from '../parser';
import type { Binding, CallRecord, AnalyzerState, SymbolRecord, TensorRef } from '../analyzer-state';
import type { CallExpansion, Diagnostic, Shape } from '../types';
import type { Shift } from './offsets';

/**
 * The analyzer's state before a statement of the model body, and what it
 * depends on. Never modified once taken: a run resuming from it works on a
 * copy (`resumeState`).
 */
export interface Checkpoint {
  /** Taken before this statement of the model body... */
  readonly index: number;
  /** ...which starts here; the text before this offset is what the state depends on (with `spans`). */
  readonly offset: number;
  /** Whether `index` was the statement count: then the statement before it ran as the model's last, whose names count as used. */
  readonly atEnd: boolean;
  /** How many items precede the model, which is the last item. */
  readonly modelIndex: number;
  /** Starts and ends of the items before the model, the model's name and body start, and the body statements before `index`. */
  readonly spans: Int32Array;
  readonly modelSpan: Span;
  readonly bodySpan: Span;
  /** The syntax before `offset`, which a later version reuses (see `parseResuming`). */
  readonly syntax: ParseResume;
  readonly state: AnalyzerState;
}

/**
 * The checkpoint before statement `index` of `model`, the body the analyzer is
 * running with `state`; null where none can be taken (the model is not the
 * program's last item, or a syntax error comes before the statement).
 */
export function takeCheckpoint(program: Program, model: ModelItem, index: number, state: AnalyzerState): Checkpoint | null {
  const items = program.items;
  const modelIndex = items.length - 1;
  if (items[modelIndex] !== model) return null;
  const statements = model.body.statements;
  const offset = statementOffset(model, index);
  const errors = program.errors;
  for (let i = 0; i < errors.length; i++) if (errors[i].span.start < offset) return null;
  const spans = new Int32Array(2 * modelIndex + 3 + 2 * index);
  let k = 0;
  for (let i = 0; i < modelIndex; i++) {
    spans[k++] = items[i].span.start;
    spans[k++] = items[i].span.end;
  }
  spans[k++] = model.name.span.start;
  spans[k++] = model.name.span.end;
  spans[k++] = model.body.span.start;
  for (let i = 0; i < index; i++) {
    spans[k++] = statements[i].span.start;
    spans[k++] = statements[i].span.end;
  }
  return {
    index,
    offset,
    atEnd: index === statements.length,
    modelIndex,
    spans,
    modelSpan: model.span,
    bodySpan: model.body.span,
    syntax: syntaxBefore(program, model, index),
    state: copyAnalyzerState(state, new CopyContext(null)),
  };
}

/**
 * Whether `program` (parsed from a text that starts with the checkpoint's text
 * up to `checkpoint.offset`) parsed that part as the checkpointed one did: the
 * same items before its one model, which is its last item, the same body
 * statements before the checkpoint, and no syntax error before it. Then the
 * analysis up to the checkpoint would be the same.
 */
export function checkpointFits(checkpoint: Checkpoint, program: Program): boolean {
  const items = program.items;
  const { modelIndex, spans, index } = checkpoint;
  if (items.length !== modelIndex + 1) return false;
  const model = items[modelIndex];
  if (model.kind !== 'model') return false;
  const statements = model.body.statements;
  if (statements.length < index || (statements.length === index) !== checkpoint.atEnd) return false;
  for (const error of program.errors) if (error.span.start < checkpoint.offset) return false;
  let k = 0;
  for (let i = 0; i < modelIndex; i++) {
    const span = items[i].span;
    if (items[i].kind !== 'block' || span.start !== spans[k++] || span.end !== spans[k++]) return false;
  }
  if (model.name.span.start !== spans[k++] || model.name.span.end !== spans[k++] || model.body.span.start !== spans[k++]) return false;
  for (let i = 0; i < index; i++) {
    const span = statements[i].span;
    if (span.start !== spans[k++] || span.end !== spans[k++]) return false;
  }
  return true;
}

/**
 * A run state for resuming `model` (of a program `checkpointFits` accepted)
 * from the checkpoint: a copy the run may modify, with the symbols scoped to
 * the model moved to its spans (everything else lies before the checkpoint's
 * offset, so did not move).
 */
export function resumeState(checkpoint: Checkpoint, model: ModelItem): AnalyzerState {
  return copyAnalyzerState(checkpoint.state, new CopyContext({ modelSpan: checkpoint.modelSpan, bodySpan: checkpoint.bodySpan, newModelSpan: model.span, newBodySpan: model.body.span }));
}

/** How the previous version's state (`a` below) and the new one's (`b`) correspond after an edit inside one statement. */
export interface Correspondence {
  readonly shift: Shift;
  /** The edited statement's span in each. */
  readonly editedBefore: Span;
  readonly editedNow: Span;
}

/**
 * Whether the rest of the model, run on from state `a` in the previous
 * version and from `b` in the new one, gives the same results (spans moved by
 * the edit): every field compared as `STATE_FIELDS` says.
 */
export function sameAnalyzerState(a: AnalyzerState, b: AnalyzerState, to: Correspondence): boolean {
  for (const key of STATE_KEYS) {
    if (!(STATE_FIELDS[key].same as (x: unknown, y: unknown, to: Correspondence) => boolean)(a[key], b[key], to)) return false;
  }
  return true;
}

function copyAnalyzerState(state: AnalyzerState, context: CopyContext): AnalyzerState {
  const copy: Partial<Record<keyof AnalyzerState, unknown>> = {};
  for (const key of STATE_KEYS) copy[key] = (STATE_FIELDS[key].copy as (x: unknown, c: CopyContext) => unknown)(state[key], context);
  return copy as AnalyzerState;
}

/** How to copy one field of the run state and compare two versions of it. */
interface FieldOps<T> {
  /** A copy that a run may modify without changing `value`, and that changes when `value` does not. */
  copy(value: T, context: CopyContext): T;
  /** Whether the rest of the model reads the same from `a` (the previous version's) as from `b`. */
  same(a: T, b: T, to: Correspondence): boolean;
}

const same = <T>(a: T, b: T): boolean => a === b;
const keep = <T>(value: T): T => value;

/** Every field of the run state: a field without an entry here does not compile. Cheap comparisons first. */
const STATE_FIELDS: { readonly [K in keyof AnalyzerState]-?: FieldOps<AnalyzerState[K]> } = {
  tensorCount: { copy: keep, same },
  steps: { copy: keep, same },
  budgetExceeded: { copy: keep, same },
  // The edited statement's own layers are the new run's; only their number tells on the rest (layer ids).
  layers: { copy: (layers) => layers.slice(), same: (a, b) => a.length === b.length },
  // The rest adds the same to either total (`continueAnalysis` carries the difference), exactly while below 2^53.
  totalParams: { copy: keep, same: (a, b) => Number.isSafeInteger(a) && Number.isSafeInteger(b) },
  totalMacs: { copy: keep, same: (a, b) => Number.isSafeInteger(a) && Number.isSafeInteger(b) },
  // Tensors are never modified once a statement is over (see `TensorRef.resultOf`).
  current: { copy: keep, same: (a, b, to) => sameTensor(a, b, to) },
  modelInput: { copy: keep, same: (a, b, to) => sameTensor(a, b, to) },
  diagnostics: {
    copy: (diagnostics) => diagnostics.slice(),
    same: (a, b, to) => {
      // The unused-name check runs at the end; a statement never reports it.
      for (const d of a) if (d.code === 'unused-name') return false;
      for (const d of b) if (d.code === 'unused-name') return false;
      return sameOutside(a, b, to, (d) => d.span, (x, y) => sameDiagnostic(x, y, to.shift));
    },
  },
  calls: {
    copy: (calls) => {
      const copy = new Map<number, CallRecord>();
      for (const [start, record] of calls) copy.set(start, { first: record.first, count: record.count, more: record.more && record.more.slice() });
      return copy;
    },
    same: (a, b, to) => sameOutside([...a.values()], [...b.values()], to, (c) => c.first.span, (x, y) => sameCallRecord(x, y, to.shift)),
  },
  symbols: {
    copy: (symbols, context) => {
      const copy = new Map<number, SymbolRecord>();
      for (const symbol of symbols.values()) {
        const moved = context.symbol(symbol);
        copy.set(moved.definition.start, moved);
      }
      return copy;
    },
    same: (a, b, to) => {
      if (a.size !== b.size) return false;
      const theirs = b.values();
      for (const symbol of a.values()) if (!sameSymbol(symbol, theirs.next().value!, to.shift)) return false;
      return true;
    },
  },
  names: {
    copy: (names, context) => {
      const copy = new Map<string, Binding>();
      for (const [name, binding] of names) copy.set(name, binding.symbol ? { ...binding, symbol: context.symbol(binding.symbol) } : binding);
      return copy;
    },
    same: (a, b, to) => {
      if (a.size !== b.size) return false;
      const theirs = b.entries();
      for (const [name, binding] of a) {
        const [otherName, other] = theirs.next().value!;
        if (name !== otherName || !sameBinding(binding, other, to)) return false;
      }
      return true;
    },
  },
  calledBlocks: { copy: (blocks) => new Set(blocks), same: (a, b) => sameSet(a, b) },
  labels: { copy: (labels) => new Set(labels), same: (a, b) => sameSet(a, b) },
  dryRunSpans: {
    copy: (starts) => new Set(starts),
    same: (a, b, to) => {
      if (a.size !== b.size) return false;
      for (const start of a) if (!b.has(to.shift.start(start))) return false;
      return true;
    },
  },
  counters: {
    copy: (counters) => new Map(counters),
    same: (a, b) => {
      if (a.size !== b.size) return false;
      for (const [name, n] of a) if (b.get(name) !== n) return false;
      return true;
    },
  },
};

const STATE_KEYS = Object.keys(STATE_FIELDS) as (keyof AnalyzerState)[];

/** Where a checkpoint's symbols scoped to the model move to. */
interface ModelSpans {
  readonly modelSpan: Span;
  readonly bodySpan: Span;
  readonly newModelSpan: Span;
  readonly newBodySpan: Span;
}

/**
 * One copy per symbol record, however many fields refer to it (the symbols
 * and the bindings). A copy shares its original's references until either
 * changes them (`sharedReferences`); the originals are marked here, as the
 * run may go on changing them.
 */
class CopyContext {
  private readonly copies = new Map<SymbolRecord, SymbolRecord>();

  constructor(private readonly moved: ModelSpans | null) {}

  symbol(symbol: SymbolRecord): SymbolRecord {
    let copy = this.copies.get(symbol);
    if (copy) return copy;
    let scope = symbol.scope;
    const moved = this.moved;
    if (moved) scope = scope === moved.modelSpan ? moved.newModelSpan : scope === moved.bodySpan ? moved.newBodySpan : scope;
    copy = { name: symbol.name, kind: symbol.kind, definition: symbol.definition, scope, references: symbol.references, sharedReferences: true, isResult: symbol.isResult };
    symbol.sharedReferences = true;
    if ('shape' in symbol) copy.shape = symbol.shape;
    this.copies.set(symbol, copy);
    return copy;
  }
}

function inside(span: Span, statement: Span): boolean {
  return span.start >= statement.start && span.end <= statement.end;
}

/** The items of `a` and `b` outside their edited statements are the same, in the same order. */
function sameOutside<T>(a: readonly T[], b: readonly T[], to: Correspondence, spanOf: (x: T) => Span, same: (x: T, y: T) => boolean): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && inside(spanOf(a[i]), to.editedBefore)) i++;
    while (j < b.length && inside(spanOf(b[j]), to.editedNow)) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (!same(a[i++], b[j++])) return false;
  }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic, shift: Shift): boolean {
  if (a.code !== b.code || a.severity !== b.severity || a.message !== b.message || a.suggestion !== b.suggestion || !shift.same(a.span, b.span)) return false;
  const x = a.related ?? [];
  const y = b.related ?? [];
  if (x.length !== y.length || (a.related === undefined) !== (b.related === undefined)) return false;
  for (let i = 0; i < x.length; i++) if (x[i].message !== y[i].message || !shift.same(x[i].span, y[i].span)) return false;
  return true;
}

function sameCallRecord(a: CallRecord, b: CallRecord, shift: Shift): boolean {
  if (a.count !== b.count || a.first.block !== b.first.block || !shift.same(a.first.span, b.first.span)) return false;
  if (!sameExpansion(a.first, b.first)) return false;
  const x = a.more ?? [];
  const y = b.more ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!sameExpansion(x[i], y[i])) return false;
  return true;
}

function sameExpansion(a: CallExpansion, b: CallExpansion): boolean {
  return a.params === b.params && a.macs === b.macs && sameNumbers(a.inputShape, b.inputShape) && sameNumbers(a.outputShape, b.outputShape);
}

function sameSymbol(a: SymbolRecord, b: SymbolRecord, shift: Shift): boolean {
  if (a.name !== b.name || a.kind !== b.kind || a.isResult !== b.isResult || 'shape' in a !== 'shape' in b || !sameNumbers(a.shape ?? null, b.shape ?? null)) return false;
  if (!shift.same(a.definition, b.definition) || !shift.same(a.scope, b.scope) || a.references.size !== b.references.size) return false;
  const theirs = b.references.values();
  for (const span of a.references.values()) if (!shift.same(span, theirs.next().value!)) return false;
  return true;
}

function sameBinding(a: Binding, b: Binding, to: Correspondence): boolean {
  if (a.kind !== b.kind) return false;
  if (a.symbol === null ? b.symbol !== null : b.symbol === null || !to.shift.same(a.symbol.definition, b.symbol.definition)) return false;
  if (a.kind === 'tensor') return sameTensor(a.tensor, (b as typeof a).tensor, to);
  return sameValue(a.value, (b as typeof a).value, to);
}

/**
 * The same tensor, made or bound at the same place; a tensor made in the
 * edited statement may come from elsewhere in it (a call's span there ends
 * where the edit does). Its origin only shows in related information, and
 * `continueAnalysis` takes nothing whose related information points there.
 */
function sameTensor(a: TensorRef | null, b: TensorRef | null, to: Correspondence): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a.id !== b.id || a.producer !== b.producer || a.slot !== b.slot || a.label !== b.label || !sameNumbers(a.shape, b.shape)) return false;
  if (!(inside(a.origin, to.editedBefore) && inside(b.origin, to.editedNow)) && !to.shift.same(a.origin, b.origin)) return false;
  // A result the next statement must take (the edited statement's own, so inside it in both).
  if ((a.resultOf === null) !== (b.resultOf === null)) return false;
  if (a.field === null || b.field === null ? a.field !== b.field : !sameNumbers(a.field.receptiveField, b.field.receptiveField) || !sameNumbers(a.field.jump, b.field.jump)) return false;
  // A renamed tensor keeps the one first made.
  if (a.original === a || b.original === b) return a.original === a && b.original === b;
  return sameTensor(a.original, b.original, to);
}

function sameValue(a: EvalValue, b: EvalValue, to: Correspondence): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i], to));
  if (isTensorHandle(a)) return isTensorHandle(b) && sameTensor(a as TensorRef, b as TensorRef, to);
  if (isIdent(a)) return isIdent(b) && a.ident === b.ident && to.shift.same(a.span, b.span);
  return false;
}

function sameNumbers(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
