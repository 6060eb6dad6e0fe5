// Layer arguments as their definitions declare them (src/language/arguments.ts).
import { describe, expect, it } from 'vitest';
import { argLookup, argumentSpan, checkArgType } from '../../src/language/arguments';
import { getLayerSpec } from '../../src/language/catalogue';
import { parse } from '../../src/language/parser';
import type { Call } from '../../src/language/ast';

function firstCall(line: string): { call: Call; text: string } {
  const text = `model M {\n  input x: 3×8×8\n  ${line}\n}\n`;
  const model = parse(text).items[0];
  const statement = model.body.statements[1];
  if (statement.kind !== 'layer') throw new Error('not a layer statement');
  return { call: statement.stages[0], text };
}

describe('argument lookup', () => {
  it('finds each argument of a kind by name, and the one a positional value fills', () => {
    const conv = getLayerSpec('conv')!;
    const lookup = argLookup(conv);
    expect(conv.args[lookup.byName.get('k')!].name).toBe('k');
    expect(conv.args[lookup.positional].name).toBe('out');
    expect(argLookup(conv)).toBe(lookup);
  });

  it('places an argument where the call gave it, by name or position, and not at all when not given', () => {
    const conv = getLayerSpec('conv')!;
    const { call, text } = firstCall('conv 16, k=3, stride=2');
    const at = (name: string) => {
      const span = argumentSpan(call, conv, name);
      return span && text.slice(span.start, span.end);
    };
    expect(at('out')).toBe('16');
    expect(at('stride')).toBe('2');
    expect(at('padding')).toBeUndefined();
  });
});

describe('argument types', () => {
  it('accept values of their type and range and say what they expect otherwise', () => {
    const conv = getLayerSpec('conv')!;
    const spec = (name: string) => conv.args.find((a) => a.name === name)!;
    expect(checkArgType(spec('k'), 3)).toBeUndefined();
    expect(checkArgType(spec('k'), [3, 5])).toBeUndefined();
    expect(checkArgType(spec('k'), 0)).toMatch(/whole numbers/);
    expect(checkArgType(spec('k'), 2.5)).toMatch(/whole numbers/);
    expect(checkArgType(spec('padding'), 'same')).toBeUndefined();
    expect(checkArgType(spec('padding'), -1)).toBe('whole numbers ≥ 0, `same` or `valid`');
    expect(checkArgType(spec('bias'), true)).toBeUndefined();
    expect(checkArgType(spec('bias'), 1)).toBe('`true` or `false`');
  });
});
