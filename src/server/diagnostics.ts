import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { CODES, messages } from '../language/messages';
import type { Diagnostic, Severity } from '../language/types';
import type { AnalyzedDocument } from './analysis-cache';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * Diagnostics published per document, besides the note that says how many
 * more there were. Syntax errors stop at `MAX_SYNTAX_ERRORS` already; this
 * bounds what a file of many bad lines sends on every edit.
 */
export const MAX_PUBLISHED_DIAGNOSTICS = 1000;

const severityOrder: readonly Severity[] = ['error', 'warning', 'info'];

/**
 * The analysis' diagnostics as the LSP wants them; related spans stay in the
 * same document. Past `MAX_PUBLISHED_DIAGNOSTICS`, errors are kept before
 * warnings and warnings before information, each in source order, and a last
 * `diagnostics-capped` note at the first one left out says how many were.
 */
export function toLspDiagnostics(doc: AnalyzedDocument): LspDiagnostic[] {
  const all = doc.analysis.diagnostics;
  if (all.length <= MAX_PUBLISHED_DIAGNOSTICS) return all.map((d) => toLspDiagnostic(doc, d));
  const keep = new Set<Diagnostic>();
  for (const severity of severityOrder) {
    for (const d of all) {
      if (keep.size === MAX_PUBLISHED_DIAGNOSTICS) break;
      if (d.severity === severity) keep.add(d);
    }
  }
  const result: LspDiagnostic[] = [];
  let firstLeftOut: Diagnostic | undefined;
  for (const d of all) {
    if (keep.has(d)) result.push(toLspDiagnostic(doc, d));
    else firstLeftOut ??= d;
  }
  const range = doc.lines.range({ start: firstLeftOut!.span.start, end: firstLeftOut!.span.start });
  result.push({
    range,
    severity: severities[CODES['diagnostics-capped']],
    code: 'diagnostics-capped',
    source: 'convlens',
    message: messages.diagnosticsCapped(MAX_PUBLISHED_DIAGNOSTICS, all.length - MAX_PUBLISHED_DIAGNOSTICS),
  });
  return result;
}

/** What a document shows when its analysis failed (a bug), instead of the diagnostics of an older version. */
export function analysisFailedDiagnostic(error: unknown): LspDiagnostic {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: severities[CODES['analysis-failed']],
    code: 'analysis-failed',
    source: 'convlens',
    message: messages.analysisFailed(why),
  };
}

function toLspDiagnostic(doc: AnalyzedDocument, d: Diagnostic): LspDiagnostic {
  const result: LspDiagnostic = {
    range: doc.lines.range(d.span),
    severity: severities[d.severity],
    code: d.code,
    source: 'convlens',
    message: d.message,
  };
  if (d.related && d.related.length > 0) {
    result.relatedInformation = d.related.map((r) => ({
      location: { uri: doc.uri, range: doc.lines.range(r.span) },
      message: r.message,
    }));
  }
  return result;
}
