/** The page's side of the extension's messages: each is checked, then handed to its handler. */
import type { ExtensionToWebview } from '../src/protocol/webview';
import { describeDropped, parseExtensionMessage } from './message-guard';

/** One handler per message type the extension sends. */
export type ExtensionHandlers = { readonly [K in ExtensionToWebview['type']]: (message: Extract<ExtensionToWebview, { type: K }>) => void };

/** Hands each message to its handler; a malformed or unknown one (message-guard.ts) is logged and dropped. */
export function listenToExtension(handlers: ExtensionHandlers): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseExtensionMessage(event.data);
    if (!message) {
      console.warn(`[ConvLens preview] dropped ${describeDropped(event.data)} from the extension`);
      return;
    }
    (handlers[message.type] as (message: ExtensionToWebview) => void)(message);
  });
}
