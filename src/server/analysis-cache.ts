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
 * Makes the analyzer of one document, which may remember the document's
 * previous version to analyse the next one faster (its result must not depend on it).
 */
export type DocumentAnalyzerFactory = () => Analyzer;

/**
 * Analyses each `(uri, version)` at most once. Handlers for hover, inlay hints,
 * diagnostics and the rest all ask here, so a burst of requests after an edit
 * costs one analysis.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, AnalyzedDocument>();
  private readonly analyzers = new Map<string, Analyzer>();

  constructor(
    private readonly analyze: Analyzer,
    private readonly documentAnalyzer?: DocumentAnalyzerFactory,
    /** Told when a document's own analyzer failed and the plain `analyze` stood in. */
    private readonly onFallback?: (uri: string, error: unknown) => void,
  ) {}

  get(document: TextDocument): AnalyzedDocument {
    const current = this.current(document);
    if (current) return current;
    const text = document.getText();
    let analyze = this.analyzers.get(document.uri) ?? this.analyze;
    if (analyze === this.analyze && this.documentAnalyzer) {
      analyze = this.documentAnalyzer();
      this.analyzers.set(document.uri, analyze);
    }
    const entry = new Entry(document.uri, document.version, this.run(document.uri, analyze, text));
    this.entries.set(document.uri, entry);
    return entry;
  }

  /**
   * A document analyzer reuses state across versions, so a bug there must not
   * cost the document its diagnostics for good: the plain analysis stands in,
   * and the document starts over with a new analyzer. A failure of the plain
   * analysis is the caller's.
   */
  private run(uri: string, analyze: Analyzer, text: string): Analysis {
    if (analyze === this.analyze) return analyze(text);
    try {
      return analyze(text);
    } catch (error) {
      this.analyzers.delete(uri);
      this.onFallback?.(uri, error);
      return this.analyze(text);
    }
  }

  /**
   * The entry for this version, else undefined after dropping the stale one.
   * Every handler asks for the current version, so the stale analysis is garbage
   * already (and a document analyzer may take its syntax tree over for the next
   * version, see `DocumentAnalyzer`): dropping it before analysing keeps the collector from tracing two
   * analyses (the major collections behind the slow edits), and if analysis
   * throws, nothing stale stays behind. A separate method, so no variable of
   * `get` holds the stale entry while it analyses.
   */
  private current(document: TextDocument): AnalyzedDocument | undefined {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    if (cached) this.entries.delete(document.uri);
    return undefined;
  }

  /** Drops a closed document, so memory follows the open set. */
  delete(uri: string): void {
    this.entries.delete(uri);
    this.analyzers.delete(uri);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** An analysed version; its line index is built when first needed (publishing no diagnostics needs none). */
class Entry implements AnalyzedDocument {
  private lineIndex: LineIndex | null = null;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly analysis: Analysis,
  ) {}

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.analysis.text));
  }
}
