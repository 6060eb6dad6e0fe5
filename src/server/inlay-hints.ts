import { InlayHintKind, MarkupKind, type InlayHint } from 'vscode-languageserver';
import { inlayHints } from '../language/inlay-hints';
import type { Feature } from './feature';

export const inlayHintsFeature: Feature = {
  capabilities: () => ({ inlayHintProvider: { resolveProvider: false } }),
  register(context) {
    context.connection.languages.inlayHint.on((params, token) =>
      context.answer('inlayHint', params.textDocument.uri, token, [] as InlayHint[], (doc) => {
        const settings = context.settings();
        const hints = inlayHints(doc.analysis, {
          notation: settings.shapeNotation,
          outputShape: settings.inlayHints.outputShape,
          params: settings.inlayHints.params,
          within: doc.lines.span(params.range),
        });
        return hints.map(
          (h): InlayHint => ({
            position: doc.lines.positionAt(h.offset),
            label: h.label,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: { kind: MarkupKind.Markdown, value: h.tooltip },
          }),
        );
      }),
    );
  },
  onSettingsChanged(context) {
    // The hints' text depends on the settings; ask the client to fetch them again.
    if (context.clientCapabilities().workspace?.inlayHint?.refreshSupport) void context.connection.languages.inlayHint.refresh();
  },
};
