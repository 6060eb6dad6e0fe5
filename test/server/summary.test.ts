import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryResult } from '../../src/protocol/lsp';
import { summaryRequest } from '../../src/protocol/lsp';
import { LspTestClient, docUri, positionOf, sample } from './lsp-client';

describe('convlens/summary (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('returns the torchinfo-style table and its rows for the current version', async () => {
    const text = sample('lenet5.cnn');
    const uri = docUri('lenet5.cnn');
    await client.open(uri, text, 3);
    const result = await client.request<SummaryResult>(summaryRequest.method, { textDocument: { uri } });
    expect(result.model).toBe('LeNet5');
    expect(result.version).toBe(3);
    expect(result.inputShape).toBe('1×32×32');
    expect(result.outputShape).toBe('10');
    expect(result.totalParams).toBe(61_706);
    expect(result.text).toContain('Total params: 61,706');
    expect(result.text).toMatch(/Layer\s+Kind\s+Output shape\s+Params\s+MACs/);
    const first = result.rows[0];
    expect(first).toMatchObject({ kind: 'conv', outputShape: '6×28×28', params: 156, depth: 0 });
    expect(first.range.start).toEqual(positionOf(text, 'conv 6'));
  });

  it('answers null for a document it does not have', async () => {
    expect(await client.request(summaryRequest.method, { textDocument: { uri: docUri('missing.cnn') } })).toBeNull();
  });
});
