import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/language/ast';
import { evaluate, FAILED, isIdent, MAX_EXPRESSION_DEPTH, type EvalScope, type EvalValue } from '../../src/language/evaluate';
import { parse } from '../../src/language/parser';

/** Evaluates the value of `let v = <source>` with the given bindings. */
function run(source: string, bindings: Record<string, EvalValue> = {}) {
  const program = parse(`model M {\n let v = ${source}\n}`);
  const statement = program.items[0].body.statements[0];
  if (statement.kind !== 'let') throw new Error('expected a let');
  const problems: string[] = [];
  const scope: EvalScope = {
    lookup: (name: string, _span: Span) => bindings[name],
    report: (_span: Span, message: string) => problems.push(message),
  };
  return { value: evaluate(statement.value, scope), problems };
}

describe('evaluate', () => {
  it('refuses numbers beyond the float32 range, written or computed (they would run as ±Infinity)', () => {
    expect(run('1e400')).toEqual({ value: FAILED, problems: ['a number beyond ±3.4e38 (the float32 range) is not allowed'] });
    expect(run('-1e30 * 1e30').problems).toEqual(['a number beyond ±3.4e38 (the float32 range) is not allowed']);
    expect(run('1 / 1e-320').value).toBe(FAILED);
    expect(run('3.4e38')).toEqual({ value: 3.4e38, problems: [] });
  });

  it('does arithmetic with Python-style floor division and modulo', () => {
    expect(run('c * 4 + 1', { c: 16 }).value).toBe(65);
    expect(run('c // 2', { c: 7 }).value).toBe(3);
    expect(run('-7 // 2').value).toBe(-4);
    expect(run('-7 % 3').value).toBe(2);
    expect(run('7 / 2').value).toBe(3.5);
    expect(run('(1 + 2) * 3').value).toBe(9);
  });

  it('builds dims, tuples and lists', () => {
    expect(run('3×224×224').value).toEqual([3, 224, 224]);
    expect(run('c × 4', { c: 2 }).value).toEqual([2, 4]);
    expect(run('(1, 7)').value).toEqual([1, 7]);
    expect(run('[[1, 0], [0, 1]]').value).toEqual([[1, 0], [0, 1]]);
  });

  it('compares and combines booleans, short-circuiting', () => {
    expect(run('stride != 1 or cin != cout', { stride: 1, cin: 8, cout: 8 }).value).toBe(false);
    expect(run('stride == 1 and cin == cout', { stride: 1, cin: 8, cout: 8 }).value).toBe(true);
    expect(run('not true').value).toBe(false);
    expect(run('false and nope').value).toBe(false);
  });

  it('leaves unbound names as identifiers for enum arguments', () => {
    const { value } = run('same');
    expect(isIdent(value)).toBe(true);
    expect(run('same == same').value).toBe(true);
  });

  it('propagates unknown values (null) instead of guessing', () => {
    expect(run('c * 4', { c: null }).value).toBeNull();
  });

  it('reports type errors and division by zero, once, without throwing', () => {
    expect(run('1 // 0')).toEqual({ value: FAILED, problems: ['division by zero'] });
    expect(run('true + 1')).toEqual({ value: FAILED, problems: ['`+` needs numbers'] });
    expect(run('1 and true')).toEqual({ value: FAILED, problems: ['`and` needs true or false'] });
  });

  it('refuses expressions nested past the limit', () => {
    const deep = `1${' + 1'.repeat(MAX_EXPRESSION_DEPTH + 10)}`;
    const { value, problems } = run(deep);
    expect(value).toBe(FAILED);
    expect(problems).toEqual([`expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels`]);
  });
});
