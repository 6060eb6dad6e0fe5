import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewFactsRequest, type PreviewFactsResult } from '../../src/protocol/lsp';
import { LspTestClient, docUri, sample } from './lsp-client';

describe('convlens/previewFacts (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it("answers the model's input shape and weights file for the document's current version", async () => {
    const uri = docUri('lenet5.cnn');
    await client.open(uri, sample('lenet5.cnn'), 4);
    expect(await client.request<PreviewFactsResult>(previewFactsRequest.method, { textDocument: { uri } })).toEqual({ version: 4, inputShape: [1, 32, 32], weightsPath: 'lenet5.safetensors' });
  });

  it('follows an edit without waiting for its diagnostics', async () => {
    const uri = docUri('edited.cnn');
    await client.open(uri, 'model M {\n  input x: 1×8×8\n  relu\n}\n', 1);
    const version = await client.sendChange(uri, [{ text: 'model M {\n  input x: 3×16×16\n  weights "m.safetensors"\n  relu\n}\n' }]);
    expect(await client.request<PreviewFactsResult>(previewFactsRequest.method, { textDocument: { uri } })).toEqual({ version, inputShape: [3, 16, 16], weightsPath: 'm.safetensors' });
  });

  it('answers null for a document it does not have', async () => {
    expect(await client.request(previewFactsRequest.method, { textDocument: { uri: docUri('missing.cnn') } })).toBeNull();
  });
});
