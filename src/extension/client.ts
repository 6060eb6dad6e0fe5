import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import serverLaunch from '../protocol/launch.json';
import type { ParamsOf, RequestSpec, ResultOf } from '../protocol/lsp';
import { cnnDocuments, configSection, type Config } from './config';

/**
 * Owns the language client. A restart builds a new client, because the
 * server's command line (`convlens.server.nodeArgs`) is fixed per client.
 */
export class ServerHandle implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly outputChannel = vscode.window.createOutputChannel('ConvLens Language Server', { log: true });

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly config: Config,
  ) {}

  async start(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    // The user's arguments come last, so theirs win over ours.
    const execArgv = [...serverLaunch.execArgv, ...this.config.serverNodeArgs];
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio, options: { execArgv } },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--enable-source-maps', ...execArgv] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...cnnDocuments],
      synchronize: { configurationSection: configSection },
      initializationOptions: this.config.serverSettings,
      outputChannel: this.outputChannel,
    };
    this.client = new LanguageClient('convlens', 'ConvLens Language Server', serverOptions, clientOptions);
    await this.client.start();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.needsStop()) await client.stop();
  }

  /** Sends one of the custom requests declared in src/protocol/lsp.ts. */
  async request<R extends RequestSpec<unknown, unknown>>(spec: R, params: ParamsOf<R>, token?: vscode.CancellationToken): Promise<ResultOf<R>> {
    if (!this.client?.isRunning()) throw new Error('The ConvLens language server is not running.');
    return this.client.sendRequest<ResultOf<R>>(spec.method, params, token);
  }

  dispose(): void {
    void this.stop();
    this.outputChannel.dispose();
  }
}
