// MessageGuard: which messages reach the handlers, and the error for the others.
import { describe, expect, it } from 'vitest';
import { MessageGuard } from '../../src/server/message-guard';

const request = (id: number, method: string, params?: unknown) => ({ jsonrpc: '2.0', id, method, params });
const initialize = request(0, 'initialize', { capabilities: {} });

describe('MessageGuard', () => {
  it('follows the lifecycle: initialize once, then requests, then after shutdown only exit', () => {
    const guard = new MessageGuard();
    expect(guard.check(request(1, 'shutdown'))).toMatchObject({ deliver: false, reply: { id: 1, error: { code: -32002 } } });
    expect(guard.check(initialize)).toEqual({ deliver: true });
    expect(guard.check(initialize)).toMatchObject({ deliver: false, reply: { error: { code: -32600 } } });
    expect(guard.check(request(2, 'shutdown'))).toEqual({ deliver: true });
    expect(guard.shutdownReceived).toBe(true);
    expect(guard.check(request(3, 'textDocument/hover', {}))).toMatchObject({ deliver: false, reply: { id: 3, error: { code: -32600 } } });
    expect(guard.check({ jsonrpc: '2.0', method: 'exit' })).toEqual({ deliver: true });
  });

  it('checks the params of the methods it knows, and leaves others to the connection', () => {
    const guard = new MessageGuard();
    guard.check(initialize);
    const position = { line: 1, character: 2 };
    expect(guard.check(request(1, 'textDocument/hover', { textDocument: { uri: 'file:///a' }, position }))).toEqual({ deliver: true });
    expect(guard.check(request(2, 'textDocument/hover', { textDocument: { uri: 'file:///a' }, position: { line: 1.5, character: 0 } }))).toMatchObject({
      reply: { error: { code: -32602, message: 'invalid params for textDocument/hover: position needs whole-number line and character' } },
    });
    expect(guard.check(request(3, 'some/extension', 7))).toMatchObject({ reply: { error: { code: -32602 } } });
    expect(guard.check(request(4, 'some/extension', { anything: true }))).toEqual({ deliver: true });
    expect(guard.check({ jsonrpc: '2.0', method: 'textDocument/didClose', params: {} })).toMatchObject({ deliver: false, log: expect.stringContaining('dropped notification') });
  });

  it('passes responses to its own requests, and drops what is neither', () => {
    const guard = new MessageGuard();
    expect(guard.check({ jsonrpc: '2.0', id: 5, result: null })).toEqual({ deliver: true });
    expect(guard.check({ jsonrpc: '2.0', id: 5 })).toMatchObject({ deliver: false });
    expect(guard.check({ jsonrpc: '1.0', id: 6, method: 'x' })).toMatchObject({ reply: { id: 6, error: { code: -32600 } } });
  });
});
