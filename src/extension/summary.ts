import * as vscode from 'vscode';
import { summaryRequest } from '../protocol/lsp';
import type { ServerHandle } from './client';

export const summaryScheme = 'convlens-summary';

/**
 * Shows the model summary as a read-only virtual document. Its URI carries the
 * source document's URI in the query, so reopening or refreshing asks the
 * server again for the current version.
 */
export class SummaryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(private readonly server: ServerHandle) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        for (const open of vscode.workspace.textDocuments) {
          if (open.uri.scheme === summaryScheme && open.uri.query === event.document.uri.toString()) this.changed.fire(open.uri);
        }
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const result = await this.server.request(summaryRequest, { textDocument: { uri: uri.query } }, token);
    return result?.text ?? 'This file has no model to summarise.';
  }

  /** The command: summarise a `.cnn` document (the code lens passes its URI; else the active editor's) beside it. */
  async show(sourceUri?: string): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const source = sourceUri ? vscode.Uri.parse(sourceUri) : editor?.document.languageId === 'cnn' ? editor.document.uri : undefined;
    if (!source) {
      void vscode.window.showInformationMessage('Open a .cnn file to see its model summary.');
      return;
    }
    const name = source.path.split('/').pop() ?? 'model';
    // The name must not end in `.cnn`: VS Code picks a document's language by its extension.
    const uri = vscode.Uri.from({ scheme: summaryScheme, path: `${name} (summary)`, query: source.toString() });
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'plaintext') document = await vscode.languages.setTextDocumentLanguage(document, 'plaintext');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
