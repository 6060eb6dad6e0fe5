/** The VS Code client: wiring only. Everything it shows comes from the server. */
import * as vscode from 'vscode';
import { previewFactsRequest, showSummaryCommand } from '../protocol/lsp';
import { ServerHandle } from './client';
import { Config, configSection } from './config';
import { PreviewPanels } from './preview';
import { serverFacts } from './preview-spec';
import { SummaryDocuments, summaryScheme } from './summary';

let server: ServerHandle | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = new Config(() => vscode.workspace.getConfiguration(configSection));
  server = new ServerHandle(context, config);
  const summaries = new SummaryDocuments(server);
  const handle = server;
  // The preview's page is told what the server's analysis found (else the extension analyses the text itself).
  const previews = new PreviewPanels(context.extensionUri, serverFacts((uri) => handle.request(previewFactsRequest, { textDocument: { uri } })));

  context.subscriptions.push(
    handle,
    summaries,
    previews,
    vscode.workspace.registerTextDocumentContentProvider(summaryScheme, summaries),
    vscode.commands.registerCommand(showSummaryCommand, (uri?: unknown) => summaries.show(typeof uri === 'string' ? uri : undefined)),
    vscode.commands.registerCommand('convlens.restartServer', () => handle.restart()),
    vscode.commands.registerCommand('convlens.previewFeatureMaps', (uri?: unknown) => previews.show(uri)),
    vscode.commands.registerCommand('convlens.previewFeatureMapsLocked', (uri?: unknown) => previews.show(uri, { locked: true })),
    vscode.commands.registerCommand('convlens.togglePreviewLock', () => previews.toggleLock()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (config.requiresRestart(event)) void handle.restart();
    }),
  );
  await handle.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
