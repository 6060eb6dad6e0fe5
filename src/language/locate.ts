/**
 * What is at an offset: the call, argument, statement, symbol or word there,
 * and what the analysis made of a call. Hover, quick fixes and navigation all
 * ask the same questions of the same tree, so they ask here.
 *
 * Spans are half-open ([start, end)), so an offset at a span's end is past it,
 * unless a function says otherwise.
 */
import type { Argument, Body, Call, Identifier, Item, Program, Span, Statement } from './ast';
import type { Analysis, CallSummary, Layer, SymbolInfo } from './types';

export type LayerStatement = Extract<Statement, { kind: 'layer' }>;

/** Whether the offset falls in the span. */
export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset < span.end;
}

export function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end;
}

/** A call found at an offset, with the statement and the item (model or block) it is in. */
export interface CallAt {
  readonly call: Call;
  readonly statement: LayerStatement;
  readonly item: Item;
  /** Set when the offset is on the statement's label (`stem:`). */
  readonly label?: Identifier;
}

/**
 * The call whose span holds the offset. On a statement's label (`stem:`),
 * the labelled call: the pipeline's first.
 */
export function callAt(program: Program, offset: number): CallAt | null {
  const item = itemAt(program, offset);
  const statement = item && statementIn(item.body, offset);
  if (!item || !statement) return null;
  if (statement.label && contains(statement.label.span, offset)) {
    return statement.stages[0] ? { call: statement.stages[0], statement, item, label: statement.label } : null;
  }
  const call = statement.stages.find((c) => contains(c.span, offset));
  return call ? { call, statement, item } : null;
}

/** The layer statement (pipeline) whose span holds the offset, inside repeats and branches too. */
export function layerStatementAt(program: Program, offset: number): LayerStatement | null {
  const item = itemAt(program, offset);
  return item ? statementIn(item.body, offset) : null;
}

/** The model or block whose span holds the offset. */
export function itemAt(program: Program, offset: number): Item | null {
  return program.items.find((item) => contains(item.span, offset)) ?? null;
}

function statementIn(body: Body, offset: number): LayerStatement | null {
  for (const statement of body.statements) {
    if (!contains(statement.span, offset)) continue;
    switch (statement.kind) {
      case 'layer':
        return statement;
      case 'repeat':
        return statementIn(statement.body, offset);
      case 'if':
        return statementIn(statement.then, offset) ?? (statement.else ? statementIn(statement.else, offset) : null);
      default:
        return null;
    }
  }
  return null;
}

/** The argument of a call whose span (keyword and value) holds the offset. */
export function argumentAt(call: Call, offset: number): Argument | null {
  return call.args.find((a) => contains(a.span, offset)) ?? null;
}

export interface SymbolAtOptions {
  /** Also match an offset just after a name, where a cursor that has finished typing it sits. */
  readonly includeEnd?: boolean;
}

/** The symbol whose definition or one of whose references is at the offset, with that span. */
export function symbolAt(analysis: Analysis, offset: number, options: SymbolAtOptions = {}): { readonly symbol: SymbolInfo; readonly span: Span } | null {
  const at = options.includeEnd ? (span: Span) => span.start <= offset && offset <= span.end : (span: Span) => contains(span, offset);
  for (const symbol of analysis.symbols) {
    if (at(symbol.definition)) return { symbol, span: symbol.definition };
    const reference = symbol.references.find(at);
    if (reference) return { symbol, span: reference };
  }
  return null;
}

/**
 * The word (a run of letters, digits and `_`) at the offset, read from the
 * text rather than the tree: it finds words the tree does not keep as nodes,
 * such as `in` inside a block.
 */
export function wordAt(text: string, offset: number): Identifier | null {
  if (offset < 0 || offset >= text.length || !isWordChar(text.charCodeAt(offset))) return null;
  let start = offset;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  let end = offset + 1;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  return { name: text.slice(start, end), span: { start, end } };
}

/** As `\w` matches: ASCII letters, digits and `_`. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Every layer a call expanded to (several inside repeats and blocks called more than once), in order. */
export function layersOf(analysis: Analysis, call: Call): Layer[] {
  return analysis.layers.filter((l) => sameSpan(l.span, call.span));
}

/** The totals of a block call site, or undefined for a layer call or a call that did not run. */
export function callSummaryOf(analysis: Analysis, call: Call): CallSummary | undefined {
  return analysis.calls.find((c) => sameSpan(c.span, call.span));
}
