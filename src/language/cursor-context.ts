/**
 * Where the cursor is in the statement being typed, for completion and
 * signature help. Reads the lexer's tokens before the cursor, not the syntax
 * tree: while typing, the statement is usually incomplete and the tree has
 * only a recovery node there.
 */
import { lex, tokenList, TokenKind as T, type Token } from './lexer';

export type CursorContext =
  /** Inside a comment or a string: nothing to offer. */
  | { readonly kind: 'none' }
  /** Where a call, a tensor name or (at a statement's start) a keyword goes. */
  | { readonly kind: 'head'; readonly statementStart: boolean }
  /** Inside a call's arguments. */
  | {
      readonly kind: 'argument';
      readonly callee: string;
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
  | { readonly kind: 'expression'; readonly keyword: string };

/** The keywords a statement starts with, after which an expression (or, for `input`, a shape) goes. */
const statementKeywords: ReadonlySet<number> = new Set([T.INPUT, T.WEIGHTS, T.LET, T.REPEAT, T.IF, T.ELSE, T.MODEL, T.BLOCK]);

/** A name or a keyword: a word the user may be typing. */
function isWord(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === T.IDENT || (token.kind >= T.MODEL && token.kind <= T.NOT));
}

const opens = (t: Token) => t.kind === T.LPAREN || t.kind === T.LBRACKET;
const closes = (t: Token) => t.kind === T.RPAREN || t.kind === T.RBRACKET;

export function cursorContext(text: string, offset: number): CursorContext {
  const lineStart = lineStartOf(text, offset);
  const line = lexTokens(text, lineStart, offset);
  if (line.inComment || endsInOpenString(line.tokens.at(-1))) return { kind: 'none' };
  const start = statementStart(text, lineStart, line.tokens);
  const tokens = start === lineStart ? line.tokens : lexTokens(text, start, offset).tokens;
  const trailingSpace = offset > start && /\s/.test(text[offset - 1]);
  const last = tokens.at(-1);
  // The word being typed is not yet a token to reason about.
  const complete = !trailingSpace && isWord(last) ? tokens.slice(0, -1) : tokens;

  const first = tokens[0];
  if (first !== undefined && statementKeywords.has(first.kind) && (tokens.length > 1 || trailingSpace)) {
    if (first.kind === T.INPUT) return inputContext(complete);
    return { kind: 'expression', keyword: first.text };
  }

  // The stage being typed: after the last top-level `|`.
  let depth = 0;
  let stageStart = 0;
  for (let i = 0; i < complete.length; i++) {
    const t = complete[i];
    if (opens(t)) depth++;
    else if (closes(t)) depth--;
    else if (t.kind === T.PIPE && depth === 0) stageStart = i + 1;
  }
  let stage = complete.slice(stageStart);
  if (stageStart === 0) stage = stripLabelAndTargets(stage);
  if (stage.length === 0) return { kind: 'head', statementStart: complete.length === 0 };

  const head = stage[0];
  if (!isWord(head)) return { kind: 'none' };
  let args = stage.slice(1);
  if (args[0]?.kind === T.LPAREN) {
    // `f(...)`: once the parenthesis closes, the call is done.
    let level = 0;
    for (const t of args) {
      if (opens(t)) level++;
      else if (closes(t)) level--;
      if (level === 0) return { kind: 'none' };
    }
    args = args.slice(1);
  } else if (args.length === 0 && !trailingSpace) {
    return { kind: 'none' };
  }
  return argumentContext(head.text, args);
}

function inputContext(tokens: readonly Token[]): CursorContext {
  // `input x: 3×224×224, normalize=…`: after the shape, only keyword arguments.
  const commaAt = tokens.findIndex((t) => t.kind === T.COMMA);
  if (commaAt < 0) return { kind: 'expression', keyword: 'input' };
  return argumentContext('input', tokens.slice(commaAt + 1));
}

