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
});
