/**
 * `weights "resnet18.safetensors"`: a link to the weights file, by the rule
 * the preview and the CLI read it with (src/language/weights-path.ts). Only a
 * file in the model's folder or below is linked: never another scheme
 * (`command:`, `https:` …), an absolute path or one that climbs out.
 */
import type { DocumentLink } from 'vscode-languageserver';
import { weightsLinks } from '../language/document-links';
import { resolveWeightsPath } from '../language/weights-path';
import type { Feature } from './feature';

export const documentLinksFeature: Feature = {
  capabilities: () => ({ documentLinkProvider: { resolveProvider: false } }),
  register(context) {
    context.connection.onDocumentLinks((params, token) =>
      context.answer('documentLink', params.textDocument.uri, token, [] as DocumentLink[], (doc) => {
        const links: DocumentLink[] = [];
        for (const link of weightsLinks(doc.analysis)) {
          const target = resolve(link.path, doc.uri);
          if (target) links.push({ range: doc.lines.range(link.span), target, tooltip: 'Open the weights file' });
        }
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
