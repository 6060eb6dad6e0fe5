/**
 * Smart select: from the word under the cursor out through the expression,
 * the argument, the call, the statement, the body and the item.
 */
import type { SelectionRange } from 'vscode-languageserver';
import type { Argument, Body, Call, Expr, Program, Span, Statement } from '../language/ast';
import type { Feature } from './server';

export const selectionRangesFeature: Feature = {
  capabilities: () => ({ selectionRangeProvider: true }),
  register(context) {
    context.connection.onSelectionRanges((params, token) =>
      context.answer('selectionRange', params.textDocument.uri, token, [] as SelectionRange[], (doc) =>
        params.positions.map((position) => {
          const offset = doc.lines.offsetAt(position);
          const spans = enclosingSpans(doc.analysis.program, doc.analysis.text, offset);
          let range: SelectionRange | undefined;
          for (const span of spans) range = { range: doc.lines.range(span), parent: range };
          return range ?? { range: { start: position, end: position } };
        }),
      ),
    );
  },
};

/** Spans holding the offset, outermost first, without repeats. */
export function enclosingSpans(program: Program, text: string, offset: number): Span[] {
  const spans: Span[] = [{ start: 0, end: text.length }];
  const holds = (span: Span) => span.start <= offset && offset <= span.end;
  const push = (span: Span) => {
    const last = spans[spans.length - 1];
    if (holds(span) && (span.start !== last.start || span.end !== last.end) && last.start <= span.start && span.end <= last.end) spans.push(span);
  };

  const visitExpr = (expr: Expr) => {
    if (!holds(expr.span)) return;
    push(expr.span);
    switch (expr.kind) {
      case 'unary':
        visitExpr(expr.operand);
        break;
      case 'binary':
        visitExpr(expr.left);
        visitExpr(expr.right);
        break;
      case 'tuple':
      case 'dims':
      case 'list':
        for (const item of expr.items) visitExpr(item);
        break;
      default:
        break;
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
      for (const arg of call.args) visitArgument(arg);
    }
  };
  const visitBody = (body: Body) => {
    if (!holds(body.span)) return;
    push(body.span);
    // The body's contents without the braces.
    if (body.span.end - body.span.start >= 2) push({ start: body.span.start + 1, end: body.span.end - 1 });
    for (const statement of body.statements) visitStatement(statement);
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
