/** The typed half of the webview API that VS Code injects as `acquireVsCodeApi`. */
import type { PreviewState, WebviewToExtension } from '../src/protocol/webview';

export interface VsCodeApi {
  postMessage(message: WebviewToExtension, transfer?: Transferable[]): void;
  getState(): PreviewState | undefined;
  setState(state: PreviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Acquires the API once (VS Code allows one call per page). */
export function vscodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}
