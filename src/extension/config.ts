import type { ConfigurationChangeEvent, DocumentFilter, WorkspaceConfiguration } from 'vscode';
import type { ServerSettings } from '../protocol/lsp';

export const configSection = 'convlens';

/**
 * The `.cnn` documents the extension serves: files and untitled buffers. A
 * generated view of a model (the summary, a diff's other side, a git
 * revision) has another scheme and is never diagnosed or given code lenses.
 */
export const cnnDocuments = [
  { scheme: 'file', language: 'cnn' },
  { scheme: 'untitled', language: 'cnn' },
] as const satisfies readonly DocumentFilter[];

/** True for a document {@link cnnDocuments} selects. */
export function isCnnDocument(document: { readonly languageId: string; readonly uri: { readonly scheme: string } }): boolean {
  return cnnDocuments.some((filter) => filter.language === document.languageId && filter.scheme === document.uri.scheme);
}

/**
 * Settings read when the server process starts. Changing one of these means
 * restarting the server; everything else reaches the running server through
 * `workspace/didChangeConfiguration`.
 */
const restartSettings = [`${configSection}.server.nodeArgs`] as const;

/**
 * The client's view of the `convlens.*` settings. It reads through a getter
 * rather than importing `vscode`, so it can be tested outside an editor.
 */
export class Config {
  constructor(private readonly read: () => WorkspaceConfiguration) {}

  /** Extra `execArgv` for the server process. */
  get serverNodeArgs(): string[] {
    const args = this.read().get<unknown>('server.nodeArgs');
    return Array.isArray(args) ? args.filter((a): a is string => typeof a === 'string') : [];
  }

  /** What the server reads; sent as `initializationOptions`. */
  get serverSettings(): ServerSettings {
    const config = this.read();
    return {
      inlayHints: {
        outputShape: config.get<boolean>('inlayHints.outputShape', true),
        params: config.get<boolean>('inlayHints.params', false),
      },
      shapeNotation: config.get<string>('shapeNotation', '×') === 'x' ? 'x' : '×',
    };
  }

  /** True when a settings change only takes effect after restarting the server. */
  requiresRestart(event: Pick<ConfigurationChangeEvent, 'affectsConfiguration'>): boolean {
    return restartSettings.some((section) => event.affectsConfiguration(section));
  }
}
