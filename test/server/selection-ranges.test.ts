import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SelectionRange } from 'vscode-languageserver';
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
