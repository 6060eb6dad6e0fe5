/** The outline, from the language's document symbols. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { documentSymbols, type OutlineKind, type OutlineSymbol } from '../language/document-symbols';
import type { LineIndex } from '../language/line-index';
import type { Feature } from './feature';

const kinds: Record<OutlineKind, SymbolKind> = {
  model: SymbolKind.Class,
  block: SymbolKind.Function,
  parameter: SymbolKind.TypeParameter,
  input: SymbolKind.Variable,
  let: SymbolKind.Constant,
  label: SymbolKind.Field,
  tensor: SymbolKind.Variable,
  layer: SymbolKind.Method,
};

export const documentSymbolsFeature: Feature = {
  capabilities: () => ({ documentSymbolProvider: { label: 'ConvLens' } }),
  register(context) {
    context.connection.onDocumentSymbol((params, token) =>
      context.answer('documentSymbol', params.textDocument.uri, token, [] as DocumentSymbol[], (doc) =>
        documentSymbols(doc.analysis, context.settings().shapeNotation).map((s) => toLsp(s, doc.lines)),
      ),
    );
  },
};

function toLsp(symbol: OutlineSymbol, lines: LineIndex): DocumentSymbol {
  const result: DocumentSymbol = { name: symbol.name, kind: kinds[symbol.kind], detail: symbol.detail, range: lines.range(symbol.span), selectionRange: lines.range(symbol.selectionSpan) };
  if (symbol.children) result.children = symbol.children.map((c) => toLsp(c, lines));
  return result;
}
