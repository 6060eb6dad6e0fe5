/**
 * Reuse of an analysis across an edit that changes no syntax: whitespace
 * between tokens, or the text of a comment. When the new text parses to the
 * same tree as the old one except that the spans after the edit moved by the
 * edit's length difference, its analysis is the old one with the same spans
 * moved: analysis reads the text only through the tree (its only other use,
 * `literalArgsKey`, decides which identical records are shared, not what they
 * hold), and the spans it keys maps on and sorts by keep their order.
 */
import type { Argument, Body, Call, Expr, Identifier, Item, Program, Statement } from '../ast';
import type { Analysis } from '../types';
import { Shift, shiftCall, shiftDiagnostic, shifted, shiftLayers, shiftSymbol, type TextEdit } from './offsets';

/**
 * Whether an edit can only have changed whitespace or a comment's text, so
 * that comparing the trees (`shiftAnalysis`) is worth it: the replaced and the
 * replacing text are whitespace, or both lie inside one comment of `program`.
 */
export function mayKeepSyntax(oldText: string, newText: string, edit: TextEdit, program: Program): boolean {
  const removed = oldText.slice(edit.start, edit.start + edit.oldLength);
  const inserted = newText.slice(edit.start, edit.start + edit.newLength);
  if (/^[ \t\r\n]*$/.test(removed) && /^[ \t\r\n]*$/.test(inserted)) return true;
  if (/[\r\n]/.test(removed) || /[\r\n]/.test(inserted)) return false;
  // Inside a comment, after its `#`.
  const comments = program.comments;
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (comments[mid].start < edit.start) low = mid + 1;
    else high = mid;
  }
  const comment = comments[low - 1];
  return comment !== undefined && edit.start + edit.oldLength <= comment.end;
}

/**
 * The analysis of `text` (parsed to `program`) from the analysis of the text
 * before `edit`, when both parse the same apart from spans moved by the edit;
 * null when they do not (or some span would fall inside the replaced text).
 */
export function shiftAnalysis(previous: Analysis, text: string, program: Program, edit: TextEdit): Analysis | null {
  // Analysis reports a missing model only for a text that is not blank.
  if ((previous.text.trim().length > 0) !== (text.trim().length > 0)) return null;
  const shift = new Shift(edit);
  return shifted(() => {
    if (!sameProgram(previous.program, program, shift)) return null;
    return {
      text,
      program,
      model: previous.model && { ...previous.model, nameSpan: shift.span(previous.model.nameSpan), span: shift.span(previous.model.span) },
      layers: shiftLayers(previous.layers, shift),
      diagnostics: previous.diagnostics.map((d) => shiftDiagnostic(d, shift)),
      symbols: previous.symbols.map((s) => shiftSymbol(s, shift)),
      calls: previous.calls.map((c) => shiftCall(c, shift)),
      peakMemoryBytes: previous.peakMemoryBytes,
    };
  });
}

function sameProgram(old: Program, now: Program, shift: Shift): boolean {
  if (old.comments.length !== now.comments.length || old.items.length !== now.items.length || old.errors.length !== now.errors.length) return false;
  // The same object in both is one the parse took from the previous tree, to be moved by the edit (see `parseResumingReusing`).
  for (let i = 0; i < old.comments.length; i++) if (old.comments[i] !== now.comments[i] && !shift.same(old.comments[i], now.comments[i])) return false;
  for (let i = 0; i < old.errors.length; i++) {
    const a = old.errors[i];
    const b = now.errors[i];
    if (a.code !== b.code || a.message !== b.message || !shift.same(a.span, b.span)) return false;
  }
  for (let i = 0; i < old.items.length; i++) if (!sameItem(old.items[i], now.items[i], shift)) return false;
  return true;
}

// Syntax trees compared field by field (every field of the node types in ast.ts): the same values, and spans where the edit moved them.

function sameItem(a: Item, b: Item, shift: Shift): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || !sameIdentifier(a.name, b.name, shift) || !sameBody(a.body, b.body, shift) || !shift.same(a.span, b.span)) return false;
  if (a.kind === 'model' || b.kind === 'model') return true;
  if (a.params.length !== b.params.length) return false;
  for (let i = 0; i < a.params.length; i++) {
    const x = a.params[i];
    const y = b.params[i];
    if (!sameIdentifier(x.name, y.name, shift) || !sameOptionalExpr(x.default, y.default, shift) || !shift.same(x.span, y.span)) return false;
  }
  return true;
}

