/**
 * What reaches the handlers: every incoming message is checked here first, so
 * handlers can trust the shape of their params and the lifecycle is the one
 * the LSP specifies. A request that fails a check is answered with the JSON-RPC
 * error for it, never with a handler's TypeError.
 *
 * - Not a JSON-RPC 2.0 message (an array, a number, a request without a
 *   string method): `InvalidRequest`.
 * - Before `initialize`: requests get `ServerNotInitialized`, notifications
 *   other than `exit` are dropped.
 * - A second `initialize`: `InvalidRequest`.
 * - After `shutdown`: requests get `InvalidRequest`, notifications other than
 *   `exit` are dropped (vscode-languageserver then exits with 0 on `exit`, or
 *   with 1 on an `exit` without `shutdown`).
 * - A known method whose params lack what its handler reads (`textDocument.uri`,
 *   a position of whole numbers, …): `InvalidParams` for a request, dropped
 *   and logged for a notification.
 */
import { ErrorCodes, type Message, type ResponseMessage } from 'vscode-languageserver/node';

type Id = number | string | null;

/** What to do with a message. */
export type Verdict =
  | { readonly deliver: true }
  | { readonly deliver: false; readonly reply?: ResponseMessage; readonly log?: string };

type Params = Record<string, unknown>;
type Check = (params: Params) => string | null;

export class MessageGuard {
  private state: 'new' | 'running' | 'shut down' = 'new';

  /** Whether `shutdown` came; the exit code when the input ends depends on it. */
  get shutdownReceived(): boolean {
    return this.state === 'shut down';
  }

  check(message: unknown): Verdict {
    if (!isRecord(message)) return invalid(null, `a JSON-RPC message is an object, not ${describe(message)}`);
    const id = message.id;
    const validId = typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
    if (message.jsonrpc !== '2.0') return invalid(validId ? (id as Id) : null, 'the message has no "jsonrpc": "2.0"');
    if (!('method' in message)) {
      // A response to one of our requests; the connection matches it by id.
      if (validId && ('result' in message || isRecord(message.error))) return { deliver: true };
      return { deliver: false, log: `dropped a message that is neither a request, a notification nor a response: ${preview(message)}` };
    }
    const method = message.method;
    if (typeof method !== 'string') return invalid(validId ? (id as Id) : null, 'the method is not a string');
    const isRequest = 'id' in message;
    if (isRequest && !validId) return invalid(null, `request ids are strings or integers, not ${describe(id)}`);
    const params = message.params;
    if (params !== undefined && params !== null && typeof params !== 'object') {
      return this.reject(isRequest, id as Id, method, ErrorCodes.InvalidParams, `params must be an object or an array, not ${describe(params)}`);
    }
    if (method === 'exit') return { deliver: true };
    const lifecycle = this.lifecycle(isRequest, id as Id, method);
    if (lifecycle) return lifecycle;
    const check = checks.get(method);
    const why = check && (isRecord(params) ? check(params) : 'params are missing');
    if (why) return this.reject(isRequest, id as Id, method, ErrorCodes.InvalidParams, `invalid params for ${method}: ${why}`);
    if (method === 'initialize') this.state = 'running';
    else if (method === 'shutdown' && isRequest) this.state = 'shut down';
    return { deliver: true };
  }

  private lifecycle(isRequest: boolean, id: Id, method: string): Verdict | null {
    if (this.state === 'new') {
      if (method === 'initialize' && isRequest) return null;
      return this.reject(isRequest, id, method, ErrorCodes.ServerNotInitialized, `the server is not initialized: ${method} before initialize`);
    }
    if (this.state === 'shut down') return this.reject(isRequest, id, method, ErrorCodes.InvalidRequest, `the server is shutting down: ${method} after shutdown`);
    if (method === 'initialize') return this.reject(isRequest, id, method, ErrorCodes.InvalidRequest, 'initialize was already received; it may be sent only once');
    return null;
  }

  private reject(isRequest: boolean, id: Id, method: string, code: number, message: string): Verdict {
    if (isRequest) return { deliver: false, reply: errorResponse(id, code, message), log: message };
    return { deliver: false, log: `dropped notification ${method}: ${message}` };
  }
}

/** The answer to a body that is not JSON. */
export function parseErrorResponse(reason: string): ResponseMessage {
  return errorResponse(null, ErrorCodes.ParseError, `parse error: ${reason}`);
}

function invalid(id: Id, why: string): Verdict {
  return { deliver: false, reply: errorResponse(id, ErrorCodes.InvalidRequest, `invalid request: ${why}`), log: `invalid request: ${why}` };
}

