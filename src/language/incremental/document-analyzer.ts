/**
 * Analysis of successive versions of one document. An edit leaves the text
 * before it unchanged, and so the analysis of the model statements before it:
 * a run keeps a checkpoint of the analyzer's state before the statement being
 * edited, and the next version resumes from it when it still fits (see
 * `checkpointFits`). An edit that leaves the syntax as it was (whitespace, a
 * comment's text) reuses the previous analysis whole, its spans moved (see
 * unchanged-syntax.ts). A run also keeps the state after the edited statement,
 * and the next version's run stops there when its state is the same, reusing
 * the rest of the analysis (see continuation.ts). Only the text the edit
 * reached is parsed again (see reparse.ts). The result is always the one
 * `analyze(text)` gives.
 *
 * Everything here goes through the analyzer's one hook between model
 * statements (`RunHooks`); the analyzer knows nothing of it.
 */
import { analyzeWithHooks } from '../analyze';
import type { ModelItem, Program } from '../ast';
import { parse, parseResuming, statementOffset, syntaxBefore } from '../parser';
import type { AnalyzerState } from '../analyzer-state';
import type { Analysis } from '../types';
import { checkpointFits, resumeState, takeCheckpoint, type Checkpoint } from './checkpoint';
import { continueAnalysis, type Continuation, type Continued } from './continuation';
import type { TextEdit } from './offsets';
import { parseResumingReusing, parseReusingItems } from './reparse';
import { mayKeepSyntax, shiftAnalysis } from './unchanged-syntax';

/**
 * A new checkpoint costs a copy of the state before it; an old one still
 * serves while the edits stay this few statements after it.
 */
const CHECKPOINT_REUSE_STATEMENTS = 32;

/**
 * Analyses versions of one document, reusing what the previous version's
 * analysis can tell. An analysis it returns holds until the next call, which
 * may take its syntax tree over and move spans in it (see relocate.ts): use it
 * before analysing the next version, as the server does.
 */
export class DocumentAnalyzer {
  private previousText: string | null = null;
  private checkpoint: Checkpoint | null = null;
  private previousAnalysis: Analysis | null = null;
  /** The previous version's state after its edited statement, and its analysis (see continuation.ts). */
  private continuation: Continuation | null = null;

  analyze(text: string): Analysis {
    const previous = this.previousText;
    const kept = this.checkpoint;
    let previousAnalysis = this.previousAnalysis;
    const previousProgram = previousAnalysis?.program ?? null;
    let continuation = this.continuation;
    // Should analysis throw (a broken invariant), the next version starts afresh.
    this.previousText = null;
    this.checkpoint = null;
    this.previousAnalysis = null;
    this.continuation = null;
    const unchanged = previous === null ? -1 : commonPrefixLength(previous, text);
    let resume = kept && unchanged >= kept.offset ? kept : null;
    const edit = previous === null ? null : editBetween(previous, text, unchanged);
    // Dropped unless the edit may keep the syntax, so the collector never traces two analyses of the document.
    if (previousAnalysis && !(edit && mayKeepSyntax(previous!, text, edit, previousAnalysis.program))) previousAnalysis = null;
    // Parse only what the edit reached and take the rest of the previous syntax tree, moved into place:
    // after the checkpoint, the statements from the first the edit did not reach; before the model, the
    // items after the edited one. Moving consumes the previous tree, and the previous analysis (kept for an
    // edit that may keep the syntax) or a continuation compares with it as it was: then the move waits.
    let program: Program | null = null;
    let pending: (() => void) | null = null;
    if (edit && previousProgram) {
      const defer = previousAnalysis !== null || continuation !== null;
      // The previous tree up to the edited statement serves as the checkpoint's syntax does.
      const edited = statementAt(previousProgram, edit.start);
      const model = previousProgram.items[previousProgram.items.length - 1];
      const reused =
        edited < 0
          ? parseReusingItems(text, previousProgram, edit, defer)
          : model?.kind === 'model'
            ? parseResumingReusing(text, syntaxBefore(previousProgram, model, edited), previousProgram, edit, defer)
            : null;
      if (reused) ({ program, move: pending } = reused);
    }
    // The text before the checkpoint is the same, so is its syntax: parse only what follows.
    program ??= (resume && parseResuming(text, resume.syntax)) || parse(text);
    const finishMove = (): void => {
      pending?.();
      pending = null;
    };
    if (previousAnalysis && edit) {
      const shifted = shiftAnalysis(previousAnalysis, text, program, edit);
      // The shifted analysis holds moved copies of the spans it shares with the tree; a continuation,
      // which would compare with the previous analysis, no longer can once the tree moved.
      if (pending) continuation = null;
      finishMove();
      if (shifted) {
        // The checkpoint depends on the text before its offset only.
        this.checkpoint = kept && edit.start >= kept.offset ? kept : null;
        this.previousText = text;
        this.previousAnalysis = shifted;
        return shifted;
      }
      previousAnalysis = null;
    }
    if (resume && !checkpointFits(resume, program)) resume = null;
    let takeBefore = -1;
    let takeAfter = -1;
    if (previous !== null) {
      const edited = statementAt(program, unchanged);
      if (edited >= 0 && (!resume || edited - resume.index > CHECKPOINT_REUSE_STATEMENTS)) takeBefore = edited;
      if (edited >= 0) takeAfter = edited + 1;
    }
    // The previous version's continuation serves an edit in the same statement. Without one the
    // syntax tree is finished now (statementAt reads only the statements before the edit, which stay).
    let continueFrom = continuation && edit && continuation.checkpoint.index === takeAfter ? continueWith(continuation, edit, text, program, finishMove) : null;
    if (!continueFrom) finishMove();
    continuation = null;
    const parsed = program;
    let checkpoint: Checkpoint | null = null;
    let after: Checkpoint | null = null;
    let continued: Continued | null = null;
    const betweenStatements = (index: number, state: AnalyzerState, model: ModelItem): Analysis | null => {
      if (index === takeBefore) checkpoint = takeCheckpoint(parsed, model, index, state);
      // After the last statement there is nothing to reuse.
      if (index !== takeAfter || index >= model.body.statements.length) return null;
      after = takeCheckpoint(parsed, model, index, state);
      if (!continueFrom) return null;
      const reuse = continueFrom;
      // Cleared once called, so that the collector can free what it holds while the run goes on.
      continueFrom = null;
      continued = reuse(after, model);
      // The statements from here on may have moved (see `continueWith`): then so has the checkpoint's offset.
      if (after && after.offset !== statementOffset(model, index)) after = takeCheckpoint(parsed, model, index, state);
      return continued?.analysis ?? null;
    };
    const model = program.items[program.items.length - 1];
    const resumed = resume && model?.kind === 'model' ? { index: resume.index, state: resumeState(resume, model) } : null;
    const run = analyzeWithHooks(text, program, { resume: resumed, betweenStatements });
    // The run calls `continueFrom` before it reads the moved statements (they all follow the edited one).
    if (pending) throw new Error('the syntax tree taken from the previous version was not moved into place');
    // A checkpoint taken in this run is newer; a resumed one still holds for this text.
    this.checkpoint = checkpoint ?? resume;
    this.continuation = continuationOf(after, continued, run.analysis, run.state);
    this.previousText = text;
    this.previousAnalysis = run.analysis;
    return run.analysis;
  }
}

