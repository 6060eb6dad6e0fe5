import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentLink } from 'vscode-languageserver';
import { LspTestClient, positionOf } from './lsp-client';

describe('document links (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('links the weights file, relative to the model file', async () => {
    const text = 'model M {\n  input x: 1×32×32\n  weights "weights/lenet 5.safetensors"\n  relu\n}\n';
    const uri = 'file:///work/models/lenet.cnn';
    await client.open(uri, text);
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
    expect(links).toEqual([
      {
        range: { start: positionOf(text, 'weights/'), end: positionOf(text, '.safetensors', '.safetensors'.length) },
        target: 'file:///work/models/weights/lenet%205.safetensors',
        tooltip: 'Open the weights file',
      },
    ]);
  });
});
