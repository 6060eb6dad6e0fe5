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
 * Moves every span of `syntax` by `by`, each span object once: the parser
 * shares a span between a node and its only child where they have the same
 * extent (a bare call and its name, a positional argument and its value, a
 * one-call statement and its call, an `else if` body and its `if`). Knowing
 * where, the walk needs no set of the spans it moved (a set of every span of
 * a big model costs the collector more than the walk).
 */
export function moveSyntax(syntax: MovedSyntax, by: number): void {
  if (by === 0) return;
  const mover = new Mover(by);
  for (const statement of syntax.statements ?? []) mover.statement(statement, null);
  for (const item of syntax.items ?? []) mover.item(item);
  for (const comment of syntax.comments ?? []) mover.span(comment);
}

class Mover {
  constructor(private readonly by: number) {}

  span(span: Span): void {
    const s = span as MutableSpan;
    s.start += this.by;
    s.end += this.by;
  }

  item(item: Item): void {
    this.span(item.span);
    this.identifier(item.name);
    this.body(item.body, null);
    if (item.kind === 'block') {
      for (const param of item.params) {
        this.span(param.span);
        this.identifier(param.name);
        if (param.default) this.expr(param.default);
      }
    }
  }

  /** `shared`: a span of the parent's that is moved already. */
  private body(body: Body, shared: Span | null): void {
    if (body.span !== shared) this.span(body.span);
    for (const statement of body.statements) this.statement(statement, body.span);
  }

  statement(statement: Statement, shared: Span | null): void {
    if (statement.span !== shared) this.span(statement.span);
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
        for (const stage of statement.stages) this.call(stage, statement.span);
        return;
      case 'repeat':
        if (statement.index) this.identifier(statement.index);
        this.expr(statement.count);
        this.body(statement.body, null);
        return;
      case 'if':
        this.expr(statement.condition);
        this.body(statement.then, null);
        if (statement.else) this.body(statement.else, statement.span);
        return;
    }
  }

  private call(call: Call, shared: Span): void {
    if (call.span !== shared) this.span(call.span);
    if (call.callee.span !== call.span) this.identifier(call.callee);
    this.arguments(call.args);
  }

  private arguments(args: readonly Argument[]): void {
    for (const arg of args) {
      if (arg.span !== arg.value.span) this.span(arg.span);
      if (arg.name) this.identifier(arg.name);
      this.expr(arg.value);
    }
  }

  private identifier(identifier: Identifier): void {
    this.span(identifier.span);
  }

  /** Iterative: an expression nests as deep as the text is long (`1+1+…+1`). */
  private expr(root: Expr): void {
    const pending: Expr[] = [root];
    while (pending.length > 0) {
      const expr = pending.pop()!;
      this.span(expr.span);
      switch (expr.kind) {
        case 'unary':
          pending.push(expr.operand);
          break;
        case 'binary':
          pending.push(expr.right, expr.left);
          break;
        case 'tuple':
        case 'dims':
        case 'list':
          for (let i = expr.items.length - 1; i >= 0; i--) pending.push(expr.items[i]);
          break;
        default:
          break;
      }
    }
  }
}
