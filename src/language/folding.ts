/**
 * Folding: every `{ … }` body that spans lines, runs of comment lines, and
 * `# region` / `# endregion` markers (an editor's folding provider replaces its
 * own marker folding, so the markers are handled here too).
 */
import type { Body, Span } from './ast';
import type { LineIndex } from './line-index';
import type { Analysis } from './types';

/** A foldable run of lines, zero-based and inclusive: a body (no kind), a comment run or a region. */
export interface Fold {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment' | 'region';
}

const regionStart = /^\s*#\s*region\b/;
const regionEnd = /^\s*#\s*endregion\b/;

/** The folds of an analysed document, whose lines `lines` indexes. */
export function foldingRanges(analysis: Analysis, lines: LineIndex): Fold[] {
  const folds: Fold[] = [];
  const addBody = (body: Body) => {
    const start = lines.lineAt(body.span.start);
    // Keep the closing brace visible: fold up to the line before it.
    const end = lines.lineAt(Math.max(body.span.end - 1, body.span.start)) - 1;
    if (end > start) folds.push({ startLine: start, endLine: end });
    for (const statement of body.statements) {
      if (statement.kind === 'repeat') addBody(statement.body);
      else if (statement.kind === 'if') {
        addBody(statement.then);
        if (statement.else) addBody(statement.else);
      }
    }
  };
  for (const item of analysis.program.items) addBody(item.body);
  // Concatenated, not pushed as a spread: a spread of a few hundred thousand folds overflows the stack.
  return folds.concat(commentFolds(analysis.program.comments, lines));
}

function commentFolds(comments: readonly Span[], lines: LineIndex): Fold[] {
  const folds: Fold[] = [];
  const regions: number[] = [];
  let runStart = -1;
  let runEnd = -1;
  const closeRun = () => {
    if (runEnd > runStart) folds.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
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
      if (start !== undefined && line > start) folds.push({ startLine: start, endLine: line, kind: 'region' });
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
  return folds;
}