function sameBody(a: Body, b: Body, shift: Shift): boolean {
  if (a.statements.length !== b.statements.length || !shift.same(a.span, b.span)) return false;
  for (let i = 0; i < a.statements.length; i++) if (!sameStatement(a.statements[i], b.statements[i], shift)) return false;
  return true;
}

function sameStatement(a: Statement, b: Statement, shift: Shift): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || !shift.same(a.span, b.span)) return false;
  switch (a.kind) {
    case 'input': {
      const y = b as typeof a;
      return sameIdentifier(a.name, y.name, shift) && sameExpr(a.shape, y.shape, shift) && sameArguments(a.args, y.args, shift);
    }
    case 'weights':
      return sameExpr(a.path, (b as typeof a).path, shift);
    case 'let': {
      const y = b as typeof a;
      return sameIdentifier(a.name, y.name, shift) && sameExpr(a.value, y.value, shift);
    }
    case 'layer': {
      const y = b as typeof a;
      if (a.targets.length !== y.targets.length || a.stages.length !== y.stages.length) return false;
      if (a.label ? !y.label || !sameIdentifier(a.label, y.label, shift) : y.label) return false;
      for (let i = 0; i < a.targets.length; i++) if (!sameIdentifier(a.targets[i], y.targets[i], shift)) return false;
      for (let i = 0; i < a.stages.length; i++) if (!sameCall(a.stages[i], y.stages[i], shift)) return false;
      return true;
    }
    case 'repeat': {
      const y = b as typeof a;
      if (a.index ? !y.index || !sameIdentifier(a.index, y.index, shift) : y.index) return false;
      return sameExpr(a.count, y.count, shift) && sameBody(a.body, y.body, shift);
    }
    case 'if': {
      const y = b as typeof a;
      if (a.else ? !y.else || !sameBody(a.else, y.else, shift) : y.else) return false;
      return sameExpr(a.condition, y.condition, shift) && sameBody(a.then, y.then, shift);
    }
  }
}

function sameCall(a: Call, b: Call, shift: Shift): boolean {
  return a.parenthesized === b.parenthesized && sameIdentifier(a.callee, b.callee, shift) && sameArguments(a.args, b.args, shift) && shift.same(a.span, b.span);
}

function sameArguments(a: readonly Argument[], b: readonly Argument[], shift: Shift): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.name ? !y.name || !sameIdentifier(x.name, y.name, shift) : y.name) return false;
    if (!sameExpr(x.value, y.value, shift) || !shift.same(x.span, y.span)) return false;
  }
  return true;
}

function sameIdentifier(a: Identifier, b: Identifier, shift: Shift): boolean {
  return a.name === b.name && shift.same(a.span, b.span);
}

function sameOptionalExpr(a: Expr | undefined, b: Expr | undefined, shift: Shift): boolean {
  return a ? b !== undefined && sameExpr(a, b, shift) : b === undefined;
}

/** Pairs of subexpressions still to compare; one array for every call, which never nests. */
const pendingExprs: Expr[] = [];

/** Iterative: an expression nests as deep as the text is long (`1+1+…+1` is a chain of binary nodes). */
function sameExpr(a: Expr, b: Expr, shift: Shift): boolean {
  const pending = pendingExprs;
  pending.length = 0;
  let x = a;
  let y = b;
  for (;;) {
    if (!sameExprNode(x, y, shift, pending)) {
      pending.length = 0;
      return false;
    }
    if (pending.length === 0) return true;
    y = pending.pop()!;
    x = pending.pop()!;
  }
}

/** Compares one node's own fields, and queues its children as pairs for `sameExpr`. */
function sameExprNode(a: Expr, b: Expr, shift: Shift, pending: Expr[]): boolean {
  if (a.kind !== b.kind || !shift.same(a.span, b.span)) return false;
  switch (a.kind) {
    case 'number': {
      const y = b as typeof a;
      return Object.is(a.value, y.value) && a.raw === y.raw;
    }
    case 'string':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'name':
      return a.name === (b as typeof a).name;
    case 'unary': {
      const y = b as typeof a;
      if (a.op !== y.op) return false;
      pending.push(a.operand, y.operand);
      return true;
    }
    case 'binary': {
      const y = b as typeof a;
      if (a.op !== y.op) return false;
      pending.push(a.right, y.right, a.left, y.left);
      return true;
    }
    case 'tuple':
    case 'dims':
    case 'list': {
      const items = (b as typeof a).items;
      if (a.items.length !== items.length) return false;
      for (let i = items.length - 1; i >= 0; i--) pending.push(a.items[i], items[i]);
      return true;
    }
    case 'missing':
      return true;
  }
}

