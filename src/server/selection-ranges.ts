/** Smart select, from `enclosingSpans`: each span becomes a range whose parent is the one around it. */
import type { SelectionRange } from 'vscode-languageserver';
import { enclosingSpans } from '../language/selection-ranges';
import type { Feature } from './feature';

export const selectionRangesFeature: Feature = {
  capabilities: () => ({ selectionRangeProvider: true }),
  register(context) {
    context.connection.onSelectionRanges((params, token) =>
      context.answer('selectionRange', params.textDocument.uri, token, [] as SelectionRange[], (doc) =>
        params.positions.map((position) => {
          const offset = doc.lines.offsetAt(position);
          const spans = enclosingSpans(doc.analysis.program, doc.analysis.text, offset);
          let range: SelectionRange | undefined;
          for (const span of spans) range = { range: doc.lines.range(span), parent: range };
          return range ?? { range: { start: position, end: position } };
        }),
      ),
    );
  },
};
