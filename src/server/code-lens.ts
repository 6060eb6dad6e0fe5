/**
 * Code lenses: the model's totals above it (a click opens the summary), and
 * above each block how often the model calls it.
 */
import type { CodeLens } from 'vscode-languageserver';
import { formatShape } from '../language/notation';
import { showSummaryCommand } from '../protocol/lsp';
import { formatMacsTotal, formatParamsTotal, modelTotals, type TotalFormat } from '../language/totals';
import type { Feature } from './feature';

const COMPACT: TotalFormat = { style: 'compact' };

export const codeLensFeature: Feature = {
  capabilities: () => ({ codeLensProvider: { resolveProvider: false } }),
  register(context) {
    context.connection.onCodeLens((params, token) =>
      context.answer('codeLens', params.textDocument.uri, token, [] as CodeLens[], (doc) => {
        const { analysis, lines } = doc;
        const notation = context.settings().shapeNotation;
        const lenses: CodeLens[] = [];
        for (const item of analysis.program.items) {
          const range = lines.range(item.name.span);
          if (item.kind === 'model') {
            const model = analysis.model;
            if (!model || model.name !== item.name.name) continue;
            // Past an error the totals are lower bounds, and say so.
            const totals = modelTotals(analysis);
            const title = `${formatShape(model.inputShape, notation)} → ${formatShape(model.outputShape, notation)} · ${formatParamsTotal(totals, COMPACT)} · ${formatMacsTotal(totals, COMPACT)}`;
            lenses.push({ range, command: { title, command: showSummaryCommand, arguments: [doc.uri] } });
          } else {
            const calls = analysis.calls.filter((c) => c.block === item.name.name);
            const runs = calls.reduce((n, c) => n + c.expansions, 0);
            const title = calls.length === 0 ? 'not called' : `${calls.length} call site${calls.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'}`;
            // An empty command id makes the lens a plain label.
            lenses.push({ range, command: { title, command: '' } });
          }
        }
        return lenses;
      }),
    );
  },
};
