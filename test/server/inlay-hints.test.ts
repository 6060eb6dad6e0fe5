import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InlayHint } from 'vscode-languageserver';
import { LspTestClient, docUri, positionOf, sample } from './lsp-client';

const text = `model Tiny {
  input image: 3×224×224
  conv 64, k=3, padding=1   # 🙂 a comment after the layer
  a, b = chunk 2
  pool = a | maxpool 2
}
`;

const everything = { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } };

describe('inlay hints (spawned server)', () => {
  let client: LspTestClient;
  const uri = docUri('inlay.cnn');
  beforeAll(async () => {
    client = await LspTestClient.start();
    await client.open(uri, text);
  });
  afterAll(async () => {
    await client?.dispose();
  });

  const hints = (c = client, at = uri, range = everything) => c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: at }, range });

  it('puts the output shape at the end of each layer statement', async () => {
    const result = await hints();
    expect(result.map((h) => [h.position, h.label])).toEqual([
      [positionOf(text, '   # 🙂'), '→ 64×224×224'],
      [positionOf(text, 'chunk 2', 7), '→ 32×224×224, 32×224×224'],
      [positionOf(text, 'maxpool 2', 9), '→ 32×112×112'],
    ]);
    expect(result.every((h) => h.paddingLeft === true)).toBe(true);
  });

  it('answers only for the requested range', async () => {
    const line = positionOf(text, 'chunk').line;
    const result = await hints(client, uri, { start: { line, character: 0 }, end: { line, character: 99 } });
    expect(result.map((h) => h.label)).toEqual(['→ 32×224×224, 32×224×224']);
  });

  it('shows a block call’s output and params', async () => {
    const resnet = sample('resnet18.cnn');
    const resnetUri = docUri('resnet18.cnn');
    await client.open(resnetUri, resnet);
    const result = await hints(client, resnetUri);
    const stage = result.find((h) => h.position.line === positionOf(resnet, 'stage(128').line);
    expect(stage?.label).toBe('→ 128×28×28 · 525,568 params');
    const conv = result.find((h) => h.position.line === positionOf(resnet, 'conv 64, k=7').line);
    expect(conv?.label).toBe('→ 64×112×112');
  });

  it('follows the settings: params on, notation x, shapes off; and asks the client to refresh', async () => {
    const other = await LspTestClient.start({ initializationOptions: { inlayHints: { outputShape: true, params: true }, shapeNotation: 'x' } });
    try {
      await other.open(uri, text);
      expect((await hints(other))[0].label).toBe('→ 64x224x224 · 1,792 params');
      await other.notify('workspace/didChangeConfiguration', { settings: { convlens: { inlayHints: { outputShape: false, params: false } } } });
      expect(await hints(other)).toEqual([]);
      expect(other.serverRequests).toContain('workspace/inlayHint/refresh');
    } finally {
      await other.dispose();
    }
  });
});
