/**
 * Moving syntax trees in place. After an edit, the statements and items that
 * follow it are the same text at another offset; reparse.ts takes them from
 * the previous parse and moves their spans by the edit's length difference
 * instead of parsing them again (a copy of the tree, or a set of the spans
 * moved, costs the collector more than the walk on a big model).
 *
 * Syntax trees are read-only everywhere else. Moving one in place is sound
 * only for its owner, the `DocumentAnalyzer`, which parsed it and hands out
 * analyses that hold until its next call; it takes the tree over with
 * `takeOver`, the one place a tree becomes mutable.
 */
import type { Item, Span, Statement } from '../ast';

/** A tree's mutable view: the same objects, with every field writable. */
type Mutable<T> = T extends number | string | boolean | undefined | null ? T : T extends readonly (infer E)[] ? Mutable<E>[] : { -readonly [K in keyof T]: Mutable<T[K]> };

type MutableSpan = Mutable<Span>;
type MutableItem = Mutable<Item>;
type MutableStatement = Mutable<Statement>;
type MutableBody = MutableItem['body'];
type MutableCall = Extract<MutableStatement, { kind: 'layer' }>['stages'][number];
type MutableArgument = MutableCall['args'][number];
type MutableIdentifier = MutableCall['callee'];
type MutableExpr = MutableArgument['value'];

/** Syntax to move: statements of a body, items of a program, comments. */
export interface Syntax {
  readonly statements?: readonly Statement[];
  readonly items?: readonly Item[];
  readonly comments?: readonly Span[];
}

/** The same syntax, taken over by its owner to be moved (see above). */
export interface OwnedSyntax {
  readonly statements?: readonly MutableStatement[];
  readonly items?: readonly MutableItem[];
  readonly comments?: readonly MutableSpan[];
}

/**
 * The mutable view of syntax the caller owns: no one else may read it once
 * it moves, as whatever still refers to it (an analysis of the old text) would
 * see some spans moved and some not.
 */
export function takeOver(syntax: Syntax): OwnedSyntax {
  return syntax as OwnedSyntax;
}

/**
 * Moves every span of `syntax` by `by`, each span object once: the parser
 * shares a span between a node and its only child where they have the same
 * extent (a bare call and its name, a positional argument and its value, a
 * one-call statement and its call, an `else if` body and its `if`). Knowing
 * where, the walk needs no set of the spans it moved (a set of every span of
 * a big model costs the collector more than the walk).
 */
export function relocateSyntax(syntax: OwnedSyntax, by: number): void {
  if (by === 0) return;
  const mover = new Mover(by);
  // Indexed loops: `for…of` over the parser's arrays allocated an iterator per body and argument list.
  const statements = syntax.statements ?? [];
  for (let i = 0; i < statements.length; i++) mover.statement(statements[i], null);
  const items = syntax.items ?? [];
  for (let i = 0; i < items.length; i++) mover.item(items[i]);
  const comments = syntax.comments ?? [];
  for (let i = 0; i < comments.length; i++) mover.span(comments[i]);
}

class Mover {
  private readonly pending: MutableExpr[] = [];

  constructor(private readonly by: number) {}

  span(span: MutableSpan): void {
    span.start += this.by;
    span.end += this.by;
  }

  item(item: MutableItem): void {
    this.span(item.span);
    this.identifier(item.name);
    this.body(item.body, null);
    if (item.kind === 'block') {
      for (let i = 0; i < item.params.length; i++) {
        const param = item.params[i];
        this.span(param.span);
        this.identifier(param.name);
        if (param.default) this.expr(param.default);
      }
    }
  }

  /** `shared`: a span of the parent's that is moved already. */
  private body(body: MutableBody, shared: MutableSpan | null): void {
    if (body.span !== shared) this.span(body.span);
    const statements = body.statements;
    for (let i = 0; i < statements.length; i++) this.statement(statements[i], body.span);
  }

  statement(statement: MutableStatement, shared: MutableSpan | null): void {
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
        for (let i = 0; i < statement.targets.length; i++) this.identifier(statement.targets[i]);
        for (let i = 0; i < statement.stages.length; i++) this.call(statement.stages[i], statement.span);
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

  private call(call: MutableCall, shared: MutableSpan): void {
    if (call.span !== shared) this.span(call.span);
    if (call.callee.span !== call.span) this.identifier(call.callee);
    this.arguments(call.args);
  }

  private arguments(args: readonly MutableArgument[]): void {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg.span !== arg.value.span) this.span(arg.span);
      if (arg.name) this.identifier(arg.name);
      this.expr(arg.value);
    }
  }

  private identifier(identifier: MutableIdentifier): void {
    this.span(identifier.span);
  }

  /**
   * Iterative: an expression nests as deep as the text is long (`1+1+…+1`).
   * Most are a literal or a name, moved without the stack; the stack is one
   * for the whole walk (an array per argument was most of what a move allocated).
   */
  private expr(root: MutableExpr): void {
    if (root.kind !== 'unary' && root.kind !== 'binary' && root.kind !== 'tuple' && root.kind !== 'dims' && root.kind !== 'list') {
      this.span(root.span);
      return;
    }
    const pending = this.pending;
    pending.push(root);
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
