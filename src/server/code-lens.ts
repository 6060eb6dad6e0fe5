/** Code lenses, from the language's; the model's runs the client's summary command on the document. */
import type { CodeLens } from 'vscode-languageserver';
import { codeLenses } from '../language/code-lens';
import { showSummaryCommand } from '../protocol/lsp';
import type { Feature } from './feature';

export const codeLensFeature: Feature = {
  capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),
  register(context) {
    context.connection.onCodeLens((params, token) =>
      context.answer('codeLens', params.textDocument.uri, token, [] as CodeLens[], (doc) =>
        codeLenses(doc.analysis, context.settings().shapeNotation).map(
          (lens): CodeLens => ({
            range: doc.lines.range(lens.span),
            // An empty command id makes the lens a plain label.
            command: lens.opensSummary ? { title: lens.title, command: showSummaryCommand, arguments: [doc.uri] } : { title: lens.title, command: '' },
          }),
        ),
      ),
    );
  },
};
