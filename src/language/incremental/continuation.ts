/**
 * Reuse of the rest of an analysis after an edit inside one top-level model
 * statement. The model's later statements read the analyzer's state and
 * nothing else of the edited statement: the current tensor, the bindings,
 * the name counters, the symbols, the call records, what was reported, the
 * layer and tensor counts. When that state, taken after the edited statement,
 * is the same as the previous version's there (its spans moved by the edit),
 * the rest of the analysis is the previous one's with its spans moved, and
 * the edited statement's own layers, diagnostics and call sites are the new
 * run's. `test/language/incremental/continuation.test.ts` and the other incremental tests compare
 * every such result with a fresh `analyze()`.
 */
import { byStart, modelSettings } from '../analyze';
import type { ModelItem, Program, Span } from '../ast';
import { callSummary, type CallRecord } from '../analyzer-state';
import { checkRunMemory } from '../run-memory';
import type { Analysis, CallSummary, Diagnostic, SymbolInfo } from '../types';
import { sameAnalyzerState, type Checkpoint } from './checkpoint';
import { Shift, shiftCall, shiftDiagnostic, shifted, shiftLayers, shiftSymbol, type TextEdit } from './offsets';

/** A whole analysis and what its run reported after its checkpoint, in the order reported. */
export interface Continued {
  readonly analysis: Analysis;
  readonly diagnosticsAfter: readonly Diagnostic[];
}

/** The state after the statement being edited, and the analysis that went on from it. */
export interface Continuation extends Continued {
  readonly checkpoint: Checkpoint;
}

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
    if (before.modelIndex !== now.modelIndex || !sameAnalyzerState(before.state, now.state, { shift, editedBefore, editedNow })) return null;
    for (const d of previous.diagnosticsAfter) {
      // Only the unused-name check, at the end, and the next statement dropping the edited one's
      // result (unused-branch, on the whole statement; the same when the state after it is) report inside it after it ran.
      if (inside(d.span, editedBefore) && d.code !== 'unused-name' && !(d.code === 'unused-branch' && sameSpan(d.span, editedBefore))) return null;
      // Tensors made in the edited statement may come from elsewhere in it now (see `sameTensor`).
      if (d.related?.some((r) => inside(r.span, editedBefore))) return null;
    }
    const totalParams = now.state.totalParams + (old.model!.totalParams - before.state.totalParams);
    const totalMacs = now.state.totalMacs + (old.model!.totalMacs - before.state.totalMacs);
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
    const layers = now.state.layers.concat(shiftLayers(old.layers.slice(now.state.layers.length), shift));
    const memory = checkRunMemory(model, layers);
    const analysis = {
      text,
      program,
      model,
      layers,
      diagnostics: (memory.diagnostic ? now.state.diagnostics.concat(diagnosticsAfter, memory.diagnostic) : now.state.diagnostics.concat(diagnosticsAfter)).sort(byStart),
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
  const earlier: CallRecord[] = [...before.state.calls.values()];
  let j = 0;
  for (const record of now.state.calls.values()) {
    if (inside(record.first.span, editedNow)) {
      calls.push(callSummary(record));
      continue;
    }
    while (inside(earlier[j].first.span, editedBefore)) j++;
    calls.push(shiftCall(oldCalls[j++], shift));
  }
  for (let k = earlier.length; k < oldCalls.length; k++) calls.push(shiftCall(oldCalls[k], shift));
  return calls;
}
