/**
 * The `.cnn` formatter.
 *
 * It works on the token stream, not by re-printing the AST: every token and
 * every comment is kept in order, and only the whitespace between them (plus
 * `x` → `×` and dropped `;`) is rewritten. That makes "never lose a comment"
 * and "never change meaning" hold by construction. The AST is consulted only
 * for what tokens alone cannot tell: which `=` is a keyword argument (`k=3`),
 * which `-` is unary, which `(` opens a call's arguments, and whether a dims
 * expression is simple enough to print tight (`3×224×224`).
 *
 * Layout rules: `indent` spaces per body level; one statement per line; a line
 * break inside a statement (after `,` or `|`, or inside brackets) is kept and
 * the continuation indented one more level per open bracket (at least one);
 * one blank line between items; at most one blank line kept inside a body, none
 * right after `{` or before `}`; an end-of-line comment keeps its distance
 * from the code (at least one space); the file ends with one line break.
 */
import type { Body, Expr, Item, Program, Span, Statement } from './ast';
import { lex, TokenKind as T, type TokenStream } from './lexer';
import { parseTokens } from './parser';
import { applyChanges, type TextChange } from './text-change';

export interface FormatOptions {
  /** Spaces per indentation level, `MIN_INDENT`..`MAX_INDENT` (see `indentWidth`); 2 when omitted. */
  readonly indent?: number;
  /**
   * Format only the statements (or items) that intersect this range: the
   * innermost body holding the range decides which statements those are.
   */
  readonly range?: Span;
}

export interface FormatResult {
  /** Non-overlapping edits in source order; empty when the text is already formatted or has syntax errors. */
  readonly edits: TextChange[];
}

/** The indentation widths accepted; the client's tab size is clamped to them. */
export const MIN_INDENT = 1;
export const MAX_INDENT = 16;
export const DEFAULT_INDENT = 2;

/**
 * The indentation width for a requested one, which comes from the client and
 * may be anything: a number is rounded and clamped to `MIN_INDENT`..`MAX_INDENT`
 * (a tab size of 2^24 would otherwise cost gigabytes of spaces), anything else
 * gives `DEFAULT_INDENT`.
 */
export function indentWidth(requested: unknown): number {
  if (typeof requested !== 'number' || !Number.isFinite(requested)) return DEFAULT_INDENT;
  return Math.min(MAX_INDENT, Math.max(MIN_INDENT, Math.round(requested)));
}

/**
 * Computes the edits that format `text`. A file with syntax errors gets no
 * edits: half-typed code is never rearranged.
 */
export function format(text: string, options: FormatOptions = {}): FormatResult {
  const tokens = lex(text);
  const program = parseTokens(tokens);
  if (program.errors.length > 0) return { edits: [] };
  let edits = layout(tokens, program, indentWidth(options.indent));
  if (options.range) {
    const target = rangeTarget(program, options.range);
    if (!target) return { edits: [] };
    edits = edits.flatMap((edit) => {
      if (edit.span.end < target.start || edit.span.start > target.end) return [];
      if (edit.span.start < target.end) return [edit];
      // The gap after the last statement also holds the next line's indent,
      // which is not ours to change: only trim trailing whitespace there.
      const gap = text.slice(edit.span.start, edit.span.end);
      const lineEnd = gap.search(/[\r\n]/);
      if (lineEnd < 0) return [edit];
      return lineEnd > 0 ? [{ span: { start: edit.span.start, end: edit.span.start + lineEnd }, newText: '' }] : [];
    });
  }
  return { edits };
}

/** `text` formatted; unchanged when it has syntax errors. */
export function formatText(text: string, options: FormatOptions = {}): string {
  return applyChanges(text, format(text, options).edits);
}

// ---- token roles from the AST -------------------------------------------------

interface Roles {
  /** `=` of keyword arguments and parameter defaults: no spaces around. */
  readonly tightEquals: Set<number>;
  /** Unary `-`: no space after. */
  readonly unaryMinus: Set<number>;
  /** `(` right after a call's name or a block's name: no space before. */
  readonly callParens: Set<number>;
  /** `×` between simple operands: no spaces around. */
  readonly tightDims: Set<number>;
}