function argumentContext(callee: string, args: readonly Token[]): CursorContext {
  const pieces: Token[][] = [[]];
  let depth = 0;
  for (const t of args) {
    if (opens(t)) depth++;
    else if (closes(t)) depth--;
    if (t.kind === T.COMMA && depth === 0) pieces.push([]);
    else pieces[pieces.length - 1].push(t);
  }
  const isKeyword = (piece: readonly Token[]) => piece.length >= 2 && isWord(piece[0]) && piece[1].kind === T.EQ;
  const done = pieces.slice(0, -1);
  const current = pieces[pieces.length - 1];
  return {
    kind: 'argument',
    callee,
    name: isKeyword(current) ? current[0].text : undefined,
    atArgumentStart: current.length === 0,
    positionalIndex: done.filter((p) => !isKeyword(p)).length,
    given: done.filter(isKeyword).map((p) => p[0].text),
  };
}

/** Drops `label:` and `a, b =` from the front of a statement. */
function stripLabelAndTargets(tokens: Token[]): Token[] {
  let rest = tokens;
  if (rest.length >= 2 && isWord(rest[0]) && rest[1].kind === T.COLON) rest = rest.slice(2);
  let i = 0;
  while (i < rest.length && isWord(rest[i])) {
    const next = rest[i + 1]?.kind;
    if (next === T.EQ) return rest.slice(i + 2);
    if (next !== T.COMMA) break;
    i += 2;
  }
  return rest;
}

/**
 * Where the statement holding the cursor starts: after `;`, `{` or `}`, or at
 * the start of a line unless the line before continues the statement (ends in
 * `,` or `|`, or leaves a bracket open that the cursor is inside). Walks back
 * line by line from the cursor's, whose tokens before the cursor are `tokens`.
 */
function statementStart(text: string, cursorLineStart: number, tokens: readonly Token[]): number {
  let depth = 0;
  let lineStart = cursorLineStart;
  let lineTokens = tokens;
  for (;;) {
    for (let i = lineTokens.length - 1; i >= 0; i--) {
      const t = lineTokens[i];
      if (closes(t)) depth++;
      // An unmatched opener is one the cursor is inside: its statement goes on before it.
      else if (opens(t)) depth = Math.max(depth - 1, 0);
      else if (t.kind === T.SEMI || t.kind === T.LBRACE || t.kind === T.RBRACE) return t.span.end;
    }
    if (lineStart === 0) return 0;
    const lineEnd = lineBreakBefore(text, lineStart);
    const previousStart = lineStartOf(text, lineEnd);
    const previous = lexTokens(text, previousStart, lineEnd).tokens;
    const last = previous.at(-1)?.kind;
    if (depth === 0 && last !== T.COMMA && last !== T.PIPE) return lineStart;
    lineStart = previousStart;
    lineTokens = previous;
  }
}

/** The tokens of `text` in [from, to) with absolute spans (no line breaks or end token), and whether a comment runs to `to`. */
function lexTokens(text: string, from: number, to: number): { tokens: Token[]; inComment: boolean } {
  // A slice, so nothing after `to` (the cursor) can extend a token.
  const stream = lex(text.slice(from, to));
  const tokens: Token[] = [];
  for (const t of tokenList(stream)) {
    if (t.kind === T.NEWLINE || t.kind === T.EOF) continue;
    tokens.push({ kind: t.kind, text: t.text, span: { start: t.span.start + from, end: t.span.end + from } });
  }
  const lastComment = stream.comments.at(-1);
  return { tokens, inComment: lastComment !== undefined && lastComment.end === to - from };
}

/** Whether a string token is missing its closing quote (an escaped `"` does not close it). */
function endsInOpenString(token: Token | undefined): boolean {
  if (token?.kind !== T.STRING) return false;
  const body = token.text;
  if (body.length < 2 || !body.endsWith('"')) return true;
  let backslashes = 0;
  for (let i = body.length - 2; i >= 1 && body[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** The offset where the line holding `offset` starts. */
function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The offset of the line break (`\n`, `\r\n` or `\r`) that ends the line before the one starting at `lineStart`. */
function lineBreakBefore(text: string, lineStart: number): number {
  return lineStart >= 2 && text[lineStart - 1] === '\n' && text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
}
