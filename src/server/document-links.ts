/** `weights "resnet18.safetensors"`: a link to the weights file, relative to the model file. */
import type { DocumentLink } from 'vscode-languageserver';
import type { Body } from '../language/ast';
import type { Feature } from './server';

export const documentLinksFeature: Feature = {
  capabilities: () => ({ documentLinkProvider: { resolveProvider: false } }),
  register(context) {
    context.connection.onDocumentLinks((params, token) =>
      context.answer('documentLink', params.textDocument.uri, token, [] as DocumentLink[], (doc) => {
        const links: DocumentLink[] = [];
        const visit = (body: Body) => {
          for (const statement of body.statements) {
            if (statement.kind === 'weights' && statement.path.kind === 'string' && statement.path.value.length > 0) {
              const target = resolve(statement.path.value, doc.uri);
              // The range covers the text inside the quotes.
              const span = { start: statement.path.span.start + 1, end: Math.max(statement.path.span.start + 1, statement.path.span.end - 1) };
              if (target) links.push({ range: doc.lines.range(span), target, tooltip: 'Open the weights file' });
            } else if (statement.kind === 'repeat') visit(statement.body);
            else if (statement.kind === 'if') {
              visit(statement.then);
              if (statement.else) visit(statement.else);
            }
          }
        };
        for (const item of doc.analysis.program.items) visit(item.body);
        return links;
      }),
    );
  },
};

function resolve(path: string, base: string): string | undefined {
  try {
    return new URL(path.replace(/\\/g, '/'), base).toString();
  } catch {
    return undefined;
  }
}
