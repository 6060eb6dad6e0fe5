/**
 * The LSP adapter: glue between a connection and the pure language service.
 * Every handler looks up the document, takes the cached analysis for its
 * `(uri, version)`, calls a pure function and converts offsets to ranges, all
 * under `runSafe`.
 */
import {
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerSettings } from '../protocol/lsp';
import { AnalysisCache, type Analyzer } from './analysis-cache';
import { toLspDiagnostics } from './diagnostics';
import { runSafeVoid, type Logger } from './safe';
import { readSettings } from './settings';

export interface ServerOptions {
  readonly analyze: Analyzer;
}

/** Everything a feature module needs to answer a request. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly cache: AnalysisCache;
  readonly logger: Logger;
  settings(): ServerSettings;
}

export function startServer(connection: Connection, options: ServerOptions): ServerContext {
  const documents = new TextDocuments(TextDocument);
  const cache = new AnalysisCache(options.analyze);
  const logger: Logger = { error: (message) => connection.console.error(message) };
  let settings = readSettings(undefined);
  const context: ServerContext = { connection, documents, cache, logger, settings: () => settings };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    settings = readSettings(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      },
      serverInfo: { name: 'convlens', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration((params) => {
    const raw: unknown = params.settings;
    const section = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).convlens : undefined;
    settings = readSettings(section);
  });

  const diagnostics = new DiagnosticsScheduler(context);
  documents.onDidOpen((event) => diagnostics.schedule(event.document.uri));
  documents.onDidChangeContent((event) => diagnostics.schedule(event.document.uri));
  documents.onDidClose((event) => {
    cache.delete(event.document.uri);
    diagnostics.clear(event.document.uri);
  });

  documents.listen(connection);
  connection.listen();
  return context;
}

/**
 * Publishes diagnostics after opens and changes. A burst of changes that
 * arrives in one read is validated once, at its last version: validation
 * waits one turn of the event loop, and by then the document may have moved on.
 */
class DiagnosticsScheduler {
  private readonly pending = new Set<string>();

  constructor(private readonly context: ServerContext) {}

  schedule(uri: string): void {
    if (this.pending.has(uri)) return;
    this.pending.add(uri);
    setImmediate(() => {
      this.pending.delete(uri);
      this.publish(uri);
    });
  }

  clear(uri: string): void {
    this.pending.delete(uri);
    void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private publish(uri: string): void {
    const { documents, cache, connection, logger } = this.context;
    runSafeVoid(logger, 'diagnostics', () => {
      const document = documents.get(uri);
      if (!document) return;
      const doc = cache.get(document);
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: toLspDiagnostics(doc) });
    });
  }
}
