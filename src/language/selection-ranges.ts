/**
 * Smart select: from the word under the cursor out through the expression,
 * the argument, the call, the statement, the body and the item.
 */
import type { Argument, Body, Call, Expr, Program, Span, Statement } from './ast';

/** Spans holding the offset, outermost first, without repeats. */
export function enclosingSpans(program: Program, text: string, offset: number): Span[] {
  const spans: Span[] = [{ start: 0, end: text.length }];
  const holds = (span: Span) => span.start <= offset && offset <= span.end;
  const push = (span: Span) => {
    const last = spans[spans.length - 1];
    if (holds(span) && (span.start !== last.start || span.end !== last.end) && last.start <= span.start && span.end <= last.end) spans.push(span);
  };

  // Down the one child that holds the offset, in a loop: expressions nest as deep as the text is long.
  const visitExpr = (root: Expr) => {
    let expr: Expr | undefined = root;
    while (expr && holds(expr.span)) {
      push(expr.span);
      switch (expr.kind) {
        case 'unary':
          expr = expr.operand;
          break;
        case 'binary':
          expr = holds(expr.left.span) ? expr.left : expr.right;
          break;
        case 'tuple':
        case 'dims':
        case 'list':
          expr = holding(expr.items, offset);
          break;
        default:
          expr = undefined;
      }
    }
  };
  const visitArgument = (arg: Argument) => {
    if (!holds(arg.span)) return;
    push(arg.span);
    if (arg.name && holds(arg.name.span)) push(arg.name.span);
    else visitExpr(arg.value);
  };
  const visitCall = (call: Call) => {
    if (!holds(call.span)) return;
    push(call.span);
    if (holds(call.callee.span)) push(call.callee.span);
    else if (call.args.length > 0) {
      const first = call.args[0].span.start;
      const last = call.args[call.args.length - 1].span.end;
      if (call.args.length > 1) push({ start: first, end: last });
      const arg = holding(call.args, offset);
      if (arg) visitArgument(arg);
    }
  };
  const visitBody = (body: Body) => {
    if (!holds(body.span)) return;
    push(body.span);
    // The body's contents without the braces.
    if (body.span.end - body.span.start >= 2) push({ start: body.span.start + 1, end: body.span.end - 1 });
    const statement = holding(body.statements, offset);
    if (statement) visitStatement(statement);
  };
  const visitStatement = (statement: Statement) => {
    if (!holds(statement.span)) return;
    push(statement.span);
    switch (statement.kind) {
      case 'layer':
        for (const target of statement.targets) if (holds(target.span)) push(target.span);
        if (statement.label && holds(statement.label.span)) push(statement.label.span);
        for (const call of statement.stages) visitCall(call);
        break;
      case 'input':
        if (holds(statement.name.span)) push(statement.name.span);
        visitExpr(statement.shape);
        for (const arg of statement.args) visitArgument(arg);
        break;
      case 'let':
        if (holds(statement.name.span)) push(statement.name.span);
        visitExpr(statement.value);
        break;
      case 'weights':
        visitExpr(statement.path);
        break;
      case 'repeat':
        visitExpr(statement.count);
        visitBody(statement.body);
        break;
      case 'if':
        visitExpr(statement.condition);
        visitBody(statement.then);
        if (statement.else) visitBody(statement.else);
        break;
    }
  };

  for (const item of program.items) {
    if (!holds(item.span)) continue;
    push(item.span);
    if (holds(item.name.span)) push(item.name.span);
    if (item.kind === 'block') for (const param of item.params) if (holds(param.span)) push(param.span);
    visitBody(item.body);
    break;
  }
  return spans;
}

/**
 * The first of `nodes` (in source order, not overlapping) whose span holds
 * `offset`, found by bisection: a request may ask for many positions in a body
 * of a hundred thousand statements.
 */
function holding<T extends { readonly span: Span }>(nodes: readonly T[], offset: number): T | undefined {
  let low = 0;
  let high = nodes.length;
  // The first node that ends at or after the offset.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (nodes[mid].span.end < offset) low = mid + 1;
    else high = mid;
  }
  const node = nodes[low];
  return node && node.span.start <= offset ? node : undefined;
}
