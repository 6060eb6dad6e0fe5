/**
 * Inlay hints as text: `→ 64×56×56` at the end of each layer statement, and
 * optionally its parameter count. Offsets only; the server builds positions.
 */
import type { Body, Call, Program, Span, Statement } from './ast';
import { formatCompact, formatCount, formatShape, type ShapeNotation } from './notation';
import type { Analysis, CallSummary, Layer, Shape } from './types';

export interface InlayHintOptions {
  readonly notation: ShapeNotation;
  /** `→ 64×56×56` after each layer statement. */
  readonly outputShape: boolean;
  /** The statement's parameter count after plain layers too (block calls always show theirs with the shape). */
  readonly params: boolean;
  /** Only hints whose offset falls in this span. */
  readonly within?: Span;
}

export interface InlayHintText {
  /** Where the hint goes: the end of the statement. */
  readonly offset: number;
  readonly label: string;
  /** Markdown: each stage of the statement with its shapes and params. */
  readonly tooltip: string;
}

/** How many different shapes one statement may list (a block body expanded with different arguments). */
const maxShapesShown = 3;

type LayerStatement = Extract<Statement, { kind: 'layer' }>;

export function inlayHints(analysis: Analysis, options: InlayHintOptions): InlayHintText[] {
  if (!options.outputShape && !options.params) return [];
  const index = indexBySpan(analysis);
  const hints: InlayHintText[] = [];
  for (const statement of layerStatements(analysis.program)) {
    const at = statement.span.end;
    if (options.within && (at < options.within.start || at > options.within.end)) continue;
    const hint = statementHint(statement, index, options);
    if (hint) hints.push(hint);
  }
  return hints;
}

interface SpanIndex {
  readonly layers: Map<string, Layer[]>;
  readonly calls: Map<string, CallSummary>;
}

const key = (span: Span) => `${span.start}:${span.end}`;

/** Built once per analysis: the server asks for hints range by range as the editor scrolls. */
const indexes = new WeakMap<Analysis, SpanIndex>();

function indexBySpan(analysis: Analysis): SpanIndex {
  let index = indexes.get(analysis);
  if (!index) {
    index = buildIndex(analysis);
    indexes.set(analysis, index);
  }
  return index;
}

function buildIndex(analysis: Analysis): SpanIndex {
  const layers = new Map<string, Layer[]>();
  for (const layer of analysis.layers) {
    const k = key(layer.span);
    const list = layers.get(k);
    if (list) list.push(layer);
    else layers.set(k, [layer]);
  }
  const calls = new Map<string, CallSummary>();
  for (const call of analysis.calls) calls.set(key(call.span), call);
  return { layers, calls };
}

/** One stage of a statement as it ran: a layer (first expansion) or a block call. */
interface StageResult {
  readonly label: string;
  readonly inputShape: Shape;
  readonly outputs: readonly (readonly Shape[])[];
  readonly params: number;
  /** The parameter count is unknown (an error before or at the layer). */
  readonly paramsUnknown: boolean;
  readonly isBlockCall: boolean;
  /** For a block call: how often the call site ran. Its summary describes the first run only. */
  readonly expansions: number;
}

function stageResult(call: Call, index: SpanIndex): StageResult | null {
  const summary = index.calls.get(key(call.span));
  if (summary) {
    return {
      label: summary.block,
      inputShape: summary.inputShape,
      outputs: [[summary.outputShape]],
      params: summary.params,
      paramsUnknown: summary.outputShape === null,
      isBlockCall: true,
      expansions: summary.expansions,
    };
  }
  const layers = index.layers.get(key(call.span));
  if (!layers || layers.length === 0) return null;
  const first = layers[0];
  return {
    label: first.kind,
    inputShape: first.inputShapes[0] ?? null,
    outputs: layers.map((l) => l.outputShapes ?? [l.outputShape]),
    params: first.params,
    paramsUnknown: first.paramsUnknown === true,
    isBlockCall: false,
    expansions: layers.length,
  };
}

function statementHint(statement: LayerStatement, index: SpanIndex, options: InlayHintOptions): InlayHintText | null {
  const results = statement.stages.map((call) => stageResult(call, index));
  const last = results.at(-1);
  // The last stage did not run (an untaken branch, an uncalled block) or is a bare tensor name.
  if (!last) return null;
  const stages = results.filter((s): s is StageResult => s !== null);

  const distinct = [...new Set(last.outputs.map((shapes) => shapes.map((s) => formatShape(s, options.notation)).join(', ')))];
  const params = stages.reduce((sum, s) => sum + s.params, 0);
  const paramsKnown = stages.every((s) => !s.paramsUnknown);
  // Past an error the shape is unknown, but the parameters may still be known (`conv 64, k=3, in=32`): show those.
  const shapeUnknown = distinct.every((text) => text === '?');
  if (shapeUnknown && !(paramsKnown && params > 0)) return null;

  const parts: string[] = [];
  if (options.outputShape) {
    const shown = distinct.slice(0, maxShapesShown).join(' | ');
    parts.push(`→ ${shown}${distinct.length > maxShapesShown ? ' | …' : ''}`);
  }
  const hasBlockCall = stages.some((s) => s.isBlockCall);
  if (paramsKnown && (options.params || shapeUnknown || (hasBlockCall && options.outputShape))) {
    parts.push(paramsText(params));
  }
  if (parts.length === 0) return null;
  // A block call inside a block or a repeat ran several times; its summary is the first run's.
  if (last.isBlockCall && last.expansions > 1) parts[parts.length - 1] += ` (first of ${last.expansions})`;

  const tooltip = stages
    .map((s) => `\`${s.label}\` ${formatShape(s.inputShape, options.notation)} → ${s.outputs[0].map((o) => formatShape(o, options.notation)).join(', ')} · ${s.paramsUnknown ? '?' : formatCount(s.params)} params`)
    .join('  \n');
  return { offset: statement.span.end, label: parts.join(' · '), tooltip };
}

function paramsText(params: number): string {
  return `${params < 1e6 ? formatCount(params) : formatCompact(params)} params`;
}

function* layerStatements(program: Program): Iterable<LayerStatement> {
  for (const item of program.items) yield* bodyStatements(item.body);
}

function* bodyStatements(body: Body): Iterable<LayerStatement> {
  for (const statement of body.statements) {
    if (statement.kind === 'layer') yield statement;
    else if (statement.kind === 'repeat') yield* bodyStatements(statement.body);
    else if (statement.kind === 'if') {
      yield* bodyStatements(statement.then);
      if (statement.else) yield* bodyStatements(statement.else);
    }
  }
}
