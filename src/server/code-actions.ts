/** Quick fixes as code actions, for the diagnostics the client sends back. */
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Span } from '../language/ast';
import { quickFixes } from '../language/quick-fixes';
import type { Analysis, Diagnostic } from '../language/types';
import type { Feature } from './feature';

export const codeActionsFeature: Feature = {
  capabilities: () => ({ codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } }),
  register(context) {
    context.connection.onCodeAction((params, token) =>
      context.answer('codeAction', params.textDocument.uri, token, [] as CodeAction[], (doc) => {
        const actions: CodeAction[] = [];
        for (const lsp of params.context.diagnostics) {
          const diagnostic = matching(doc.analysis, lsp, doc.lines.span(lsp.range));
          if (!diagnostic) continue;
          for (const fix of quickFixes(doc.analysis, diagnostic, context.analyze)) {
            actions.push({
              title: fix.title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [lsp],
              isPreferred: fix.preferred,
              edit: { changes: { [doc.uri]: fix.changes.map((c) => ({ range: doc.lines.range(c.span), newText: c.newText })) } },
            });
          }
        }
        return actions;
      }),
    );
  },
};

function matching(analysis: Analysis, lsp: LspDiagnostic, span: Span): Diagnostic | undefined {
  return analysis.diagnostics.find((d) => d.code === lsp.code && d.span.start === span.start && d.span.end === span.end);
}
