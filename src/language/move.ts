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

/** Moves every span of `items` and `comments` by `by`, each span object once (the parser shares some between nodes). */
export function moveSyntax(items: readonly Item[], comments: readonly Span[], by: number): void {
  if (by === 0) return;
  const mover = new Mover(by);
  for (const item of items) mover.item(item);
  for (const comment of comments) mover.span(comment);
}

class Mover {
  private readonly moved = new Set<Span>();

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

  private statement(statement: Statement): void {
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