/** Index of the first token starting at or after `offset`. */
function tokenAt(tokens: TokenStream, offset: number): number {
  let lo = 0;
  let hi = tokens.count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens.starts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isSimple(e: Expr): boolean {
  return e.kind === 'number' || e.kind === 'name' || e.kind === 'bool';
}

function findRoles(tokens: TokenStream, program: Program): Roles {
  const roles: Roles = { tightEquals: new Set(), unaryMinus: new Set(), callParens: new Set(), tightDims: new Set() };
  // An explicit stack: a long `a + b + …` chain is a deep tree.
  const exprs: Expr[] = [];
  const bodies: Body[] = [];

  const visitItem = (item: Item): void => {
    if (item.kind === 'block') {
      roles.callParens.add(tokenAt(tokens, item.name.span.end));
      for (const param of item.params) {
        if (param.default) {
          roles.tightEquals.add(tokenAt(tokens, param.name.span.end));
          exprs.push(param.default);
        }
      }
    }
    bodies.push(item.body);
  };

  const visitStatement = (s: Statement): void => {
    switch (s.kind) {
      case 'input':
        exprs.push(s.shape);
        for (const arg of s.args) {
          if (arg.name) roles.tightEquals.add(tokenAt(tokens, arg.name.span.end));
          exprs.push(arg.value);
        }
        break;
      case 'weights':
        exprs.push(s.path);
        break;
      case 'let':
        exprs.push(s.value);
        break;
      case 'layer':
        for (const call of s.stages) {
          if (call.parenthesized) roles.callParens.add(tokenAt(tokens, call.callee.span.end));
          for (const arg of call.args) {
            if (arg.name) roles.tightEquals.add(tokenAt(tokens, arg.name.span.end));
            exprs.push(arg.value);
          }
        }
        break;
      case 'repeat':
        exprs.push(s.count);
        bodies.push(s.body);
        break;
      case 'if':
        exprs.push(s.condition);
        bodies.push(s.then);
        if (s.else) bodies.push(s.else);
        break;
    }
  };

  for (const item of program.items) visitItem(item);
  while (bodies.length > 0) for (const s of bodies.pop()!.statements) visitStatement(s);
  while (exprs.length > 0) {
    const e = exprs.pop()!;
    switch (e.kind) {
      case 'unary':
        if (e.op === '-') roles.unaryMinus.add(tokenAt(tokens, e.span.start));
        exprs.push(e.operand);
        break;
      case 'binary':
        exprs.push(e.left, e.right);
        break;
      case 'dims': {
        const tight = e.items.every(isSimple);
        for (let i = 1; i < e.items.length; i++) {
          let j = tokenAt(tokens, e.items[i - 1].span.end);
          while (j < tokens.count - 1 && tokens.kinds[j] !== T.DIM) j++;
          if (tight) roles.tightDims.add(j);
        }
        for (const item of e.items) exprs.push(item);
        break;
      }
      case 'tuple':
      case 'list':
        for (const item of e.items) exprs.push(item);
        break;
      default:
        break;
    }
  }
  return roles;
}

// ---- layout ----------------------------------------------------------------------

function lineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

/** The whitespace just before `offset`, back to the previous non-blank character. */
function spacesBefore(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  return offset - i;
}

function layout(tokens: TokenStream, program: Program, indentSize: number): TextChange[] {
  const { text, kinds, starts, ends } = tokens;
  const roles = findRoles(tokens, program);
  const firstBreak = text.indexOf('\n');
  const eol = firstBreak > 0 && text.charCodeAt(firstBreak - 1) === 13 ? '\r\n' : '\n';
  const unit = ' '.repeat(indentSize);
  const edits: TextChange[] = [];

  const noSpaceAfter = (i: number): boolean =>
    kinds[i] === T.LPAREN ||
    kinds[i] === T.LBRACKET ||
    roles.unaryMinus.has(i) ||
    roles.tightEquals.has(i) ||
    roles.tightDims.has(i);
  const noSpaceBefore = (i: number): boolean =>
    kinds[i] === T.RPAREN ||
    kinds[i] === T.RBRACKET ||
    kinds[i] === T.COMMA ||
    kinds[i] === T.COLON ||
    roles.tightEquals.has(i) ||
    roles.tightDims.has(i) ||
    roles.callParens.has(i);

  /** Is there a statement break (a NEWLINE or `;` token the parser treated as one) between tokens a and b? */
  const statementBreak = (a: number, b: number): boolean => {
    if (kinds[a] === T.COMMA || kinds[a] === T.PIPE) return false;
    for (let i = a + 1; i < b; i++) if (kinds[i] === T.NEWLINE || kinds[i] === T.SEMI) return true;
    return false;
  };

  // Elements are the kept tokens and the comments, merged in source order.
  const comments = tokens.comments;
  let nextComment = 0;
  let bodyDepth = 0;
  let bracketDepth = 0;
  let prevEnd = 0; // end of the previous element
  let prevToken = -1; // index of the previous kept token
  let prevWasComment = false;
  let any = false;

  const emitGap = (start: number, newText: string): void => {
    if (text.slice(prevEnd, start) !== newText) edits.push({ span: { start: prevEnd, end: start }, newText });
  };
  const newline = (blank: boolean, levels: number): string => (blank ? eol + eol : eol) + unit.repeat(levels);

  /** Indentation levels of a line starting with token `i`, which continues the current statement. */
  const continuationLevels = (i: number): number => {
    const closer = kinds[i] === T.RPAREN || kinds[i] === T.RBRACKET;
    return bodyDepth + (closer ? bracketDepth - 1 : Math.max(1, bracketDepth));
  };

  /** The separator before token `i`. */
  const separatorBefore = (i: number, start: number): string => {
    const kind = kinds[i];
    if (prevToken < 0) return prevWasComment ? newline(lineBreaks(text, prevEnd, start) > 1, 0) : '';
    const prevKind = kinds[prevToken];
    const breaks = lineBreaks(text, prevEnd, start);
    if (kind === T.RBRACE) return newline(false, bodyDepth - 1);
    if (prevKind === T.LBRACE && !prevWasComment) return newline(false, bodyDepth);
    if (prevKind === T.RBRACE) {
      if (kind === T.ELSE && !prevWasComment) return ' ';
      // Items are always a blank line apart, unless a comment in between sits right on top of the next one.
      return newline((bodyDepth === 0 && !prevWasComment) || breaks > 1, bodyDepth);
    }
    if (statementBreak(prevToken, i) && kind !== T.LBRACE) return newline(breaks > 1, bodyDepth);
    if (prevWasComment || (breaks > 0 && kind !== T.LBRACE)) {
      // A comment inside a statement ends the line; otherwise keep the user's break.
      return newline(false, continuationLevels(i));
    }
    return noSpaceAfter(prevToken) || noSpaceBefore(i) ? '' : ' ';
  };

  /** The separator before a comment at `start`. */
  const separatorBeforeComment = (start: number, nextToken: number): string => {
    if (!any) return '';
    const breaks = lineBreaks(text, prevEnd, start);
    if (breaks === 0) return ' '.repeat(Math.max(1, spacesBefore(text, start)));
    if (prevToken < 0) return newline(breaks > 1, 0);
    const prevKind = kinds[prevToken];
    const nextKind = kinds[nextToken];
    const afterOpen = prevKind === T.LBRACE && !prevWasComment;
    if (nextKind === T.RBRACE || nextKind === T.EOF) {
      // The end of a body (or file): the comment belongs to the statements above it.
      const topLevel = bodyDepth === 0;
      return newline(!afterOpen && (breaks > 1 || (topLevel && prevKind === T.RBRACE && !prevWasComment)), bodyDepth);
    }
    if (prevKind === T.LBRACE) return newline(!afterOpen && breaks > 1, bodyDepth);
    if (prevKind === T.RBRACE) return newline(bodyDepth === 0 ? !prevWasComment || breaks > 1 : breaks > 1, bodyDepth);
    if (statementBreak(prevToken, nextToken)) return newline(breaks > 1, bodyDepth);
    return newline(false, continuationLevels(nextToken));
  };

  for (let i = 0; i < tokens.count; i++) {
    const kind = kinds[i];
    if (kind === T.NEWLINE || kind === T.SEMI) continue;
    // Comments before this token.
    while (nextComment < comments.length && comments[nextComment].start < starts[i]) {
      const comment = comments[nextComment++];
      emitGap(comment.start, separatorBeforeComment(comment.start, i));
      let end = comment.end;
      while (end > comment.start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
      if (end !== comment.end) edits.push({ span: { start: end, end: comment.end }, newText: '' });
      prevEnd = comment.end;
      prevWasComment = true;
      any = true;
    }
    if (kind === T.EOF) break;
    emitGap(starts[i], separatorBefore(i, starts[i]));
    if (kind === T.DIM && text.charCodeAt(starts[i]) !== 0xd7) {
      edits.push({ span: { start: starts[i], end: ends[i] }, newText: '×' });
    }
    if (kind === T.LBRACE) bodyDepth++;
    else if (kind === T.RBRACE) bodyDepth--;
    else if (kind === T.LPAREN || kind === T.LBRACKET) bracketDepth++;
    else if (kind === T.RPAREN || kind === T.RBRACKET) bracketDepth--;
    prevEnd = ends[i];
    prevToken = i;
    prevWasComment = false;
    any = true;
  }
  emitGap(text.length, any ? eol : '');
  return edits;
}

// ---- range formatting ---------------------------------------------------------------

type Node = Item | Statement;

function intersects(span: Span, range: Span): boolean {
  return span.end >= range.start && span.start <= range.end;
}

function bodiesOf(node: Node): Body[] {
  switch (node.kind) {
    case 'model':
    case 'block':
    case 'repeat':
      return [node.body];
    case 'if':
      return node.else ? [node.then, node.else] : [node.then];
    default:
      return [];
  }
}

/**
 * The extent to format for `range`: the statements intersecting it in the
 * innermost body that holds the whole range, or the items it touches at the
 * top level. Null when it touches nothing.
 */
function rangeTarget(program: Program, range: Span): Span | null {
  let nodes: readonly Node[] = program.items;
  let parent: Node | null = null;
  for (;;) {
    const hits = nodes.filter((node) => intersects(node.span, range));
    if (hits.length === 0) return parent ? parent.span : null;
    if (hits.length === 1) {
      const inner = bodiesOf(hits[0]).find((body) => body.span.start < range.start && range.end < body.span.end);
      if (inner) {
        parent = hits[0];
        nodes = inner.statements;
        continue;
      }
    }
    return { start: hits[0].span.start, end: hits[hits.length - 1].span.end };
  }
}
