/**
 * A replacement in a document's text, by offsets: what the formatter, quick
 * fixes and rename produce, and the edge turns into LSP text edits.
 */
import type { Span } from './ast';

/** Replace `span` of the original text with `newText` (an insertion when the span is empty). */
export interface TextChange {
  readonly span: Span;
  readonly newText: string;
}

/**
 * Applies non-overlapping changes, given in any order, to `text`. Insertions
 * at one offset land in the order given, as an LSP client applies them.
 */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  const sorted = changes.slice().sort((a, b) => a.span.start - b.span.start);
  const parts: string[] = [];
  let at = 0;
  for (const change of sorted) {
    parts.push(text.slice(at, change.span.start), change.newText);
    at = change.span.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
