/**
 * Reuse of the rest of an analysis after an edit inside one top-level model
 * statement. The model's later statements read the analyzer's state and
 * nothing else of the edited statement: the current tensor, the bindings,
 * the name counters, the symbols, the call records, what was reported, the
 * layer and tensor counts. When that state, taken after the edited statement,
 * is the same as the previous version's there (its spans moved by the edit),
 * the rest of the analysis is the previous one's with its spans moved, and
 * the edited statement's own layers, diagnostics and call sites are the new
 * run's. `test/language/suffix.test.ts` and the incremental tests compare
 * every such result with a fresh `analyze()`.
 */
import { byStart, callSummary, modelSettings, type Binding, type CallRecord, type Checkpoint, type Continuation, type Continued, type ModelItem, type SymbolRecord, type TensorRef } from './analyze';
import type { Program, Span } from './ast';
import { isIdent, isTensorHandle, type EvalValue } from './evaluate';
import { Shift, shiftCall, shiftDiagnostic, shifted, shiftLayers, shiftSymbol, type TextEdit } from './shift';
import { checkRunMemory } from './run-memory';
import type { CallExpansion, CallSummary, Diagnostic, Shape, SymbolInfo } from './types';

/**
 * The analysis of `text` (parsed to `program`, whose model is `item`) from the
 * previous version's `continuation`, given the new run's state `now` before
 * the same statement; null when it cannot be shown to be the one a full run
 * gives.
 */
export function continueAnalysis(previous: Continuation, edit: TextEdit, now: Checkpoint, text: string, program: Program, item: ModelItem): Continued | null {
  const before = previous.checkpoint;
  const old = previous.analysis;
  // Syntax errors are reported first and checkpoints hold none; a text without them keeps this simple.
  if (!old.model || program.errors.length > 0 || old.program.errors.length > 0 || before.index !== now.index) return null;
  const shift = new Shift(edit);
  return shifted(() => {
    if (!sameStatementsAfter(old.program, item, now.index, shift)) return null;
    const editedBefore = editedStatement(before);
    const editedNow = editedStatement(now);
    if (!sameState(before, now, { shift, editedBefore, editedNow })) return null;
    for (const d of previous.diagnosticsAfter) {
      // Only the unused-name check, at the end, and the next statement dropping the edited one's
      // result (unused-branch, on the whole statement; the same when the state after it is) report inside it after it ran.
      if (inside(d.span, editedBefore) && d.code !== 'unused-name' && !(d.code === 'unused-branch' && sameSpan(d.span, editedBefore))) return null;
      // Tensors made in the edited statement may come from elsewhere in it now (see `sameTensor`).
      if (d.related?.some((r) => inside(r.span, editedBefore))) return null;
    }
    const totalParams = now.totalParams + (old.model!.totalParams - before.totalParams);
    const totalMacs = now.totalMacs + (old.model!.totalMacs - before.totalMacs);
    // Sums of whole numbers are exact only below 2^53.
    if (!Number.isSafeInteger(totalParams) || !Number.isSafeInteger(totalMacs) || !Number.isSafeInteger(old.model!.totalParams) || !Number.isSafeInteger(old.model!.totalMacs)) return null;

    // The edited statement's span is the new run's, wherever in it the edit fell.
    const diagnosticsAfter = previous.diagnosticsAfter.map((d) => (d.code === 'unused-branch' && sameSpan(d.span, editedBefore) ? { ...d, span: editedNow } : shiftDiagnostic(d, shift)));
    const model = {
      name: item.name.name,
      nameSpan: item.name.span,
      span: item.span,
      inputName: old.model!.inputName,
      inputShape: old.model!.inputShape,
      outputShape: old.model!.outputShape,
      totalParams,
      totalMacs,
      ...modelSettings(item),
    };
    const layers = now.layers.concat(shiftLayers(old.layers.slice(now.layers.length), shift));
    const memory = checkRunMemory(model, layers);
    const analysis = {
      text,
      program,
      model,
      layers,
      diagnostics: (memory.diagnostic ? now.diagnostics.concat(diagnosticsAfter, memory.diagnostic) : now.diagnostics.concat(diagnosticsAfter)).sort(byStart),
      symbols: shift.none ? old.symbols : old.symbols.map((s: SymbolInfo) => shiftSymbol(s, shift)),
      calls: continuedCalls(before, now, old.calls, editedBefore, editedNow, shift),
      peakMemoryBytes: memory.peakMemoryBytes,
    };
    return { analysis, diagnosticsAfter };
  });
}

