/**
 * The outline: the model and each block, with the input, `let`s and layers
 * inside them, each with its shape. A layer statement is listed by its label
 * or the tensors it names, else by its call (`conv 6, k=5`), with the shape it
 * gives (the first expansion's, in a block). Linear in the document: shapes are
 * looked up in maps built once per request.
 */
import type { Body, Call, Identifier, Item, Span, Statement } from './ast';
import { formatCompact, formatShape, type ShapeNotation } from './notation';
import type { Analysis, Shape } from './types';

/** What an outline entry is: an item, a block parameter, the input, a `let`, a labelled statement, a named tensor, or an unnamed layer statement. */
export type OutlineKind = 'model' | 'block' | 'parameter' | 'input' | 'let' | 'label' | 'tensor' | 'layer';

export interface OutlineSymbol {
  readonly name: string;
  readonly kind: OutlineKind;
  /** The shape, signature or value shown beside the name. */
  readonly detail: string;
  /** The whole statement or item. */
  readonly span: Span;
  /** The name, inside `span`. */
  readonly selectionSpan: Span;
  /** An item's entries; only items have them. */
  readonly children?: OutlineSymbol[];
}

/** Longest layer name shown, in characters: a call's source text, cut at this length. */
const MAX_LAYER_NAME = 60;

const key = (span: Span) => `${span.start}:${span.end}`;

/** The shapes an outline shows, by span: of named tensors, and of each call's first expansion. */
interface Shapes {
  readonly tensors: Map<string, Shape | undefined>;
  readonly calls: Map<string, Shape>;
}

/** The outline of an analysed document: its models and blocks, in source order. */
export function documentSymbols(analysis: Analysis, notation: ShapeNotation): OutlineSymbol[] {
  const shapes: Shapes = { tensors: new Map(), calls: new Map() };
  // The first of each, as analysis records them in order.
  for (const s of analysis.symbols) if (!shapes.tensors.has(key(s.definition))) shapes.tensors.set(key(s.definition), s.shape);
  for (const layer of analysis.layers) if (!shapes.calls.has(key(layer.span))) shapes.calls.set(key(layer.span), layer.outputShape);
  for (const call of analysis.calls) if (!shapes.calls.has(key(call.span))) shapes.calls.set(key(call.span), call.outputShape);
  const outline = new Outline(analysis, shapes, notation);
  return analysis.program.items.map((item) => outline.item(item));
}

class Outline {
  constructor(
    private readonly analysis: Analysis,
    private readonly shapes: Shapes,
    private readonly notation: ShapeNotation,
  ) {}

  item(item: Item): OutlineSymbol {
    const children: OutlineSymbol[] = [];
    if (item.kind === 'block') {
      for (const param of item.params) children.push(this.symbol(param.name, param.span, 'parameter', 'parameter'));
    }
    this.body(item.body, children);
    let detail: string;
    const model = this.analysis.model;
    if (item.kind === 'model') {
      detail =
        model && model.name === item.name.name
          ? `${formatShape(model.inputShape, this.notation)} → ${formatShape(model.outputShape, this.notation)} · ${formatCompact(model.totalParams)} params`
          : 'model';
    } else {
      detail = `(${item.params.map((p) => p.name.name).join(', ')})`;
    }
    return { ...this.symbol(item.name, item.span, item.kind, detail), children };
  }

  private body(body: Body, out: OutlineSymbol[]): void {
    for (const statement of body.statements) this.statement(statement, out);
  }

  private statement(statement: Statement, out: OutlineSymbol[]): void {
    switch (statement.kind) {
      case 'input':
        out.push(this.symbol(statement.name, statement.span, 'input', this.tensorShape(statement.name)));
        break;
      case 'let':
        out.push(this.symbol(statement.name, statement.span, 'let', this.analysis.text.slice(statement.value.span.start, statement.value.span.end)));
        break;
      case 'layer': {
        const last = statement.stages[statement.stages.length - 1];
        const shape = last ? this.shapes.calls.get(key(last.span)) : undefined;
        const output = shape === undefined ? '' : formatShape(shape, this.notation);
        if (statement.label) {
          const callees = statement.stages.map((s) => s.callee.name).join(' | ');
          out.push(this.symbol(statement.label, statement.span, 'label', output ? `${callees} → ${output}` : callees));
        }
        for (const target of statement.targets) out.push(this.symbol(target, statement.span, 'tensor', this.tensorShape(target)));
        if (!statement.label && statement.targets.length === 0 && statement.stages.length > 0) out.push(this.layer(statement.stages, statement.span, output));
        break;
      }
      case 'repeat':
        this.body(statement.body, out);
        break;
      case 'if':
        this.body(statement.then, out);
        if (statement.else) this.body(statement.else, out);
        break;
      case 'weights':
        break;
    }
  }

  /** An unnamed layer statement, named by its calls' text (`conv 6, k=5 | tanh`). */
  private layer(stages: readonly Call[], span: Span, output: string): OutlineSymbol {
    const first = stages[0];
    const end = Math.min(stages[stages.length - 1].span.end, first.span.start + MAX_LAYER_NAME + 1);
    let name = this.analysis.text.slice(first.span.start, end).replace(/\s+/g, ' ');
    if (name.length > MAX_LAYER_NAME) name = `${name.slice(0, MAX_LAYER_NAME - 1)}…`;
    const callee: Identifier = { ...first.callee, name };
    return this.symbol(callee, span, 'layer', output);
  }

  private tensorShape(name: Identifier): string {
    const shape = this.shapes.tensors.get(key(name.span));
    return shape === undefined ? '' : formatShape(shape, this.notation);
  }

  private symbol(name: Identifier, span: Span, kind: OutlineKind, detail: string): OutlineSymbol {
    // The selection (the name) must lie inside the whole, as the LSP requires of a document symbol.
    const range: Span = { start: Math.min(span.start, name.span.start), end: Math.max(span.end, name.span.end) };
    return { name: name.name || '?', kind, detail, span: range, selectionSpan: name.span };
  }
}
