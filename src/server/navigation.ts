/**
 * Go to definition, find references, document highlights and rename, for
 * tensor names, blocks, block parameters, `let`s, the input and the model: all
 * read from the analysis' symbol table.
 */
import {
  DocumentHighlightKind,
  ErrorCodes,
  ResponseError,
  type DocumentHighlight,
  type Location,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Span } from '../language/ast';
import { getLayerSpec } from '../language/catalogue';
import { symbolAt } from '../language/locate';
import type { Analysis, SymbolInfo } from '../language/types';
import type { AnalyzedDocument } from './analysis-cache';
import type { Feature } from './feature';

/** Words a name may not take: the keywords, and `in`, which a block body reads as its input. */
const reserved = new Set(['model', 'block', 'input', 'weights', 'let', 'repeat', 'as', 'if', 'else', 'true', 'false', 'and', 'or', 'not', 'in']);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The symbol at the cursor; a cursor just after a name still finds it. */
function symbolAtCursor(analysis: Analysis, offset: number): ReturnType<typeof symbolAt> {
  return symbolAt(analysis, offset, { includeEnd: true });
}

/** Why a new name is refused, or null when it is fine. */
export function invalidName(symbol: SymbolInfo, name: string): string | null {
  if (!identifier.test(name)) return `\`${name}\` is not a name: use letters, digits and _, not starting with a digit`;
  if (reserved.has(name)) return `\`${name}\` is a keyword`;
  if (symbol.kind === 'block' && getLayerSpec(name)) return `\`${name}\` is a built-in layer`;
  return null;
}

export const navigationFeature: Feature = {
  capabilities: (client) => ({
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: client.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
  }),
  register(context) {
    const { connection } = context;
    const location = (doc: AnalyzedDocument, span: Span): Location => ({ uri: doc.uri, range: doc.lines.range(span) });

    connection.onDefinition((params, token) =>
      context.answer('definition', params.textDocument.uri, token, null, (doc) => {
        const found = symbolAtCursor(doc.analysis, doc.lines.offsetAt(params.position));
        return found ? location(doc, found.symbol.definition) : null;
      }),
    );

    connection.onReferences((params, token) =>
      context.answer('references', params.textDocument.uri, token, [] as Location[], (doc) => {
        const found = symbolAtCursor(doc.analysis, doc.lines.offsetAt(params.position));
        if (!found) return [];
        const spans = params.context.includeDeclaration ? [found.symbol.definition, ...found.symbol.references] : found.symbol.references;
        return spans.map((span) => location(doc, span));
      }),
    );

    connection.onDocumentHighlight((params, token) =>
      context.answer('documentHighlight', params.textDocument.uri, token, [] as DocumentHighlight[], (doc) => {
        const found = symbolAtCursor(doc.analysis, doc.lines.offsetAt(params.position));
        if (!found) return [];
        return [
          { range: doc.lines.range(found.symbol.definition), kind: DocumentHighlightKind.Write },
          ...found.symbol.references.map((span) => ({ range: doc.lines.range(span), kind: DocumentHighlightKind.Read })),
        ];
      }),
    );

    connection.onPrepareRename((params, token) =>
      context.answer('prepareRename', params.textDocument.uri, token, null, (doc) => {
        const found = symbolAtCursor(doc.analysis, doc.lines.offsetAt(params.position));
        return found ? { range: doc.lines.range(found.span), placeholder: found.symbol.name } : null;
      }),
    );

    connection.onRenameRequest((params, token) =>
      context.answer<WorkspaceEdit | ResponseError<void> | null>('rename', params.textDocument.uri, token, null, (doc) => {
        const found = symbolAtCursor(doc.analysis, doc.lines.offsetAt(params.position));
        if (!found) return null;
        const problem = invalidName(found.symbol, params.newName);
        // A refused name is the user's to fix, so it travels as an error the client shows.
        if (problem) return new ResponseError(ErrorCodes.InvalidParams, problem);
        const edits: TextEdit[] = [found.symbol.definition, ...found.symbol.references].map((span) => ({
          range: doc.lines.range(span),
          newText: params.newName,
        }));
        return { changes: { [doc.uri]: edits } };
      }),
    );
  },
};
