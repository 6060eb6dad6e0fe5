import { summaryTable } from '../language/summary';
import { formatShape } from '../language/notation';
import { summaryRequest, type ParamsOf, type SummaryResult } from '../protocol/lsp';
import type { Feature } from './feature';

/** `convlens/summary`: the torchinfo-style table, as text and as rows. */
export const summaryFeature: Feature = {
  capabilities: () => ({}),
  register(context) {
    context.connection.onRequest(summaryRequest.method, (params: ParamsOf<typeof summaryRequest>, token) =>
      context.answer('summary', params.textDocument.uri, token, null, (doc): SummaryResult | null => {
        const { analysis, lines } = doc;
        const notation = context.settings().shapeNotation;
        const model = analysis.model;
        return {
          uri: doc.uri,
          version: doc.version,
          model: model?.name ?? null,
          inputShape: formatShape(model?.inputShape ?? null, notation),
          outputShape: formatShape(model?.outputShape ?? null, notation),
          totalParams: model?.totalParams ?? 0,
          totalMacs: model?.totalMacs ?? 0,
          rows: analysis.layers.map((layer) => ({
            name: layer.name,
            kind: layer.kind,
            depth: layer.callStack.length,
            outputShape: formatShape(layer.outputShape, notation),
            params: layer.params,
            macs: layer.macs,
            range: lines.range(layer.span),
          })),
          text: summaryTable(analysis, { notation }),
        };
      }),
    );
  },
};
