/**
 * Moving syntax trees in place. After an edit, the items that follow it are
 * the same text at another offset; `parseReusingItems` (parser.ts) takes them
 * from the previous parse and moves their spans by the edit's length
 * difference instead of parsing them again. The previous tree is consumed:
 * whatever still refers to it (an analysis of the old text) sees some spans
 * moved and some not, so it must not be used afterwards.
 */
import type { Argument, Body, Call, Expr, Identifier, Item, Span, Statement } from './ast';

type MutableSpan = { start: number; end: number };

/** What `moveSyntax` moves. */
export interface MovedSyntax {
  readonly statements?: readonly Statement[];
  readonly items?: readonly Item[];
  readonly comments?: readonly Span[];
}

/**
 * Moves every span of `syntax` by `by`, each span object once (the parser
 * shares some between nodes), and returns the span objects it moved (none
 * when `by` is 0), so that others that refer to them can tell.
 */
export function moveSyntax(syntax: MovedSyntax, by: number): ReadonlySet<Span> {
  const mover = new Mover(by);
  if (by === 0) return mover.moved;
  for (const statement of syntax.statements ?? []) mover.statement(statement);
  for (const item of syntax.items ?? []) mover.item(item);
  for (const comment of syntax.comments ?? []) mover.span(comment);
  return mover.moved;
}

class Mover {
  readonly moved = new Set<Span>();

  constructor(private readonly by: number) {}

  span(span: Span): void {
    if (this.moved.has(span)) return;
    this.moved.add(span);
    const s = span as MutableSpan;
    s.start += this.by;
    s.end += this.by;
  }

  item(item: Item): void {
    this.span(item.span);
    this.identifier(item.name);
    this.body(item.body);
    if (item.kind === 'block') {
      for (const param of item.params) {
        this.span(param.span);
        this.identifier(param.name);
        if (param.default) this.expr(param.default);
      }
    }
  }

  private body(body: Body): void {
    this.span(body.span);
    for (const statement of body.statements) this.statement(statement);
  }

  statement(statement: Statement): void {
    this.span(statement.span);
    switch (statement.kind) {
      case 'input':
        this.identifier(statement.name);
        this.expr(statement.shape);
        this.arguments(statement.args);
        return;
      case 'weights':
        this.expr(statement.path);
        return;
      case 'let':
        this.identifier(statement.name);
        this.expr(statement.value);
        return;
      case 'layer':
        if (statement.label) this.identifier(statement.label);
        for (const target of statement.targets) this.identifier(target);
        for (const stage of statement.stages) this.call(stage);
        return;
      case 'repeat':
        if (statement.index) this.identifier(statement.index);
        this.expr(statement.count);
        this.body(statement.body);
        return;
      case 'if':
        this.expr(statement.condition);
        this.body(statement.then);
        if (statement.else) this.body(statement.else);
        return;
    }
  }

  private call(call: Call): void {
    this.span(call.span);
    this.identifier(call.callee);
    this.arguments(call.args);
  }

  private arguments(args: readonly Argument[]): void {
    for (const arg of args) {
      this.span(arg.span);
      if (arg.name) this.identifier(arg.name);
      this.expr(arg.value);
    }
  }

  private identifier(identifier: Identifier): void {
    this.span(identifier.span);
  }

  private expr(expr: Expr): void {
    this.span(expr.span);
    switch (expr.kind) {
      case 'unary':
        this.expr(expr.operand);
        return;
      case 'binary':
        this.expr(expr.left);
        this.expr(expr.right);
        return;
      case 'tuple':
      case 'dims':
      case 'list':
        for (const item of expr.items) this.expr(item);
        return;
      default:
        return;
    }
  }
}