function errorResponse(id: Id, code: number, message: string): ResponseMessage {
  return { jsonrpc: '2.0', id, error: { code, message } } as ResponseMessage;
}

// ---- params ------------------------------------------------------------------

const uinteger = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2 ** 31 - 1;

function position(value: unknown, name: string): string | null {
  if (!isRecord(value)) return `${name} is missing`;
  if (!uinteger(value.line) || !uinteger(value.character)) return `${name} needs whole-number line and character`;
  return null;
}

function range(value: unknown, name: string): string | null {
  if (!isRecord(value)) return `${name} is missing`;
  return position(value.start, `${name}.start`) ?? position(value.end, `${name}.end`);
}

function textDocument(params: Params): string | null {
  return isRecord(params.textDocument) && typeof params.textDocument.uri === 'string' ? null : 'textDocument.uri is missing';
}

const all =
  (...checks: Check[]): Check =>
  (params) => {
    for (const check of checks) {
      const why = check(params);
      if (why) return why;
    }
    return null;
  };

const atPosition: Check = all(textDocument, (p) => position(p.position, 'position'));
const inRange: Check = all(textDocument, (p) => range(p.range, 'range'));
const withOptions: Check = (p) => (isRecord(p.options) ? null : 'options is missing');

/** What each handled method's handler reads from its params. */
const checks = new Map<string, Check>([
  ['initialize', (p) => (isRecord(p.capabilities) ? null : 'capabilities is missing')],
  ['textDocument/didOpen', (p) => {
    const doc = p.textDocument;
    if (!isRecord(doc) || typeof doc.uri !== 'string' || typeof doc.text !== 'string') return 'textDocument needs uri and text';
    return Number.isInteger(doc.version) ? null : 'textDocument.version is not an integer';
  }],
  ['textDocument/didChange', all(textDocument, (p) => {
    if (!Number.isInteger((p.textDocument as Params).version)) return 'textDocument.version is not an integer';
    if (!Array.isArray(p.contentChanges)) return 'contentChanges is not an array';
    for (const change of p.contentChanges) {
      if (!isRecord(change) || typeof change.text !== 'string') return 'a content change has no text';
      if (change.range !== undefined) {
        const why = range(change.range, 'a content change range');
        if (why) return why;
      }
    }
    return null;
  })],
  ['textDocument/didClose', textDocument],
  ['textDocument/didSave', textDocument],
  ['textDocument/hover', atPosition],
  ['textDocument/completion', atPosition],
  ['textDocument/signatureHelp', atPosition],
  ['textDocument/definition', atPosition],
  ['textDocument/documentHighlight', atPosition],
  ['textDocument/prepareRename', atPosition],
  ['textDocument/references', all(atPosition, (p) => (isRecord(p.context) ? null : 'context is missing'))],
  ['textDocument/rename', all(atPosition, (p) => (typeof p.newName === 'string' ? null : 'newName is not a string'))],
  ['textDocument/documentSymbol', textDocument],
  ['textDocument/foldingRange', textDocument],
  ['textDocument/documentLink', textDocument],
  ['textDocument/codeLens', textDocument],
  ['textDocument/semanticTokens/full', textDocument],
  ['textDocument/inlayHint', inRange],
  ['textDocument/formatting', all(textDocument, withOptions)],
  ['textDocument/rangeFormatting', all(inRange, withOptions)],
  ['textDocument/codeAction', all(inRange, (p) => (isRecord(p.context) && Array.isArray(p.context.diagnostics) ? null : 'context.diagnostics is not an array'))],
  ['textDocument/selectionRange', all(textDocument, (p) => {
    if (!Array.isArray(p.positions)) return 'positions is not an array';
    for (const at of p.positions) {
      const why = position(at, 'a position');
      if (why) return why;
    }
    return null;
  })],
  ['convlens/summary', textDocument],
  // Read by vscode-jsonrpc itself, outside any handler's guard.
  ['$/cancelRequest', (p) => (typeof p.id === 'number' || typeof p.id === 'string' ? null : 'id is not a number or a string')],
  ['$/setTrace', (p) => (typeof p.value === 'string' ? null : 'value is not a string')],
  ['$/progress', (p) => (typeof p.token === 'number' || typeof p.token === 'string' ? null : 'token is not a number or a string')],
]);

// ---- helpers -----------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function preview(message: Message | Record<string, unknown>): string {
  const text = JSON.stringify(message);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
