/**
 * The LSP adapter: glue between a connection and the pure language service.
 * Every handler looks up the document, takes the cached analysis for its
 * `(uri, version)`, calls a pure function and converts offsets to ranges, all
 * under `runSafe`.
 */
import {
  TextDocumentSyncKind,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache, type Analyzer, type DocumentAnalyzerFactory } from './analysis-cache';
import { codeActionsFeature } from './code-actions';
import { codeLensFeature } from './code-lens';
import { completionFeature } from './completion';
import { analysisFailedDiagnostic, toLspDiagnostics } from './diagnostics';
import { documentLinksFeature } from './document-links';
import { documentSymbolsFeature } from './document-symbols';
import type { Feature, ServerContext } from './feature';
import { foldingFeature } from './folding';
import { formattingFeature } from './formatting';
import { hoverFeature } from './hover';
import { inlayHintsFeature } from './inlay-hints';
import { navigationFeature } from './navigation';
import { previewFactsFeature } from './preview-facts';
import { afterQueuedMessages, describeError, runSafe, runSafeVoid, type Logger } from './safe';
import { selectionRangesFeature } from './selection-ranges';
import { semanticTokensFeature } from './semantic-tokens';
import { readSettings } from './settings';
import { signatureHelpFeature } from './signature-help';
import { summaryFeature } from './summary';

export interface ServerOptions {
  readonly analyze: Analyzer;
  /** For the open documents: an analyzer per document that may reuse its previous analysis (else `analyze`). */
  readonly documentAnalyzer?: DocumentAnalyzerFactory;
}

const features: readonly Feature[] = [
  hoverFeature,
  inlayHintsFeature,
  completionFeature,
  signatureHelpFeature,
  navigationFeature,
  documentSymbolsFeature,
  documentLinksFeature,
  foldingFeature,
  selectionRangesFeature,
  semanticTokensFeature,
  formattingFeature,
  codeActionsFeature,
  codeLensFeature,
  summaryFeature,
  previewFactsFeature,
];

export function startServer(connection: Connection, options: ServerOptions): ServerContext {
  const documents = new TextDocuments(TextDocument);
  const logger: Logger = { error: (message) => connection.console.error(message) };
  const cache = new AnalysisCache(options.analyze, options.documentAnalyzer, (uri, error) =>
    logger.error(`incremental analysis of ${uri} failed, so it was analysed afresh: ${describeError(error)}`),
  );
  let settings = readSettings(undefined);
  let client: ClientCapabilities = {};

  const context: ServerContext = {
    connection,
    documents,
    cache,
    logger,
    analyze: options.analyze,
    settings: () => settings,
    clientCapabilities: () => client,
    answer(name, uri, token, fallback, work) {
      return runSafe(logger, name, token, fallback, () => {
        const document = documents.get(uri);
        return document && analysable(uri) ? work(cache.get(document)) : fallback;
      });
    },
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    client = params.capabilities;
    settings = readSettings(params.initializationOptions);
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    };
    for (const feature of features) Object.assign(capabilities, feature.capabilities(client));
    return { capabilities, serverInfo: { name: 'convlens', version: '0.1.0' } };
  });

  connection.onDidChangeConfiguration((params) => {
    runSafeVoid(logger, 'didChangeConfiguration', () => {
      const raw: unknown = params.settings;
      const section = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).convlens : undefined;
      // Another extension's settings, or a bare "something changed": keep ours.
      if (section === undefined) return;
      settings = readSettings(section);
      for (const feature of features) feature.onSettingsChanged?.(context);
    });
  });

  for (const feature of features) feature.register(context);

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
 * Whether a document is one the user edits: a file or an untitled buffer (code-server's extension host
 * sees workspace files as `file` too). Generated views (`git:`, the model summary, output channels) are
 * left alone, even when the client sends them.
 */
export function analysable(uri: string): boolean {
  return /^(file|untitled):/i.test(uri);
}

/**
 * Publishes diagnostics after opens and changes. A burst of changes that
 * arrives together is validated once, at its last version: validation waits
 * until the changes already received are applied.
 */
class DiagnosticsScheduler {
  private readonly pending = new Set<string>();

  constructor(private readonly context: ServerContext) {}

  schedule(uri: string): void {
    if (this.pending.has(uri)) return;
    this.pending.add(uri);
    afterQueuedMessages(() => {
      this.pending.delete(uri);
      this.publish(uri);
    });
  }

  clear(uri: string): void {
    this.pending.delete(uri);
    void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Publishes the current version's diagnostics; if analysis fails, a diagnostic that says so replaces the old ones. */
  private publish(uri: string): void {
    const { documents, cache, connection, logger } = this.context;
    const document = documents.get(uri);
    if (!document || !analysable(uri)) return;
    let diagnostics: LspDiagnostic[];
    try {
      diagnostics = toLspDiagnostics(cache.get(document));
    } catch (error) {
      logger.error(`diagnostics failed: ${describeError(error)}`);
      diagnostics = [analysisFailedDiagnostic(error)];
    }
    runSafeVoid(logger, 'diagnostics', () => void connection.sendDiagnostics({ uri, version: document.version, diagnostics }));
  }
}
