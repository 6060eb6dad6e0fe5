/** Definition, references, highlights and rename, from the language's navigation. */
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
import { definition, highlights, prepareRename, references, rename } from '../language/navigation';
import type { AnalyzedDocument } from './analysis-cache';
import type { Feature } from './feature';

const highlightKinds = { write: DocumentHighlightKind.Write, read: DocumentHighlightKind.Read } as const;

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
        const span = definition(doc.analysis, doc.lines.offsetAt(params.position));
        return span ? location(doc, span) : null;
      }),
    );

    connection.onReferences((params, token) =>
      context.answer('references', params.textDocument.uri, token, [] as Location[], (doc) =>
        references(doc.analysis, doc.lines.offsetAt(params.position), { includeDeclaration: params.context.includeDeclaration }).map((span) => location(doc, span)),
      ),
    );

    connection.onDocumentHighlight((params, token) =>
      context.answer('documentHighlight', params.textDocument.uri, token, [] as DocumentHighlight[], (doc) =>
        highlights(doc.analysis, doc.lines.offsetAt(params.position)).map((h) => ({ range: doc.lines.range(h.span), kind: highlightKinds[h.kind] })),
      ),
    );

    connection.onPrepareRename((params, token) =>
      context.answer('prepareRename', params.textDocument.uri, token, null, (doc) => {
        const found = prepareRename(doc.analysis, doc.lines.offsetAt(params.position));
        return found ? { range: doc.lines.range(found.span), placeholder: found.placeholder } : null;
      }),
    );

    connection.onRenameRequest((params, token) =>
      context.answer<WorkspaceEdit | ResponseError<void> | null>('rename', params.textDocument.uri, token, null, (doc) => {
        const result = rename(doc.analysis, doc.lines.offsetAt(params.position), params.newName);
        if (!result) return null;
        // A refused name is the user's to fix, so it travels as an error the client shows.
        if ('refused' in result) return new ResponseError(ErrorCodes.InvalidParams, result.refused);
        const edits: TextEdit[] = result.changes.map((c) => ({ range: doc.lines.range(c.span), newText: c.newText }));
        return { changes: { [doc.uri]: edits } };
      }),
    );
  },
};
