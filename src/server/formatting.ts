/** Document and range formatting, through the language's formatter. */
import type { TextEdit } from 'vscode-languageserver';
import { format } from '../language/format';
import type { TextChange } from '../language/text-change';
import type { AnalyzedDocument } from './analysis-cache';
import type { Feature } from './feature';

export const formattingFeature: Feature = {
  capabilities: () => ({ documentFormattingProvider: true, documentRangeFormattingProvider: true }),
  register(context) {
    const toLsp = (doc: AnalyzedDocument, changes: readonly TextChange[]): TextEdit[] => changes.map((c) => ({ range: doc.lines.range(c.span), newText: c.newText }));

    context.connection.onDocumentFormatting((params, token) =>
      context.answer('formatting', params.textDocument.uri, token, [] as TextEdit[], (doc) =>
        toLsp(doc, format(doc.analysis.text, { indent: params.options.tabSize }).edits),
      ),
    );
    context.connection.onDocumentRangeFormatting((params, token) =>
      context.answer('rangeFormatting', params.textDocument.uri, token, [] as TextEdit[], (doc) =>
        toLsp(doc, format(doc.analysis.text, { indent: params.options.tabSize, range: doc.lines.span(params.range) }).edits),
      ),
    );
  },
};
