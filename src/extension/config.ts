import type { ConfigurationChangeEvent, WorkspaceConfiguration } from 'vscode';
import type { ServerSettings } from '../protocol/lsp';

export const configSection = 'convlens';

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
