import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SelectionRange } from 'vscode-languageserver';
import type { Program } from '../../src/language/ast';
import { parse } from '../../src/language/parser';
import { enclosingSpans } from '../../src/server/selection-ranges';
import { LspTestClient, docUri, positionOf } from './lsp-client';

const text = `model M {
  input x: 3×8×8
  y = conv 8, k=3, padding=1 | relu
}
`;

describe('selection ranges (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('grows from a number through its argument, the call, the statement, the body and the model', async () => {
    const uri = docUri('selection.cnn');
    await client.open(uri, text);
    const [range] = await client.request<SelectionRange[]>('textDocument/selectionRange', {
      textDocument: { uri },
      positions: [positionOf(text, 'k=3', 2)],
    });
    const texts: string[] = [];
    const lines = text.split('\n');
    for (let r: SelectionRange | undefined = range; r; r = r.parent) {
      const { start, end } = r.range;
      if (start.line === end.line) texts.push(lines[start.line].slice(start.character, end.character));
      else texts.push(`${start.line}:${start.character}-${end.line}:${end.character}`);
    }
    expect(texts.slice(0, 5)).toEqual(['3', 'k=3', '8, k=3, padding=1', 'conv 8, k=3, padding=1', 'y = conv 8, k=3, padding=1 | relu']);
    expect(texts.at(-1)).toBe('0:0-4:0');
  });
});

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
