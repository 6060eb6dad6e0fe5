import { describe, expect, it } from 'vitest';
import type { Program } from '../../src/language/ast';
import { parse } from '../../src/language/parser';
import { enclosingSpans } from '../../src/language/selection-ranges';

describe('enclosingSpans on large documents', () => {
  it('reads a logarithmic number of statements per position in a body of 100,000', () => {
    const lines = Array.from({ length: 100_000 }, () => '  relu');
    const text = `model M {\n  input x: 3×8×8\n${lines.join('\n')}\n}\n`;
    const program = parse(text);
    const statements = program.items[0].body.statements;
    let reads = 0;
    const counted = new Proxy(statements, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const model = program.items[0];
    const countedProgram: Program = { ...program, items: [{ ...model, body: { ...model.body, statements: counted } }] };
    const offset = text.lastIndexOf('relu') + 1;
    const spans = enclosingSpans(countedProgram, text, offset);
    expect(text.slice(spans.at(-1)!.start, spans.at(-1)!.end)).toBe('relu');
    expect(reads).toBeLessThan(64);
  });

  it('descends an expression of 50,000 terms', () => {
    const text = `model M {\n  input x: 3×8×8\n  conv ${Array(50_000).fill('1').join('+')}, k=1\n}\n`;
    const spans = enclosingSpans(parse(text), text, text.indexOf('conv 1') + 5);
    expect(text.slice(spans.at(-1)!.start, spans.at(-1)!.end)).toBe('1');
    expect(spans.length).toBeGreaterThan(50_000);
  });
});

describe('enclosingSpans', () => {
  it('grows from a number through its argument, the arguments, the call, the pipeline, the body and the model', () => {
    const text = 'model M {\n  input x: 3×8×8\n  y = conv 8, k=3, padding=1 | relu\n}\n';
    const spans = enclosingSpans(parse(text), text, text.indexOf('k=3') + 2);
    expect(spans.map((s) => text.slice(s.start, s.end)).reverse().slice(0, 6)).toEqual(['3', 'k=3', '8, k=3, padding=1', 'conv 8, k=3, padding=1', 'y = conv 8, k=3, padding=1 | relu', text.slice(text.indexOf('{') + 1, text.lastIndexOf('}'))]);
    expect(spans[0]).toEqual({ start: 0, end: text.length });
  });

  it('holds only the document outside every item', () => {
    const text = '# nothing\n\nmodel M {\n  input x: 3×8×8\n}\n';
    expect(enclosingSpans(parse(text), text, 3)).toEqual([{ start: 0, end: text.length }]);
  });
});
