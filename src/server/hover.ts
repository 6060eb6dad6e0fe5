import { MarkupKind } from 'vscode-languageserver';
import { hover } from '../language/hover';
import type { Feature } from './feature';

export const hoverFeature: Feature = {
  capabilities: () => ({ hoverProvider: true }),
  register(context) {
    context.connection.onHover((params, token) =>
      context.answer('hover', params.textDocument.uri, token, null, (doc) => {
        const result = hover(doc.analysis, doc.lines.offsetAt(params.position), { notation: context.settings().shapeNotation });
        if (!result) return null;
        return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: doc.lines.range(result.span) };
      }),
    );
  },
};
