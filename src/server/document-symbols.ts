/**
 * The outline: the model and each block, with the input, `let`s, labelled
 * layers and named tensors inside them, each with its shape.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Body, Identifier, Item, Span } from '../language/ast';
import { formatCompact, formatShape, type ShapeNotation } from '../language/notation';
import type { Analysis, Shape } from '../language/types';
import type { AnalyzedDocument } from './analysis-cache';
import type { Feature } from './server';

export const documentSymbolsFeature: Feature = {
  capabilities: () => ({ documentSymbolProvider: { label: 'ConvLens' } }),
  register(context) {
    context.connection.onDocumentSymbol((params, token) =>
      context.answer('documentSymbol', params.textDocument.uri, token, [] as DocumentSymbol[], (doc) =>
        doc.analysis.program.items.map((item) => itemSymbol(doc, item, context.settings().shapeNotation)),
      ),
    );
  },
};

function itemSymbol(doc: AnalyzedDocument, item: Item, notation: ShapeNotation): DocumentSymbol {
  const { analysis } = doc;
  const children: DocumentSymbol[] = [];
  if (item.kind === 'block') {
    for (const param of item.params) children.push(symbol(doc, param.name, param.span, SymbolKind.TypeParameter, 'parameter'));
  }
  bodySymbols(doc, item.body, notation, children);

  let detail: string;
  if (item.kind === 'model') {
    const model = analysis.model;
    detail = model && model.name === item.name.name ? `${formatShape(model.inputShape, notation)} → ${formatShape(model.outputShape, notation)} · ${formatCompact(model.totalParams)} params` : 'model';
  } else {
    detail = `(${item.params.map((p) => p.name.name).join(', ')})`;
  }
  return { ...symbol(doc, item.name, item.span, item.kind === 'model' ? SymbolKind.Class : SymbolKind.Function, detail), children };
}

function bodySymbols(doc: AnalyzedDocument, body: Body, notation: ShapeNotation, out: DocumentSymbol[]): void {
  for (const statement of body.statements) {
    switch (statement.kind) {
      case 'input':
        out.push(symbol(doc, statement.name, statement.span, SymbolKind.Variable, shapeText(doc.analysis, statement.name, notation)));
        break;
      case 'let':
        out.push(symbol(doc, statement.name, statement.span, SymbolKind.Constant, doc.analysis.text.slice(statement.value.span.start, statement.value.span.end)));
        break;
      case 'layer':
        if (statement.label) out.push(symbol(doc, statement.label, statement.span, SymbolKind.Field, statement.stages.map((s) => s.callee.name).join(' | ')));
        for (const target of statement.targets) out.push(symbol(doc, target, statement.span, SymbolKind.Variable, shapeText(doc.analysis, target, notation)));
        break;
      case 'repeat':
        bodySymbols(doc, statement.body, notation, out);
        break;
      case 'if':
        bodySymbols(doc, statement.then, notation, out);
        if (statement.else) bodySymbols(doc, statement.else, notation, out);
        break;
      case 'weights':
        break;
    }
  }
}

function shapeText(analysis: Analysis, name: Identifier, notation: ShapeNotation): string {
  const info = analysis.symbols.find((s) => s.definition.start === name.span.start && s.definition.end === name.span.end);
  const shape: Shape | undefined = info?.shape;
  return shape === undefined ? '' : formatShape(shape, notation);
}

function symbol(doc: AnalyzedDocument, name: Identifier, span: Span, kind: SymbolKind, detail: string): DocumentSymbol {
  // The LSP requires the selection range to lie inside the range.
  const range: Span = { start: Math.min(span.start, name.span.start), end: Math.max(span.end, name.span.end) };
  return { name: name.name || '?', kind, detail, range: doc.lines.range(range), selectionRange: doc.lines.range(name.span) };
}
