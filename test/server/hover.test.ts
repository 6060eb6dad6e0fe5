import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { LspTestClient, docUri, positionOf, sample } from './lsp-client';

const text = `model Tiny {   # 🙂 emoji before the layers
  input image: 3×224×224
  stem: conv 64, k=7, stride=2, padding=3, bias=false
  conv 64, k=3, padding=1
  gap | flatten
  linear 10
}
`;

describe('hover (spawned server)', () => {
  let client: LspTestClient;
  const uri = docUri('hover.cnn');
  beforeAll(async () => {
    client = await LspTestClient.start();
    await client.open(uri, text);
  });
  afterAll(async () => {
    await client?.dispose();
  });

  const hoverAt = (needle: string, delta = 0, at = uri, source = text) =>
    client.request<Hover | null>('textDocument/hover', { textDocument: { uri: at }, position: positionOf(source, needle, delta) });
  const markdown = (h: Hover | null) => (h?.contents as MarkupContent).value;

  it('shows a layer’s shapes, params formula, output-size arithmetic, MACs and receptive field', async () => {
    const h = await hoverAt('conv 64, k=7', 1);
    expect((h?.contents as MarkupContent).kind).toBe('markdown');
    const value = markdown(h);
    expect(value).toContain('Output `64×112×112` ← input `3×224×224`');
    expect(value).toContain('Params: 7·7·3·64 = 9,408');
    expect(value).toContain('⌊(224 + 2·3 − 7)/2⌋ + 1 = 112');
    expect(value).toContain('MACs: 118,013,952');
    expect(value).toContain('Receptive field 7×7 · jump 2×2');
    expect(value).toContain('vs. fully connected');
    expect(h?.range).toEqual({ start: positionOf(text, 'conv 64, k=7'), end: positionOf(text, 'conv 64, k=7', 4) });
  });

  it('writes the issue’s example: 3·3·64·64 + 64 with thousands separators', async () => {
    expect(markdown(await hoverAt('conv 64, k=3'))).toContain('Params: 3·3·64·64 + 64 = 36,928');
  });

  it('shows an argument keyword’s documentation', async () => {
    const value = markdown(await hoverAt('stride=2'));
    expect(value).toContain('**stride** · argument of `conv`');
  });

  it('shows a name with its shape', async () => {
    expect(markdown(await hoverAt('image'))).toBe('**image** · model input `3×224×224`');
  });

  it('shows a block call with its totals', async () => {
    const resnet = sample('resnet18.cnn');
    const resnetUri = docUri('resnet18.cnn');
    await client.open(resnetUri, resnet);
    const value = markdown(await hoverAt('stage(256', 0, resnetUri, resnet));
    expect(value).toContain('**stage** · block call');
    expect(value).toContain('Output `256×14×14` ← input `128×28×28`');
    expect(value).toContain('Params: 2,099,712');
  });

  it('summarises a layer expanded 190,000 times (grouping the expansions in one pass)', async () => {
    const uri = docUri('hover-expansions.cnn');
    const text = 'model M {\n  input x: 1×2×2\n  repeat 10000 { repeat 19 { relu } }\n}\n';
    await client.open(uri, text);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'relu', 1) });
    expect((hover.contents as MarkupContent).value).toContain('The same in all 190000 expansions');
  });

  it('answers null where there is nothing to say', async () => {
    expect(await hoverAt('# 🙂', 3)).toBeNull();
  });

  it('uses the notation from the settings, and follows changes to them', async () => {
    const other = await LspTestClient.start({ initializationOptions: { shapeNotation: 'x' } });
    try {
      await other.open(uri, text);
      const ask = async () =>
        markdown(await other.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'conv 64, k=7') }));
      expect(await ask()).toContain('Output `64x112x112` ← input `3x224x224`');
      await other.notify('workspace/didChangeConfiguration', { settings: { convlens: { shapeNotation: '×' } } });
      expect(await ask()).toContain('Output `64×112×112`');
    } finally {
      await other.dispose();
    }
  });
});
