import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../language/types';
import type { AnalyzedDocument } from './analysis-cache';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The analysis' diagnostics as the LSP wants them; related spans stay in the same document. */
export function toLspDiagnostics(doc: AnalyzedDocument): LspDiagnostic[] {
  return doc.analysis.diagnostics.map((d) => toLspDiagnostic(doc, d));
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
