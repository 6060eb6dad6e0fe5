/**
 * The `.cnn` lexer: one pass over the text with `charCodeAt`, producing tokens
 * as parallel typed arrays (kind, start, end) rather than one object per token.
 * A 10 MB file yields millions of tokens, and flat arrays keep that cheap for
 * both memory and the parser's lookahead.
 *
 * Offsets are UTF-16 code units, [start, end). The lexer never throws: bad
 * characters become one `UNKNOWN` token and one error per run.
 */
import type { Span, SyntaxError } from './ast';
import { messages } from './messages';

/** Token kinds. Numeric so they fit a `Uint8Array`; see `tokenKindName` for display. */
export const TokenKind = {
  EOF: 0,
  NEWLINE: 1,
  IDENT: 2,
  NUMBER: 3,
  STRING: 4,
  /** `×`, or `x` squeezed between a number literal and a digit (`3x224`). */
  DIM: 5,
  MODEL: 6,
  BLOCK: 7,
  INPUT: 8,
  WEIGHTS: 9,
  LET: 10,
  REPEAT: 11,
  AS: 12,
  IF: 13,
  ELSE: 14,
  TRUE: 15,
  FALSE: 16,
  AND: 17,
  OR: 18,
  NOT: 19,
  PLUS: 20,
  MINUS: 21,
  STAR: 22,
  SLASH: 23,
  SLASH_SLASH: 24,
  PERCENT: 25,
  EQ_EQ: 26,
  NOT_EQ: 27,
  LT: 28,
  LT_EQ: 29,
  GT: 30,
  GT_EQ: 31,
  EQ: 32,
  COLON: 33,
  COMMA: 34,
  SEMI: 35,
  PIPE: 36,
  LPAREN: 37,
  RPAREN: 38,
  LBRACKET: 39,
  RBRACKET: 40,
  LBRACE: 41,
  RBRACE: 42,
  /** A run of characters that start no token; the lexer already reported it. */
  UNKNOWN: 43,
} as const;

export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

const KIND_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(TokenKind)) names[value] = name;
  return names;
})();

/** `IDENT`, `LPAREN`, … for tests and debugging. */
export function tokenKindName(kind: number): string {
  return KIND_NAMES[kind] ?? `?${kind}`;
}

/** Past this many syntax errors, one `limit-exceeded` error stands for the rest. */
export const MAX_SYNTAX_ERRORS = 100;

/**
 * Collects syntax errors: at most one per start offset (so a recovering parser
 * can never stack two messages on one spot) and at most `MAX_SYNTAX_ERRORS`.
 */
export class ErrorSink {
  readonly list: SyntaxError[] = [];
  private readonly offsets = new Set<number>();
  private capped = false;

  constructor(initial: readonly SyntaxError[] = []) {
    for (const error of initial) {
      this.list.push(error);
      this.offsets.add(error.span.start);
    }
    this.capped = this.list.length > MAX_SYNTAX_ERRORS;
  }

  /** Records an error unless one already starts at `start`. */
  report(code: SyntaxError['code'], message: string, start: number, end: number): void {
    if (this.capped || this.offsets.has(start)) return;
    this.offsets.add(start);
    if (this.list.length === MAX_SYNTAX_ERRORS) {
      this.capped = true;
      this.list.push({
        code: 'limit-exceeded',
        message: messages.tooManySyntaxErrors(MAX_SYNTAX_ERRORS),
        span: { start, end },
      });
      return;
    }
    this.list.push({ code, message, span: { start, end } });
  }

  /** The errors in source order. */
  sorted(): SyntaxError[] {
    const list = this.list;
    for (let i = 1; i < list.length; i++) {
      if (list[i].span.start < list[i - 1].span.start) {
        // Array#sort is stable, so the cap message stays last among equals.
        return list.slice().sort((a, b) => a.span.start - b.span.start);
      }
    }
    return list;
  }
}

