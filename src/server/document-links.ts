/**
 * `weights "resnet18.safetensors"`: a link to the weights file, by the rule
 * the preview and the CLI read it with (src/language/weights-path.ts). Only a
 * file in the model's folder or below is linked: never another scheme
 * (`command:`, `https:` …), an absolute path or one that climbs out.
 */
import type { DocumentLink } from 'vscode-languageserver';
import type { Body } from '../language/ast';
import { resolveWeightsPath } from '../language/weights-path';
import type { Feature } from './feature';

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

/** The `file:` URI of the weights file `weights` names, relative to the model at `documentUri`; undefined when the rule refuses it. */
function resolve(weights: string, documentUri: string): string | undefined {
  let url: URL;
  let specPath: string;
  try {
    url = new URL(documentUri);
    specPath = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'file:') return undefined;
  const resolved = resolveWeightsPath(specPath, weights);
  if (!resolved.ok) return undefined;
  url.pathname = resolved.path.split('/').map(encodeURIComponent).join('/');
  url.search = '';
  url.hash = '';
  return url.toString();
}
