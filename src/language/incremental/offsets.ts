/**
 * Where the offsets of one version of a text are in the next, after one
 * replacement, and the analysis records moved accordingly. A position inside
 * the replaced text has no counterpart: asking for one aborts the work that
 * asked (see `shifted`).
 */
import type { Span } from '../ast';
import type { CallSummary, Diagnostic, Layer, SymbolInfo } from '../types';

/** One replacement: `oldLength` characters at `start` became `newLength` others. */
export interface TextEdit {
  readonly start: number;
  readonly oldLength: number;
  readonly newLength: number;
}

/** Thrown inside `shiftAnalysis` when an offset falls inside the replaced text. */
const CANNOT_SHIFT = Symbol('cannot shift');

/** Where positions of the old text are in the new one. Its methods throw (see `shifted`) for a position inside the replaced text. */
export class Shift {
  private readonly replacedEnd: number;
  private readonly delta: number;

  constructor(private readonly edit: TextEdit) {
    this.replacedEnd = edit.start + edit.oldLength;
    this.delta = edit.newLength - edit.oldLength;
  }

  /** Whether no position moves. */
  get none(): boolean {
    return this.delta === 0;
  }

  /** Where a span starting at `x` starts now: what was at the replaced text's end moved with it. */
  start(x: number): number {
    if (x < this.edit.start) return x;
    if (x >= this.replacedEnd) return x + this.delta;
    throw CANNOT_SHIFT;
  }

  /** Where a span ending at `x` ends now: an end at the replaced text's start stays. */
  end(x: number): number {
    if (x <= this.edit.start) return x;
    if (x >= this.replacedEnd) return x + this.delta;
    throw CANNOT_SHIFT;
  }

  /** Whether a span is entirely before the edit, so it is unchanged. */
  before(span: Span): boolean {
    return span.start < this.edit.start && span.end <= this.edit.start;
  }

  span(span: Span): Span {
    if (this.before(span)) return span;
    const start = this.start(span.start);
    const end = this.end(span.end);
    if (end < start) throw CANNOT_SHIFT;
    return this.delta === 0 ? span : { start, end };
  }

  same(old: Span, now: Span): boolean {
    if (this.before(old)) return old.start === now.start && old.end === now.end;
    return this.start(old.start) === now.start && this.end(old.end) === now.end && now.start <= now.end;
  }
}

/** What `work` gives, or null when it asked a `Shift` where a position inside the replaced text went. */
export function shifted<T>(work: () => T | null): T | null {
  try {
    return work();
  } catch (error) {
    if (error === CANNOT_SHIFT) return null;
    throw error;
  }
}

export function shiftLayers(layers: readonly Layer[], shift: Shift): Layer[] {
  // Call stacks are shared by the layers of one expansion.
  const stacks = new Map<readonly Span[], readonly Span[]>();
  const result: Layer[] = new Array(layers.length);
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    let callStack = stacks.get(layer.callStack);
    if (!callStack) {
      callStack = layer.callStack.every((s) => shift.before(s)) ? layer.callStack : layer.callStack.map((s) => shift.span(s));
      stacks.set(layer.callStack, callStack);
    }
    const span = shift.span(layer.span);
    if (span === layer.span && callStack === layer.callStack) {
      result[i] = layer;
      continue;
    }
    // Built field by field, in `runLayer`'s order: a spread of a layer costs several times more.
    // Every key, so that a field added to layers and not here does not compile.
    const moved: { [K in keyof Required<Layer>]: Layer[K] } = {
      id: layer.id,
      name: layer.name,
      kind: layer.kind,
      op: layer.op,
      span,
      callStack,
      inputs: layer.inputs,
      inputSlots: layer.inputSlots,
      inputShapes: layer.inputShapes,
      outputShape: layer.outputShape,
      outputShapes: layer.outputShapes,
      args: layer.args,
      params: layer.params,
      paramsUnknown: layer.paramsUnknown,
      macs: layer.macs,
      activations: layer.activations,
      receptiveField: layer.receptiveField,
      jump: layer.jump,
      window: layer.window,
      transposed: layer.transposed,
      scopePath: layer.scopePath,
    };
    result[i] = moved;
  }
  return result;
}

export function shiftDiagnostic(d: Diagnostic, shift: Shift): Diagnostic {
  const span = shift.span(d.span);
  if (!d.related) return span === d.span ? d : { ...d, span };
  return { ...d, span, related: d.related.map((r) => ({ ...r, span: shift.span(r.span) })) };
}

export function shiftSymbol(s: SymbolInfo, shift: Shift): SymbolInfo {
  return { ...s, definition: shift.span(s.definition), references: s.references.map((r) => shift.span(r)), scope: shift.span(s.scope) };
}

export function shiftCall(c: CallSummary, shift: Shift): CallSummary {
  return shift.before(c.span) ? c : { ...c, span: shift.span(c.span) };
}