/** The lexer's output: token `i` is `kinds[i]` over `[starts[i], ends[i])`; the last token is `EOF`. */
export interface TokenStream {
  readonly text: string;
  readonly count: number;
  readonly kinds: Uint8Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  /** Spans of `# …` comments (without the line break), in order. */
  readonly comments: Span[];
  readonly errors: SyntaxError[];
}

export interface LexOptions {
  /** Where to report errors; a fresh sink when omitted. */
  readonly errors?: ErrorSink;
  /**
   * Where to start (0 when omitted): the start of a token outside any
   * brackets, such as a statement's first token. Offsets stay absolute.
   */
  readonly from?: number;
  /**
   * Where to stop (the text's end when omitted): just after a line break, so
   * no token runs past it. The `EOF` token is put there.
   */
  readonly to?: number;
}

// Character classes for ASCII; everything from 128 up is looked at by hand.
const C_BAD = 0;
const C_SPACE = 1;
const C_NEWLINE = 2;
const C_IDENT = 3;
const C_DIGIT = 4;
const C_PUNCT = 5;
const C_QUOTE = 6;
const C_HASH = 7;

const CLASS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if (c === 9 || c === 11 || c === 12 || c === 32) table[c] = C_SPACE;
    else if (c === 10 || c === 13) table[c] = C_NEWLINE;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) table[c] = C_IDENT;
    else if (c >= 48 && c <= 57) table[c] = C_DIGIT;
    else if (c === 34) table[c] = C_QUOTE;
    else if (c === 35) table[c] = C_HASH;
    else if ('+-*/%=!<>:,;|()[]{}'.includes(String.fromCharCode(c))) table[c] = C_PUNCT;
  }
  return table;
})();

const TIMES = 0xd7;

function isIdentPart(c: number): boolean {
  return c < 128 && (CLASS[c] === C_IDENT || CLASS[c] === C_DIGIT);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Non-ASCII characters that are whitespace: NBSP and the byte-order mark. */
function isWideSpace(c: number): boolean {
  return c === 0xa0 || c === 0xfeff;
}

/** True when `c` (at `pos`) starts a token or is whitespace; false for a character we cannot lex. */
function startsToken(text: string, pos: number, c: number): boolean {
  if (c >= 128) return c === TIMES || isWideSpace(c);
  const cls = CLASS[c];
  if (cls !== C_BAD) return c !== 33 || text.charCodeAt(pos + 1) === 61; // a lone `!` is bad
  return false;
}

function keywordKind(text: string, start: number, length: number): number {
  const c = text.charCodeAt(start);
  switch (length) {
    case 2:
      if (c === 97 && text.charCodeAt(start + 1) === 115) return TokenKind.AS;
      if (c === 105 && text.charCodeAt(start + 1) === 102) return TokenKind.IF;
      if (c === 111 && text.charCodeAt(start + 1) === 114) return TokenKind.OR;
      return TokenKind.IDENT;
    case 3:
      if (c === 108 && text.startsWith('let', start)) return TokenKind.LET;
      if (c === 97 && text.startsWith('and', start)) return TokenKind.AND;
      if (c === 110 && text.startsWith('not', start)) return TokenKind.NOT;
      return TokenKind.IDENT;
    case 4:
      if (c === 101 && text.startsWith('else', start)) return TokenKind.ELSE;
      if (c === 116 && text.startsWith('true', start)) return TokenKind.TRUE;
      return TokenKind.IDENT;
    case 5:
      if (c === 109 && text.startsWith('model', start)) return TokenKind.MODEL;
      if (c === 98 && text.startsWith('block', start)) return TokenKind.BLOCK;
      if (c === 105 && text.startsWith('input', start)) return TokenKind.INPUT;
      if (c === 102 && text.startsWith('false', start)) return TokenKind.FALSE;
      return TokenKind.IDENT;
    case 6:
      return c === 114 && text.startsWith('repeat', start) ? TokenKind.REPEAT : TokenKind.IDENT;
    case 7:
      return c === 119 && text.startsWith('weights', start) ? TokenKind.WEIGHTS : TokenKind.IDENT;
    default:
      return TokenKind.IDENT;
  }
}

function describeBadRun(text: string, start: number, end: number): string {
  const length = end - start;
  let printable = length <= 12;
  for (let i = start; printable && i < end; i++) {
    const c = text.charCodeAt(i);
    const surrogate = c >= 0xd800 && c <= 0xdfff;
    const pairOk =
      surrogate && c <= 0xdbff && i + 1 < end && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (surrogate && !pairOk)) printable = false;
    if (pairOk) i++;
  }
  if (printable) return messages.unexpectedCharacters(text.slice(start, end));
  return messages.unprintableCharacters(length, text.charCodeAt(start).toString(16).toUpperCase().padStart(4, '0'));
}