/** Whether the model statements from `index` on are the previous program's, moved by the edit. */
function sameStatementsAfter(previous: Program, item: ModelItem, index: number, shift: Shift): boolean {
  const model = previous.items[previous.items.length - 1];
  if (!model || model.kind !== 'model') return false;
  const was = model.body.statements;
  const now = item.body.statements;
  if (was.length !== now.length || index >= now.length) return false;
  // The same object is a statement the parse took from the previous tree and will move by the edit (see `parseResumingReusing`).
  for (let i = index; i < now.length; i++) if (was[i] !== now[i] && !shift.same(was[i].span, now[i].span)) return false;
  return true;
}

/** The statement a checkpoint was taken after: the last of the spans it records. */
function editedStatement(checkpoint: Checkpoint): Span {
  const spans = checkpoint.spans;
  return { start: spans[spans.length - 2], end: spans[spans.length - 1] };
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end;
}

function inside(span: Span, statement: Span): boolean {
  return span.start >= statement.start && span.end <= statement.end;
}

/**
 * The call summaries in the order a full run records them: the sites recorded
 * before the checkpoint, then those the rest of the model added. The edited
 * statement's own sites are the new run's; the others, which the rest may
 * have expanded again, the previous analysis's.
 */
function continuedCalls(before: Checkpoint, now: Checkpoint, oldCalls: readonly CallSummary[], editedBefore: Span, editedNow: Span, shift: Shift): CallSummary[] {
  const calls: CallSummary[] = [];
  let j = 0;
  for (const record of now.calls) {
    if (inside(record.first.span, editedNow)) {
      calls.push(callSummary(record));
      continue;
    }
    while (inside(before.calls[j].first.span, editedBefore)) j++;
    calls.push(shiftCall(oldCalls[j++], shift));
  }
  for (let k = before.calls.length; k < oldCalls.length; k++) calls.push(shiftCall(oldCalls[k], shift));
  return calls;
}

// ---- the state, compared field by field (every field of `Checkpoint` the rest of the model reads) ----

/** How the previous version (`a` below) and the new one (`b`) correspond. */
interface Correspondence {
  readonly shift: Shift;
  /** The edited statement's span in each. */
  readonly editedBefore: Span;
  readonly editedNow: Span;
}

function sameState(a: Checkpoint, b: Checkpoint, to: Correspondence): boolean {
  const { shift, editedBefore: editedA, editedNow: editedB } = to;
  if (a.layers.length !== b.layers.length || a.tensorCount !== b.tensorCount || a.steps !== b.steps || a.modelIndex !== b.modelIndex) return false;
  if (!sameTensor(a.current, b.current, to) || !sameTensor(a.modelInput, b.modelInput, to)) return false;
  if (!sameOutside(a.diagnostics, b.diagnostics, editedA, editedB, (d) => d.span, (x, y) => sameDiagnostic(x, y, shift))) return false;
  // The unused-name check runs at the end; a statement never reports it.
  for (const d of a.diagnostics) if (d.code === 'unused-name') return false;
  for (const d of b.diagnostics) if (d.code === 'unused-name') return false;
  if (!sameOutside(a.calls, b.calls, editedA, editedB, (c) => c.first.span, (x, y) => sameCallRecord(x, y, shift))) return false;
  if (a.symbols.length !== b.symbols.length) return false;
  for (let i = 0; i < a.symbols.length; i++) if (!sameSymbol(a.symbols[i], b.symbols[i], shift)) return false;
  if (a.names.length !== b.names.length) return false;
  for (let i = 0; i < a.names.length; i++) {
    if (a.names[i][0] !== b.names[i][0] || !sameBinding(a.names[i][1], b.names[i][1], to)) return false;
  }
  if (!sameSet(a.calledBlocks, b.calledBlocks) || !sameSet(a.labels, b.labels)) return false;
  if (!sameSet(a.dryRunSpans.map((start) => shift.start(start)), b.dryRunSpans)) return false;
  if (a.counters.length !== b.counters.length) return false;
  const counters = new Map(b.counters);
  for (const [name, n] of a.counters) if (counters.get(name) !== n) return false;
  return true;
}

/** The items of `a` and `b` outside their edited statements are the same, in the same order. */
function sameOutside<T>(a: readonly T[], b: readonly T[], editedA: Span, editedB: Span, spanOf: (x: T) => Span, same: (x: T, y: T) => boolean): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && inside(spanOf(a[i]), editedA)) i++;
    while (j < b.length && inside(spanOf(b[j]), editedB)) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (!same(a[i++], b[j++])) return false;
  }
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(b);
  return a.every((x) => set.has(x));
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