/** The continuation the run leaves: the state after the edited statement, and what came after it. */
function continuationOf(after: Checkpoint | null, continued: Continued | null, analysis: Analysis, state: AnalyzerState): Continuation | null {
  if (!after) return null;
  if (continued) return { checkpoint: after, ...continued };
  // What the run reported after the checkpoint, in the order reported.
  return { checkpoint: after, analysis, diagnosticsAfter: state.diagnostics.slice(after.state.diagnostics.length) };
}

/** What the run calls at the continuation's statement; it holds the previous analysis only until called. */
function continueWith(continuation: Continuation, edit: TextEdit, text: string, program: Program, move: () => void): (after: Checkpoint | null, item: ModelItem) => Continued | null {
  let held: Continuation | null = continuation;
  return (after, item) => {
    const previous = held!;
    held = null;
    // Compared and reused before the syntax tree they share moves (a reused analysis holds moved copies of its spans).
    const continued = after ? continueAnalysis(previous, edit, after, text, program, item) : null;
    move();
    return continued;
  };
}

/** The one replacement that turns `before` into `after`, which agree on their first `prefix` characters. */
function editBetween(before: string, after: string, prefix: number): TextEdit {
  const room = Math.min(before.length, after.length) - prefix;
  let suffix = 0;
  // Compare slices first, as `commonPrefixLength` does.
  let step = 64;
  while (suffix < room) {
    const take = Math.min(step, room - suffix);
    if (before.slice(before.length - suffix - take, before.length - suffix) === after.slice(after.length - suffix - take, after.length - suffix)) {
      suffix += take;
      step *= 2;
    } else if (take <= 16) {
      while (suffix < room && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
      break;
    } else {
      step = take >> 1;
    }
  }
  return { start: prefix, oldLength: before.length - prefix - suffix, newLength: after.length - prefix - suffix };
}

/**
 * Which top-level statement of the program's last item, a model, an edit at
 * `offset` falls in: the last that starts at or before it (the statement count
 * when after them all), or -1 when there is no such model or the offset is
 * before its body.
 */
function statementAt(program: Program, offset: number): number {
  const item = program.items[program.items.length - 1];
  if (!item || item.kind !== 'model' || offset <= item.body.span.start) return -1;
  const statements = item.body.statements;
  let low = 0;
  let high = statements.length;
  // The first statement that starts after `offset`.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (statements[mid].span.start <= offset) low = mid + 1;
    else high = mid;
  }
  // Past the end of the last statement (not at it, which would extend it): after them all.
  if (low === statements.length && statements.length > 0 && offset > statements[low - 1].span.end) return low;
  return Math.max(0, low - 1);
}

/** Length of the longest common prefix of two strings. */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  // Compare slices first: a string comparison is much faster than a loop over characters.
  let low = 0;
  let step = 4096;
  while (low < n) {
    const end = Math.min(n, low + step);
    if (a.slice(low, end) === b.slice(low, end)) {
      low = end;
      step *= 2;
    } else if (end - low <= 64) {
      while (low < end && a.charCodeAt(low) === b.charCodeAt(low)) low++;
      return low;
    } else {
      step = (end - low) >> 1;
    }
  }
  return n;
}