/**
 * Splits `text` into tokens. Newlines inside `( … )` and `[ … ]` produce no
 * token; runs of line breaks produce one. Comments go to `comments`, not the
 * token list.
 */
export function lex(text: string, options: LexOptions = {}): TokenStream {
  const sink = options.errors ?? new ErrorSink();
  const n = options.to ?? text.length;
  let pos = options.from ?? 0;
  let capacity = ((n - pos) >> 2) + 64;
  let kinds = new Uint8Array(capacity);
  let starts = new Uint32Array(capacity);
  let ends = new Uint32Array(capacity);
  let count = 0;
  const comments: Span[] = [];

  const push = (kind: number, start: number, end: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const k = new Uint8Array(capacity);
      k.set(kinds);
      kinds = k;
      const s = new Uint32Array(capacity);
      s.set(starts);
      starts = s;
      const e = new Uint32Array(capacity);
      e.set(ends);
      ends = e;
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  };

  // Newlines are suppressed while `bracketDepth > 0`. Braces never occur
  // inside brackets in valid code, so `{` and `}` reset the count: an unclosed
  // `(` cannot swallow the rest of the file, and a stray `{` inside `( … )`
  // does not bring the `(` back to life after its `}`.
  let bracketDepth = 0;

  while (pos < n) {
    const c = text.charCodeAt(pos);
    const cls = c < 128 ? CLASS[c] : C_BAD;

    if (cls === C_SPACE) {
      pos++;
      continue;
    }
    if (cls === C_NEWLINE) {
      const start = pos;
      pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
      if (bracketDepth === 0 && count > 0 && kinds[count - 1] !== TokenKind.NEWLINE) {
        push(TokenKind.NEWLINE, start, pos);
      }
      continue;
    }
    if (cls === C_IDENT) {
      const start = pos;
      // `3x224`: `x` between a number literal and a digit is the dims operator.
      if (
        c === 120 &&
        count > 0 &&
        kinds[count - 1] === TokenKind.NUMBER &&
        ends[count - 1] === pos &&
        isDigit(text.charCodeAt(pos + 1))
      ) {
        push(TokenKind.DIM, pos, pos + 1);
        pos++;
        continue;
      }
      pos++;
      while (pos < n && isIdentPart(text.charCodeAt(pos))) pos++;
      push(keywordKind(text, start, pos - start), start, pos);
      continue;
    }
    if (cls === C_DIGIT) {
      const start = pos;
      pos++;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (text.charCodeAt(pos) === 46 && isDigit(text.charCodeAt(pos + 1))) {
        pos += 2;
        while (isDigit(text.charCodeAt(pos))) pos++;
      }
      const e = text.charCodeAt(pos);
      if (e === 101 || e === 69) {
        const sign = text.charCodeAt(pos + 1);
        const digitsAt = isDigit(sign) ? pos + 1 : (sign === 43 || sign === 45) && isDigit(text.charCodeAt(pos + 2)) ? pos + 2 : -1;
        if (digitsAt > 0) {
          pos = digitsAt + 1;
          while (isDigit(text.charCodeAt(pos))) pos++;
        }
      }
      push(TokenKind.NUMBER, start, pos);
      continue;
    }
    if (cls === C_PUNCT) {
      const start = pos;
      const next = text.charCodeAt(pos + 1);
      let kind: number;
      let length = 1;
      switch (c) {
        case 43: kind = TokenKind.PLUS; break;
        case 45: kind = TokenKind.MINUS; break;
        case 42: kind = TokenKind.STAR; break;
        case 47:
          if (next === 47) { kind = TokenKind.SLASH_SLASH; length = 2; } else kind = TokenKind.SLASH;
          break;
        case 37: kind = TokenKind.PERCENT; break;
        case 61:
          if (next === 61) { kind = TokenKind.EQ_EQ; length = 2; } else kind = TokenKind.EQ;
          break;
        case 33:
          if (next === 61) { kind = TokenKind.NOT_EQ; length = 2; } else kind = TokenKind.UNKNOWN;
          break;
        case 60:
          if (next === 61) { kind = TokenKind.LT_EQ; length = 2; } else kind = TokenKind.LT;
          break;
        case 62:
          if (next === 61) { kind = TokenKind.GT_EQ; length = 2; } else kind = TokenKind.GT;
          break;
        case 58: kind = TokenKind.COLON; break;
        case 44: kind = TokenKind.COMMA; break;
        case 59: kind = TokenKind.SEMI; break;
        case 124: kind = TokenKind.PIPE; break;
        case 40: kind = TokenKind.LPAREN; bracketDepth++; break;
        case 91: kind = TokenKind.LBRACKET; bracketDepth++; break;
        case 41: kind = TokenKind.RPAREN; if (bracketDepth > 0) bracketDepth--; break;
        case 93: kind = TokenKind.RBRACKET; if (bracketDepth > 0) bracketDepth--; break;
        case 123: kind = TokenKind.LBRACE; bracketDepth = 0; break;
        case 125: kind = TokenKind.RBRACE; bracketDepth = 0; break;
        default: kind = TokenKind.UNKNOWN;
      }
      if (kind !== TokenKind.UNKNOWN) {
        pos += length;
        push(kind, start, pos);
        continue;
      }
      // A lone `!` falls through to the bad-character run below.
    } else if (cls === C_QUOTE) {
      const start = pos;
      pos++;
      let closed = false;
      while (pos < n) {
        const s = text.charCodeAt(pos);
        if (s === 34) {
          pos++;
          closed = true;
          break;
        }
        if (s === 10 || s === 13) break;
        // An escape covers the next character, unless that is a line break.
        if (s === 92 && pos + 1 < n && text.charCodeAt(pos + 1) !== 10 && text.charCodeAt(pos + 1) !== 13) pos += 2;
        else pos++;
      }
      if (!closed) sink.report('syntax-error', messages.unterminatedString(), start, pos);
      push(TokenKind.STRING, start, pos);
      continue;
    } else if (cls === C_HASH) {
      const start = pos;
      pos++;
      while (pos < n) {
        const s = text.charCodeAt(pos);
        if (s === 10 || s === 13) break;
        pos++;
      }
      comments.push({ start, end: pos });
      continue;
    } else if (c === TIMES) {
      push(TokenKind.DIM, pos, pos + 1);
      pos++;
      continue;
    } else if (isWideSpace(c)) {
      pos++;
      continue;
    }

    // A run of characters that start no token: one token, one error.
    const start = pos;
    pos++;
    while (pos < n && !startsToken(text, pos, text.charCodeAt(pos))) pos++;
    sink.report('syntax-error', describeBadRun(text, start, pos), start, pos);
    push(TokenKind.UNKNOWN, start, pos);
  }
  push(TokenKind.EOF, n, n);

  return { text, count, kinds, starts, ends, comments, errors: sink.list };
}

/** One token as an object; for tests and tools, not the hot path. */
export interface Token {
  readonly kind: TokenKind;
  readonly span: Span;
  readonly text: string;
}

/** The tokens of a stream as objects (including the final `EOF`). */
export function tokenList(stream: TokenStream): Token[] {
  const list: Token[] = [];
  for (let i = 0; i < stream.count; i++) {
    const span = { start: stream.starts[i], end: stream.ends[i] };
    list.push({ kind: stream.kinds[i] as TokenKind, span, text: stream.text.slice(span.start, span.end) });
  }
  return list;
}
