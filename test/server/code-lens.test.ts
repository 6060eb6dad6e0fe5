import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLens } from 'vscode-languageserver';
import { LspTestClient, docUri, positionOf, sample } from './lsp-client';

describe('code lens (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('puts the model’s totals above it, opening the summary, and call counts above blocks', async () => {
    const text = sample('resnet18.cnn');
    const uri = docUri('resnet18.cnn');
    await client.open(uri, text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    expect(lenses.map((l) => [l.range.start, l.command?.title, l.command?.command])).toEqual([
      [positionOf(text, 'basic('), '2 call sites, 8 runs', ''],
      [positionOf(text, 'stage('), '4 call sites, 4 runs', ''],
      [positionOf(text, 'ResNet18'), '3×224×224 → 1000 · 11.7M params · 1.81G MACs', 'convlens.showModelSummary'],
    ]);
    expect(lenses[2].command?.arguments).toEqual([uri]);
  });

  it('marks partial totals past an error', async () => {
    const text = 'model M {\n  input x: 3×32×32\n  s = conv 16, k=3, padding=1\n  conv 32, k=3, in=8\n  relu\n  conv 64, k=3, padding=1, in=32\n  batchnorm\n  batchnorm c=64\n  s | conv 8, k=1\n}\n';
    const uri = docUri('partial.cnn');
    await client.open(uri, text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    expect(lenses.map((l) => l.command?.title)).toEqual(['3×32×32 → 8×32×32 · ≥ 19.2K params (partial: 2 layers unknown) · ≥ 573K MACs (partial: 5 layers unknown)']);
  });
});
