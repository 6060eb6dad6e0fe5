import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextDocumentSyncKind } from 'vscode-languageserver';
import { LspTestClient, docUri } from './lsp-client';

describe('server lifecycle and document sync (spawned dist/server.js)', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('answers initialize with incremental sync', () => {
    const sync = client.initializeResult.capabilities.textDocumentSync;
    expect(sync).toMatchObject({ openClose: true, change: TextDocumentSyncKind.Incremental });
    expect(client.initializeResult.serverInfo?.name).toBe('convlens');
  });

  it('publishes diagnostics for the opened version', async () => {
    const uri = docUri('open.cnn');
    const published = await client.open(uri, 'model M {\n  input x: 1×8×8\n  relu\n}\n', 7);
    expect(published.version).toBe(7);
    expect(Array.isArray(published.diagnostics)).toBe(true);
  });

  it('publishes again for each change, at the new version', async () => {
    const uri = docUri('change.cnn');
    await client.open(uri, 'model M {\n}\n');
    const published = await client.change(uri, [
      { range: { start: { line: 0, character: 9 }, end: { line: 0, character: 9 } }, text: '\n  input x: 1×8×8' },
    ]);
    expect(published.version).toBe(2);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = docUri('close.cnn');
    await client.open(uri, 'model M {}\n');
    const cleared = await client.close(uri);
    expect(cleared.diagnostics).toEqual([]);
  });

  it('answers a cancelled request with RequestCancelled, and keeps going', async () => {
    const uri = docUri('cancel.cnn');
    await client.open(uri, 'model M {\n  input x: 1×8×8\n  relu\n}\n');
    // A long analysis keeps the server busy, so the request and its cancellation
    // queue up behind it and are read together, as they would be behind a slow edit.
    await client.sendChange(uri, [{ text: 'model M {\n  input x: 8×64×64\n  repeat 4000 { repeat 5 { conv 8, k=3, padding=1 } }\n}\n' }]);
    await expect(client.requestCancelled('convlens/summary', { textDocument: { uri } })).rejects.toMatchObject({ code: -32800 });
    await client.sendChange(uri, [{ text: 'model M {\n  input x: 1×8×8\n  relu\n}\n' }]);
    const summary = await client.request<{ model: string; totalParams: number }>('convlens/summary', { textDocument: { uri } });
    expect(summary).toMatchObject({ model: 'M', totalParams: 0 });
  });

  it('answers null for a document it does not have', async () => {
    expect(await client.request('textDocument/hover', { textDocument: { uri: docUri('never-opened.cnn') }, position: { line: 0, character: 0 } })).toBeNull();
  });
});

describe('server shutdown', () => {
  it('exits with code 0 after shutdown and exit', async () => {
    const client = await LspTestClient.start();
    expect(await client.shutdown()).toBe(0);
  });
});
