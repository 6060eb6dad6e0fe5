import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import { LspTestClient, docUri } from './lsp-client';

const text = `block proj(c) {   # 🙂
  conv c, k=1
}
model M {
  input x: 1×8×8
  let w = 4
  edges = conv w, k=3, padding=same, weights=sobel_x
  proj(2)
}
`;

describe('semantic tokens (spawned server)', () => {
  let client: LspTestClient;
  let legend: SemanticTokensLegend;
  beforeAll(async () => {
    client = await LspTestClient.start();
    legend = (client.initializeResult.capabilities.semanticTokensProvider as { legend: SemanticTokensLegend }).legend;
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('classifies blocks, parameters, tensors, lets, layer kinds, argument names and kernel names', async () => {
    const uri = docUri('semantic.cnn');
    await client.open(uri, text);
    const { data } = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    const lines = text.split('\n');
    const decoded: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      const word = lines[line].slice(character, character + data[i + 2]);
      const modifiers = legend.tokenModifiers.filter((_, bit) => data[i + 4] & (1 << bit));
      decoded.push([word, legend.tokenTypes[data[i + 3]], ...modifiers].join(' '));
    }
    expect(decoded).toEqual([
      'proj function declaration',
      'c parameter declaration',
      'conv function defaultLibrary',
      'c parameter',
      'k parameter',
      'M class declaration',
      'x variable declaration',
      'w variable declaration readonly',
      'edges variable declaration',
      'conv function defaultLibrary',
      'w variable readonly',
      'k parameter',
      'padding parameter',
      'same enumMember',
      'weights parameter',
      'sobel_x enumMember',
      'proj function',
    ]);
  });
});
