/**
 * Evaluation of argument expressions: arithmetic on numbers, tuples and dims,
 * lists, booleans, and names looked up in the current scope. A name that is
 * not in scope evaluates to an identifier, which the argument checker may
 * accept as an enum value (`same`, `sobel_x`, `bilinear`) or report.
 */
import type { Expr, Span } from './ast';
import { messages } from './messages';

/** A tensor as a value: a handle the analyzer understands. */
export interface TensorHandle {
  readonly tensor: true;
  readonly id: number;
}

/** An unresolved identifier, kept for enum arguments. */
export interface IdentValue {
  readonly ident: string;
  readonly span: Span;
}

/** `null` is a number (or anything) not known here: a dry run of an uncalled block. */
export type EvalValue = number | boolean | string | readonly EvalValue[] | TensorHandle | IdentValue | null;

export interface EvalScope {
  /** The value bound to a name, `undefined` when the name is unbound. Records the reference. */
  lookup(name: string, span: Span): EvalValue | undefined;
  report(span: Span, message: string): void;
}

/** The failure value; a diagnostic has been reported. */
export const FAILED: unique symbol = Symbol('failed');
export type EvalResult = EvalValue | typeof FAILED;

export function isTensorHandle(v: unknown): v is TensorHandle {
  return typeof v === 'object' && v !== null && (v as TensorHandle).tensor === true;
}

export function isIdent(v: unknown): v is IdentValue {
  return typeof v === 'object' && v !== null && typeof (v as IdentValue).ident === 'string';
}

/**
 * `n` itself, as a small integer when it is one. A number literal's value
 * comes out of the syntax tree boxed (the field also holds fractions); shapes,
 * parameter counts and MACs computed from boxed values are boxed in turn, and
 * V8 then boxes those fields in every layer: three allocations a layer.
 */
export function smallInteger(n: number): number {
  return n === (n | 0) && !Object.is(n, -0) ? n | 0 : n;
}

/** Deeper expressions are refused: the parser bounds nesting, but long operator chains nest too. */
export const MAX_EXPRESSION_DEPTH = 256;

/** Evaluates an expression; never throws, reports problems through the scope. */
export function evaluate(expr: Expr, scope: EvalScope, depth = 0): EvalResult {
  if (depth > MAX_EXPRESSION_DEPTH) {
    scope.report(expr.span, messages.expressionTooDeep(MAX_EXPRESSION_DEPTH));
    return FAILED;
  }
  switch (expr.kind) {
    case 'number':
      return inFloat32Range(expr.value, expr, scope);
    case 'string':
    case 'bool':
      return expr.value;
    case 'missing':
      return FAILED;
    case 'name': {
      const bound = scope.lookup(expr.name, expr.span);
      return bound === undefined ? { ident: expr.name, span: expr.span } : bound;
    }
    case 'tuple':
    case 'dims':
    case 'list': {
      const items: EvalValue[] = [];
      for (const item of expr.items) {
        const v = evaluate(item, scope, depth + 1);
        if (v === FAILED) return FAILED;
        items.push(v);
      }
      if (expr.kind === 'dims' && items.some((v) => typeof v !== 'number' && v !== null)) {
        scope.report(expr.span, messages.dimsNeedNumbers());
        return FAILED;
      }
      return items;
    }
    case 'unary': {
      const v = evaluate(expr.operand, scope, depth + 1);
      if (v === FAILED) return FAILED;
      if (v === null) return null;
      if (expr.op === '-') {
        if (typeof v === 'number') return -v;
        scope.report(expr.span, messages.operatorNeeds('-', 'a number'));
        return FAILED;
      }
      if (typeof v === 'boolean') return !v;
      scope.report(expr.span, messages.operatorNeeds('not', 'true or false'));
      return FAILED;
    }
    case 'binary':
      return binary(expr, scope, depth + 1);
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, scope: EvalScope, depth: number): EvalResult {
  const left = evaluate(expr.left, scope, depth);
  if (left === FAILED) return FAILED;
  if (expr.op === 'and' || expr.op === 'or') {
    if (left !== null && typeof left !== 'boolean') {
      scope.report(expr.left.span, messages.operatorNeeds(expr.op, 'true or false'));
      return FAILED;
    }
    if (left === false && expr.op === 'and') return false;
    if (left === true && expr.op === 'or') return true;
    const right = evaluate(expr.right, scope, depth);
    if (right === FAILED) return FAILED;
    if (right !== null && typeof right !== 'boolean') {
      scope.report(expr.right.span, messages.operatorNeeds(expr.op, 'true or false'));
      return FAILED;
    }
    return left === null || right === null ? null : right;
  }
  const right = evaluate(expr.right, scope, depth);
  if (right === FAILED) return FAILED;
  if (left === null || right === null) return null;
  if (expr.op === '==' || expr.op === '!=') {
    const same = sameValue(left, right);
    return expr.op === '==' ? same : !same;
  }
  if (typeof left !== 'number' || typeof right !== 'number') {
    scope.report(expr.span, messages.operatorNeeds(expr.op, 'numbers'));
    return FAILED;
  }
  switch (expr.op) {
    case '+':
      return inFloat32Range(left + right, expr, scope);
    case '-':
      return inFloat32Range(left - right, expr, scope);
    case '*':
      return inFloat32Range(left * right, expr, scope);
    case '/':
    case '//':
    case '%':
      if (right === 0) {
        scope.report(expr.right.span, messages.divisionByZero());
        return FAILED;
      }
      if (expr.op === '/') return inFloat32Range(left / right, expr, scope);
      if (expr.op === '//') return Math.floor(left / right);
      return left - right * Math.floor(left / right);
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
  return FAILED;
}

/** The largest float32: weights run as float32, so a number beyond it (`1e400`, `1e30 * 1e30`) would become ±Infinity. */
export const MAX_NUMBER = 3.4028234663852886e38;

function inFloat32Range(value: number, expr: Expr, scope: EvalScope): EvalResult {
  if (Math.abs(value) <= MAX_NUMBER) return smallInteger(value);
  scope.report(expr.span, messages.numberTooLarge('3.4e38'));
  return FAILED;
}

function sameValue(a: EvalValue, b: EvalValue): boolean {
  if (isIdent(a)) return isIdent(b) ? a.ident === b.ident : b === a.ident;
  if (isIdent(b)) return a === b.ident;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isTensorHandle(a) && isTensorHandle(b)) return a.id === b.id;
  return a === b;
}
