/** Semantic tokens, from the language's, encoded against the legend. */
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { semanticTokens, semanticTokenModifiers, semanticTokenTypes, type SemanticToken } from '../language/semantic-tokens';
import type { AnalyzedDocument } from './analysis-cache';
import type { Feature } from './feature';

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...semanticTokenTypes], tokenModifiers: [...semanticTokenModifiers] };

export const semanticTokensFeature: Feature = {
  capabilities: () => ({ semanticTokensProvider: { legend: semanticTokensLegend, full: true, range: false } }),
  register(context) {
    context.connection.languages.semanticTokens.on((params, token) =>
      context.answer('semanticTokens', params.textDocument.uri, token, { data: [] } as SemanticTokens, (doc) => encode(doc, semanticTokens(doc.analysis))),
    );
  },
};

function encode(doc: AnalyzedDocument, tokens: readonly SemanticToken[]): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const token of tokens) {
    const start = doc.lines.positionAt(token.span.start);
    const end = doc.lines.positionAt(token.span.end);
    // Tokens may not span lines; names never do, but a recovering parser's spans might.
    if (end.line !== start.line) continue;
    let modifiers = 0;
    for (const m of token.modifiers) modifiers |= 1 << semanticTokenModifiers.indexOf(m);
    builder.push(start.line, start.character, end.character - start.character, semanticTokenTypes.indexOf(token.type), modifiers);
  }
  return builder.build();
}
