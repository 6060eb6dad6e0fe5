/**
 * What a feature module is and what it is given: the one contract between
 * `server.ts` and the feature modules, kept apart so that they import it
 * rather than `server.ts` (which imports them).
 */
import type {
  CancellationToken,
  ClientCapabilities,
  Connection,
  ResponseError,
  ServerCapabilities,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerSettings } from '../protocol/lsp';
import type { AnalysisCache, AnalyzedDocument, Analyzer } from './analysis-cache';
import type { Logger } from './safe';

/** Everything a feature module needs to answer a request. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly cache: AnalysisCache;
  readonly logger: Logger;
  /** The pure analysis, for features that try edits (quick fixes verify theirs). */
  readonly analyze: Analyzer;
  settings(): ServerSettings;
  clientCapabilities(): ClientCapabilities;
  /**
   * Answers a request about one document: looks it up, takes its cached
   * analysis and runs `work` under `runSafe`. An unknown document answers `fallback`.
   */
  answer<T>(name: string, uri: string, token: CancellationToken | undefined, fallback: T, work: (doc: AnalyzedDocument) => T): Promise<T | ResponseError<void>>;
}

/** One LSP feature: what it announces, and the handlers it installs. */
export interface Feature {
  capabilities(client: ClientCapabilities): ServerCapabilities;
  register(context: ServerContext): void;
  /** Called after the settings change. */
  onSettingsChanged?(context: ServerContext): void;
}
