/**
 * Folding: every `{ … }` body that spans lines, runs of comment lines, and
 * `# region` / `# endregion` markers (a folding provider replaces the editor's
 * own marker folding, so the markers are handled here too).
 */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Body, Span } from '../language/ast';
import type { LineIndex } from '../language/line-index';
import type { AnalyzedDocument } from './analysis-cache';
import type { Feature } from './feature';

export const foldingFeature: Feature = {
  capabilities: () => ({ foldingRangeProvider: true }),
  register(context) {
    context.connection.onFoldingRanges((params, token) =>
      context.answer('foldingRange', params.textDocument.uri, token, [] as FoldingRange[], (doc) => foldingRanges(doc)),
    );
  },
};

const regionStart = /^\s*#\s*region\b/;
const regionEnd = /^\s*#\s*endregion\b/;

export function foldingRanges(doc: AnalyzedDocument): FoldingRange[] {
  const { analysis, lines } = doc;
  const ranges: FoldingRange[] = [];
  const addBody = (body: Body) => {
    const start = lines.lineAt(body.span.start);
    // Keep the closing brace visible: fold up to the line before it.
    const end = lines.lineAt(Math.max(body.span.end - 1, body.span.start)) - 1;
    if (end > start) ranges.push({ startLine: start, endLine: end });
    for (const statement of body.statements) {
      if (statement.kind === 'repeat') addBody(statement.body);
      else if (statement.kind === 'if') {
        addBody(statement.then);
        if (statement.else) addBody(statement.else);
      }
    }
  };
  for (const item of analysis.program.items) addBody(item.body);
  // Concatenated, not pushed as a spread: a spread of a few hundred thousand ranges overflows the stack.
  return ranges.concat(commentRanges(analysis.program.comments, lines));
}

function commentRanges(comments: readonly Span[], lines: LineIndex): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const regions: number[] = [];
  let runStart = -1;
  let runEnd = -1;
  const closeRun = () => {
    if (runEnd > runStart) ranges.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    runStart = runEnd = -1;
  };
  for (const comment of comments) {
    const line = lines.lineAt(comment.start);
    const text = lines.text.slice(lines.lineStart(line), comment.end);
    if (regionStart.test(text)) {
      closeRun();
      regions.push(line);
      continue;
    }
    if (regionEnd.test(text)) {
      closeRun();
      const start = regions.pop();
      if (start !== undefined && line > start) ranges.push({ startLine: start, endLine: line, kind: FoldingRangeKind.Region });
      continue;
    }
    // Only whole-line comments make a foldable run.
    const wholeLine = text.trimStart().startsWith('#');
    if (!wholeLine) {
      closeRun();
      continue;
    }
    if (runStart >= 0 && line === runEnd + 1) runEnd = line;
    else {
      closeRun();
      runStart = runEnd = line;
    }
  }
  closeRun();
  return ranges;
}
