import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExtensionToWebview } from '../../src/protocol/webview';

let listenToExtension: (handlers: Record<string, (message: ExtensionToWebview) => void>) => void;
const globals = globalThis as Record<string, unknown>;
let deliver: (data: unknown) => void = () => {};

beforeAll(async () => {
  globals.window = { addEventListener: (_type: string, listener: (event: { data: unknown }) => void) => (deliver = (data) => listener({ data })) };
  // Not a literal path: the module is type-checked with the DOM lib (webview/tsconfig.json), not with this project's.
  const module = '../../webview/extension-messages';
  ({ listenToExtension } = await import(/* @vite-ignore */ module));
});

afterEach(() => vi.restoreAllMocks());

describe('listenToExtension', () => {
  it('hands each checked message to the handler of its type, and logs and drops a malformed one', () => {
    const seen: string[] = [];
    const handler = (message: ExtensionToWebview) => seen.push(message.type === 'cursor' ? `cursor ${message.line}` : message.type);
    listenToExtension({ init: handler, spec: handler, cursor: handler, images: handler, imageData: handler, weightsData: handler });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    deliver({ type: 'cursor', line: 4 });
    deliver({ type: 'cursor', line: -1 });
    deliver({ type: 'runCommand', command: 'rm' });
    deliver({ type: 'images', images: [] });
    expect(seen).toEqual(['cursor 4', 'images']);
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      "[ConvLens preview] dropped a malformed or unknown 'cursor' message from the extension",
      "[ConvLens preview] dropped a malformed or unknown 'runCommand' message from the extension",
    ]);
  });
});
