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

  it('links only a .safetensors file inside the model’s folder: no other scheme, no absolute path, no climbing out', async () => {
    const hostile = [
      'command:workbench.action.terminal.new',
      'javascript:alert(1)',
      'https://example.com/m.safetensors',
      'file:///etc/shadow',
      '/etc/m.safetensors',
      '../../etc/m.safetensors',
      'w/../../m.safetensors',
      'C:\\m.safetensors',
      'notes.txt',
    ];
    for (const [i, weights] of hostile.entries()) {
      const uri = `file:///work/models/hostile-${i}.cnn`;
      const text = `model M {\n  input x: 1×32×32\n  weights ${JSON.stringify(weights)}\n  relu\n}\n`;
      await client.open(uri, text);
      const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      expect(links, weights).toEqual([]);
    }
    const text = 'model M {\n  input x: 1×32×32\n  weights "./w/../m #1.safetensors"\n  relu\n}\n';
    await client.open('file:///work/models/ok.cnn', text);
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: 'file:///work/models/ok.cnn' } });
    expect(links.map((l) => l.target)).toEqual(['file:///work/models/m%20%231.safetensors']);
  });
});
