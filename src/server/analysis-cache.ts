import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../language/types';
import { LineIndex } from '../language/line-index';

/** What every handler works from: one version of one document, analysed once. */
export interface AnalyzedDocument {
  readonly uri: string;
  readonly version: number;
  readonly analysis: Analysis;
  readonly lines: LineIndex;
}

export type Analyzer = (text: string) => Analysis;

/**
 * Analyses each `(uri, version)` at most once. Handlers for hover, inlay hints,
 * diagnostics and the rest all ask here, so a burst of requests after an edit
 * costs one analysis.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, AnalyzedDocument>();

  constructor(private readonly analyze: Analyzer) {}

  get(document: TextDocument): AnalyzedDocument {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    // Every handler asks for the current version, so the stale analysis is garbage
    // already: dropping it before analysing keeps the collector from tracing two
    // analyses (the major collections behind the slow edits), and if analysis
    // throws, nothing stale stays behind.
    if (cached) this.entries.delete(document.uri);
    const text = document.getText();
    const entry: AnalyzedDocument = {
      uri: document.uri,
      version: document.version,
      analysis: this.analyze(text),
      lines: new LineIndex(text),
    };
    this.entries.set(document.uri, entry);
    return entry;
  }

  /** Drops a closed document, so memory follows the open set. */
  delete(uri: string): void {
    this.entries.delete(uri);
  }

  get size(): number {
    return this.entries.size;
  }
}
