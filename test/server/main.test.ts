// The spawned server against what a well-behaved client never sends: after
// bad framing it must go on answering, a body that is not JSON gets -32700,
// bad params get -32602, and the lifecycle is the LSP's.
import { afterEach, describe, expect, it } from 'vitest';
import { frame, RawServer } from './raw-server';

const hover = { textDocument: { uri: 'file:///never-opened.cnn' }, position: { line: 0, character: 0 } };

let server: RawServer | undefined;
afterEach(() => {
  server?.kill();
  server = undefined;
});

/** The server still answers: a hover on a document it does not have is null. */
async function expectAnswering(s: RawServer): Promise<void> {
  const answer = await s.request('textDocument/hover', hover);
  expect(answer).toMatchObject({ result: null });
}

describe('framing errors (spawned server)', () => {
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} });
  const cases: [string, string | Uint8Array][] = [
    ['no Content-Length', `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`],
    ['a negative Content-Length', `Content-Length: -5\r\n\r\n${body}`],
    ['a non-numeric Content-Length', `Content-Length: lots\r\n\r\n${body}`],
    ['a Content-Length past the limit', `Content-Length: 99999999999999\r\n\r\n${body}`],
    ['a Content-Length larger than the message', `Content-Length: 100000\r\n\r\n${body}`],
    ['a Content-Length smaller than the message', `Content-Length: 10\r\n\r\n${body}`],
    ['a Content-Length of 0', `Content-Length: 0\r\n\r\n${body}`],
    ['a header line without a colon', `Content-Length: 5\r\nbogus\r\n\r\n${body}`],
    ['a megabyte of binary garbage', Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff)],
  ];
  for (const [name, bytes] of cases) {
    it(`answers the next request after ${name}`, async () => {
      server = await RawServer.initialized();
      server.write(bytes);
      await expectAnswering(server);
      expect(server.running).toBe(true);
    });
  }

  it('logs what it skipped', async () => {
    server = await RawServer.initialized();
    server.write('Content-Length: lots\r\n\r\n{}');
    await expectAnswering(server);
    expect(server.log).toContain('bad message framing: Content-Length "lots" is not a whole number of bytes');
    expect(server.log).toMatch(/resynchronised after skipping \d+ bytes/);
  });

  it('reads a message split into single bytes, and a large one', async () => {
    server = await RawServer.initialized();
    const text = `model M {\n  input x: 3×8×8\n${'  relu\n'.repeat(200_000)}}\n`;
    const open = Buffer.from(frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///big.cnn', languageId: 'cnn', version: 1, text } } })));
    for (let i = 0; i < open.length; i += 65_536) server.write(open.subarray(i, i + 65_536));
    const request = Buffer.from(frame(JSON.stringify({ jsonrpc: '2.0', id: 'split', method: 'convlens/summary', params: { textDocument: { uri: 'file:///big.cnn' } } })));
    for (const byte of request) server.write(Uint8Array.of(byte));
    const answer = await server.response('split');
    expect((answer.result as { rows: unknown[] }).rows).toHaveLength(200_000);
  });
});

describe('messages that are not valid requests (spawned server)', () => {
  it('answers a body that is not JSON with -32700 and id null', async () => {
    server = await RawServer.initialized();
    server.write(frame('{"jsonrpc": "2.0", "id": 7, "method": '));
    const error = await server.response(null);
    expect(error.error?.code).toBe(-32700);
    await expectAnswering(server);
  });

  it('answers what is not a JSON-RPC request with -32600', async () => {
    server = await RawServer.initialized();
    for (const body of ['[]', '5', '"text"', 'null', '{"jsonrpc":"2.0","id":3,"method":5}', '{"id":4,"method":"textDocument/hover"}']) {
      server.write(frame(body));
    }
    await expectAnswering(server);
    const errors = server.received.filter((m) => m.error);
    expect(errors.map((m) => [m.id, m.error!.code])).toEqual([
      [null, -32600],
      [null, -32600],
      [null, -32600],
      [null, -32600],
      [3, -32600],
      [4, -32600],
    ]);
  });

  it('answers bad params with -32602 naming what is wrong, not a TypeError', async () => {
    server = await RawServer.initialized();
    const cases: [string, unknown][] = [
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: 5, position: { line: 0, character: 0 } }],
      ['textDocument/hover', { textDocument: { uri: 'file:///a.cnn' }, position: { line: -1, character: 0 } }],
      ['textDocument/documentSymbol', null],
      ['textDocument/formatting', { textDocument: { uri: 'file:///a.cnn' } }],
      ['textDocument/selectionRange', { textDocument: { uri: 'file:///a.cnn' }, positions: [{ line: 'x' }] }],
      ['textDocument/codeAction', { textDocument: { uri: 'file:///a.cnn' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
      ['convlens/summary', { textDocument: {} }],
      ['textDocument/hover', 'a string'],
    ];
    for (const [method, params] of cases) {
      const answer = await server.request(method, params);
      expect(answer.error?.code, `${method} ${JSON.stringify(params)}`).toBe(-32602);
      expect(answer.error?.message).not.toMatch(/TypeError|Cannot read/);
    }
    expect(server.log).not.toContain('TypeError');
  });

  it('drops a notification with bad params, logging it, and goes on', async () => {
    server = await RawServer.initialized();
    server.notify('textDocument/didOpen', { textDocument: { uri: 'file:///a.cnn' } });
    server.notify('textDocument/didChange', { textDocument: { uri: 'file:///a.cnn', version: 2 }, contentChanges: [{ range: { start: {} } }] });
    server.notify('$/cancelRequest', {});
    await expectAnswering(server);
    expect(server.log).toContain('dropped notification textDocument/didOpen');
    expect(server.log).toContain('dropped notification $/cancelRequest');
  });

  it('answers an unknown method with -32601', async () => {
    server = await RawServer.initialized();
    expect((await server.request('convlens/noSuchThing', {})).error?.code).toBe(-32601);
  });
});

describe('lifecycle (spawned server)', () => {
  it('answers a request before initialize with -32002', async () => {
    server = RawServer.spawn();
    expect((await server.request('textDocument/hover', hover)).error?.code).toBe(-32002);
    expect((await server.request('initialize', { processId: null, rootUri: null, capabilities: {} })).result).toBeTruthy();
  });

  it('refuses a second initialize', async () => {
    server = await RawServer.initialized();
    const second = await server.request('initialize', { processId: null, rootUri: null, capabilities: {} });
    expect(second.error?.code).toBe(-32600);
    await expectAnswering(server);
  });

  it('refuses requests after shutdown, and exits with 0 on exit', async () => {
    server = await RawServer.initialized();
    expect(await server.request('shutdown')).toMatchObject({ result: null });
    expect((await server.request('textDocument/hover', hover)).error?.code).toBe(-32600);
    server.notify('exit');
    expect(await server.exit()).toBe(0);
  });

  it('exits with 1 on exit without shutdown', async () => {
    server = await RawServer.initialized();
    server.notify('exit');
    expect(await server.exit()).toBe(1);
  });

  it('exits with 1, saying why, when its input ends without shutdown', async () => {
    server = await RawServer.initialized();
    server.write('Content-Length: 40\r\n\r\n{"jsonrpc"');
    server.end();
    expect(await server.exit()).toBe(1);
    expect(server.log).toContain('the input ended');
  });
});
