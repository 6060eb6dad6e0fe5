/**
 * Parsing a new version of a text again only where the edit reached: the
 * parser resumes before the edited item or model statement (`parseResuming`),
 * stops at the first line the edit did not reach, and the rest is taken from
 * the previous version's syntax tree, its spans moved by the edit's length
 * difference (relocate.ts). That consumes the previous tree; with `defer`,
 * only when the caller calls the `move` returned.
 */
import type { Item, Program } from '../ast';
import { parseResuming, type ParseResume } from '../parser';
import type { TextEdit } from './offsets';
import { relocateSyntax, takeOver } from './relocate';

/** A parse that took part of the previous tree, and what moves that part into place (null when moved already). */
export interface Reparsed {
  readonly program: Program;
  readonly move: (() => void) | null;
}

/**
 * Parses `text`, made from the text `previous` was parsed from by `edit`,
 * parsing again only the item the edit lies in and taking the items after it
 * from `previous`. For an edit inside an item that is not the last, in a text
 * the previous parse found no error in. Returns null, `previous` untouched,
 * when that does not hold or the new text there parses with an error (then
 * parse the whole text).
 */
export function parseReusingItems(text: string, previous: Program, edit: TextEdit, defer = false): Reparsed | null {
  const items = previous.items;
  if (previous.errors.length > 0 || items.length < 2) return null;
  const oldEnd = edit.start + edit.oldLength;
  let k = 0;
  while (k < items.length && items[k].span.end < edit.start) k++;
  if (k >= items.length - 1 || items[k].span.start > edit.start) return null;
  const next = items[k + 1].span.start;
  const by = edit.newLength - edit.oldLength;
  const to = next + by;
  // The item after starts a line the edit did not reach, so lexing can stop at that line's start.
  if (oldEnd >= next || text.charCodeAt(to - 1) !== 10) return null;
  const from = items[k].span.start;
  const comments = previous.comments;
  let before = 0;
  while (before < comments.length && comments[before].start < from) before++;
  const resume: ParseResume = { items: items.slice(0, k), model: null, statements: [], offset: from, lexFrom: from, comments: comments.slice(0, before) };
  const parsed = parseResuming(text, resume, to);
  if (!parsed) return null;
  const after: readonly Item[] = items.slice(k + 1);
  let moved = before;
  while (moved < comments.length && comments[moved].start < next) moved++;
  const movedComments = comments.slice(moved);
  const program: Program = { items: parsed.items.concat(after), comments: parsed.comments.concat(movedComments), errors: parsed.errors };
  const move = (): void => relocateSyntax(takeOver({ items: after, comments: movedComments }), by);
  if (defer) return { program, move };
  move();
  return { program, move: null };
}

/**
 * `parseResuming` from `resume` (the syntax before a statement of the model
 * body, the last item of `previous`), also taking the model statements after
 * the edit from `previous`, which found no error: parses up to the line of the
 * first previous statement the edit did not reach, then takes that statement
 * and the rest of the body from `previous`. Until `move` is called (with
 * `defer`), the program's spans from there on are the previous text's, and
 * the previous tree is as it was. Returns null, `previous` untouched, when the
 * edit reached the model's last statement or the text up to there parses with
 * an error (then use `parseResuming`).
 */
export function parseResumingReusing(text: string, resume: ParseResume, previous: Program, edit: TextEdit, defer = false): Reparsed | null {
  const model = previous.items[previous.items.length - 1];
  if (previous.errors.length > 0 || !model || model.kind !== 'model' || resume.model === null) return null;
  const statements = model.body.statements;
  const by = edit.newLength - edit.oldLength;
  const newEnd = edit.start + edit.newLength;
  let j = resume.statements.length;
  while (j < statements.length && statements[j].span.start + by < newEnd) j++;
  // A statement that starts its line (after indentation) past the edit; a few lines on at most.
  let to = -1;
  for (const last = Math.min(statements.length, j + 4); j < last; j++) {
    const start = statements[j].span.start + by;
    let lineStart = start;
    while (lineStart > 0 && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 9)) lineStart--;
    if (text.charCodeAt(lineStart - 1) === 10 && lineStart - 1 >= newEnd) {
      to = lineStart;
      break;
    }
  }
  if (to < 0 || to <= resume.offset) return null;
  const parsed = parseResuming(text, resume, to);
  if (!parsed) return null;
  const cut = parsed.items[parsed.items.length - 1];
  if (cut.kind !== 'model') return null;
  const reused = statements.slice(j);
  const comments = previous.comments;
  let kept = 0;
  while (kept < comments.length && comments[kept].start + by < to) kept++;
  const movedComments = comments.slice(kept);
  const body = { statements: cut.body.statements.concat(reused), span: { start: model.body.span.start, end: model.body.span.end + by } };
  const items = parsed.items.slice(0, -1);
  items.push({ kind: 'model', name: cut.name, body, span: { start: cut.span.start, end: model.span.end + by } });
  const program: Program = { items, comments: parsed.comments.concat(movedComments), errors: [] };
  const move = (): void => relocateSyntax(takeOver({ statements: reused, comments: movedComments }), by);
  if (defer) return { program, move };
  move();
  return { program, move: null };
}
