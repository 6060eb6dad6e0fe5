/** Folding ranges, from the language's folds. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import { foldingRanges, type Fold } from '../language/folding';
import type { Feature } from './feature';

const kinds: Record<NonNullable<Fold['kind']>, FoldingRangeKind> = {
  comment: FoldingRangeKind.Comment,
  region: FoldingRangeKind.Region,
};

export const foldingFeature: Feature = {
  capabilities: () => ({ foldingRangeProvider: true }),
  register(context) {
    context.connection.onFoldingRanges((params, token) =>
      context.answer('foldingRange', params.textDocument.uri, token, [] as FoldingRange[], (doc) =>
        foldingRanges(doc.analysis, doc.lines).map((fold): FoldingRange => (fold.kind ? { startLine: fold.startLine, endLine: fold.endLine, kind: kinds[fold.kind] } : { startLine: fold.startLine, endLine: fold.endLine })),
      ),
    );
  },
};
