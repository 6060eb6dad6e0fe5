/**
 * Where the cursor is in the statement being typed, for completion and
 * signature help. Works on the text before the cursor, not the syntax tree:
 * while typing, the statement is usually incomplete and the tree has only a
 * recovery node there.
 */

export type CursorContext =
  /** Inside a comment or a string: nothing to offer. */
  | { readonly kind: 'none' }
  /** Where a call, a tensor name or (at a statement's start) a keyword goes. */
  | { readonly kind: 'head'; readonly prefix: string; readonly statementStart: boolean; readonly keyword?: undefined }
  /** Inside a call's arguments. */
  | {
      readonly kind: 'argument';
      readonly callee: string;
      /** The partial word at the cursor. */
      readonly prefix: string;
      /** Set while typing a keyword argument's value (`k=|`). */
      readonly name?: string;
      /** True at the start of an argument, where `name=` may go. */
      readonly atArgumentStart: boolean;
      /** Positional arguments before this one. */
      readonly positionalIndex: number;
      /** Keyword arguments already given. */
      readonly given: readonly string[];
    }
  /** After a statement keyword (`repeat`, `if`, `let x =`, `input x:`): an expression. */
  | { readonly kind: 'expression'; readonly prefix: string; readonly keyword: string };

interface Token {
  readonly text: string;
  readonly kind: 'ident' | 'number' | 'string' | 'punct';
}

const statementKeywords = new Set(['input', 'weights', 'let', 'repeat', 'if', 'else', 'model', 'block']);

export function cursorContext(text: string, offset: number): CursorContext {
  if (inCommentOrString(text, offset)) return { kind: 'none' };
  const start = statementStart(text, offset);
  const tokens = tokenize(text.slice(start, offset));
  const trailingSpace = offset > start && /\s/.test(text[offset - 1]);
  const last = tokens.at(-1);
  const prefix = !trailingSpace && last?.kind === 'ident' ? last.text : '';
  const complete = prefix ? tokens.slice(0, -1) : tokens;

  const first = tokens[0];
  if (first?.kind === 'ident' && statementKeywords.has(first.text) && (tokens.length > 1 || trailingSpace)) {
    if (first.text === 'input') return inputContext(complete, prefix);
    return { kind: 'expression', prefix, keyword: first.text };
  }

  // The stage being typed: after the last top-level `|`.
  let depth = 0;
  let stageStart = 0;
  for (let i = 0; i < complete.length; i++) {
    const t = complete[i].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (t === '|' && depth === 0) stageStart = i + 1;
  }
  let stage = complete.slice(stageStart);
  const firstStage = stageStart === 0;
  if (firstStage) stage = stripLabelAndTargets(stage);
  if (stage.length === 0) return { kind: 'head', prefix, statementStart: complete.length === 0 };

  const head = stage[0];
  if (head.kind !== 'ident') return { kind: 'none' };
  let args = stage.slice(1);
  if (args[0]?.text === '(') {
    // `f(...)`: once the parenthesis closes, the call is done.
    let level = 0;
    for (let i = 0; i < args.length; i++) {
      if (args[i].text === '(' || args[i].text === '[') level++;
      else if (args[i].text === ')' || args[i].text === ']') level--;
      if (level === 0) return { kind: 'none' };
    }
    args = args.slice(1);
  } else if (args.length === 0 && !trailingSpace) {
    return { kind: 'none' };
  }
  return argumentContext(head.text, args, prefix);
}

function inputContext(tokens: readonly Token[], prefix: string): CursorContext {
  // `input x: 3×224×224, normalize=…`: after the shape, only keyword arguments.
  const commaAt = tokens.findIndex((t) => t.text === ',');
  if (commaAt < 0) return { kind: 'expression', prefix, keyword: 'input' };
  return argumentContext('input', tokens.slice(commaAt + 1), prefix);
}

function argumentContext(callee: string, args: readonly Token[], prefix: string): CursorContext {
  const pieces: Token[][] = [[]];
  let depth = 0;
  for (const t of args) {
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    if (t.text === ',' && depth === 0) pieces.push([]);
    else pieces[pieces.length - 1].push(t);
  }
  const isKeyword = (piece: readonly Token[]) => piece.length >= 2 && piece[0].kind === 'ident' && piece[1].text === '=';
  const done = pieces.slice(0, -1);
  const current = pieces[pieces.length - 1];
  return {
    kind: 'argument',
    callee,
    prefix,
    name: isKeyword(current) ? current[0].text : undefined,
    atArgumentStart: current.length === 0,
    positionalIndex: done.filter((p) => !isKeyword(p)).length,
    given: done.filter(isKeyword).map((p) => p[0].text),
  };
}

/** Drops `label:` and `a, b =` from the front of a statement. */
function stripLabelAndTargets(tokens: Token[]): Token[] {
  let rest = tokens;
  if (rest.length >= 2 && rest[0].kind === 'ident' && rest[1].text === ':') rest = rest.slice(2);
  let i = 0;
  while (i < rest.length && rest[i].kind === 'ident') {
    const next = rest[i + 1]?.text;
    if (next === '=') return rest.slice(i + 2);
    if (next !== ',') break;
    i += 2;
  }
  return rest;
}

/**
 * Where the statement holding the offset starts: after `;`, `{`, `}` or a line
 * break that does not continue the statement (one inside brackets, or after a
 * `,` or `|`, does).
 */
function statementStart(text: string, offset: number): number {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')' || c === ']') depth++;
    // An unmatched opener is one the cursor is inside: its statement goes on before it.
    else if (c === '(' || c === '[') depth = Math.max(depth - 1, 0);
    else if (c === ';' || c === '{' || c === '}') return i + 1;
    else if ((c === '\n' || c === '\r') && depth === 0) {
      const before = lastCodeChar(text, i);
      if (before !== ',' && before !== '|') return i + 1;
    }
  }
  return 0;
}

/** The last character before `end` on its line that is not space or part of a comment. */
function lastCodeChar(text: string, end: number): string {
  let lineStart = end;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const line = text.slice(lineStart, end);
  const hash = commentStart(line);
  return (hash < 0 ? line : line.slice(0, hash)).trimEnd().slice(-1);
}

/** Index of a `#` that starts a comment (outside a string), or -1. */
function commentStart(line: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '#') return i;
  }
  return -1;
}

function inCommentOrString(text: string, offset: number): boolean {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const line = text.slice(lineStart, offset);
  if (commentStart(line) >= 0) return true;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    if (inString && line[i] === '\\') i++;
    else if (line[i] === '"') inString = !inString;
  }
  return inString;
}

const tokenPattern = /\s+|([A-Za-z_][A-Za-z0-9_]*)|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*"?)|(\/\/|==|!=|<=|>=|[^\s])/gy;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  for (let m = tokenPattern.exec(source); m !== null && m[0].length > 0; m = tokenPattern.exec(source)) {
    if (m[1] !== undefined) tokens.push({ text: m[1], kind: 'ident' });
    else if (m[2] !== undefined) tokens.push({ text: m[2], kind: 'number' });
    else if (m[3] !== undefined) tokens.push({ text: m[3], kind: 'string' });
    else if (m[4] !== undefined) tokens.push({ text: m[4], kind: 'punct' });
  }
  return tokens;
}
