import { modelFacts } from '../language/model-facts';
import { previewFactsRequest, type ParamsOf, type PreviewFactsResult } from '../protocol/lsp';
import type { Feature } from './feature';

/** `convlens/previewFacts`: the model's input shape and weights file, from the document's cached analysis. */
export const previewFactsFeature: Feature = {
  capabilities: () => ({}),
  register(context) {
    context.connection.onRequest(previewFactsRequest.method, (params: ParamsOf<typeof previewFactsRequest>, token) =>
      context.answer('previewFacts', params.textDocument.uri, token, null, (doc): PreviewFactsResult => ({ version: doc.version, ...modelFacts(doc.analysis) })),
    );
  },
};
