/**
 * Recursive-descent parser for `.cnn` files (grammar: docs/language.md).
 *
 * Error handling follows one rule: the first error in a statement is reported
 * and the parser enters "recovering" mode, in which further errors are dropped
 * until it resynchronises (statements: the next newline, `;` or `}` at the same
 * nesting; items: the next `model`/`block` at brace depth 0). The error sink
 * also refuses a second error at an offset that already has one. Together they
 * give one diagnostic per typo.
 *
 * Nesting (bodies, brackets, unary operators) is capped at `MAX_NESTING`; the
 * over-deep part is skipped with a flat loop, so no input can overflow the stack.
 */
import type { Argument, Body, Call, Expr, Identifier, Item, ModelItem, Parameter, Program, Span, Statement } from './ast';
import { ErrorSink, TokenKind as T, lex, type TokenStream } from './lexer';
import { messages } from './messages';

/** Deepest allowed nesting of bodies, brackets and unary operators. */
export const MAX_NESTING = 64;

const NAME_TABLE_MASK = 4095;

/** Shared empty list for the many calls without arguments and layers without targets. */
const NONE: readonly never[] = Object.freeze([]);

type BinaryOp = Extract<Expr, { kind: 'binary' }>['op'];

const BINARY_OPS: Partial<Record<number, BinaryOp>> = {
  [T.PLUS]: '+',
  [T.MINUS]: '-',
  [T.STAR]: '*',
  [T.SLASH]: '/',
  [T.SLASH_SLASH]: '//',
  [T.PERCENT]: '%',
  [T.EQ_EQ]: '==',
  [T.NOT_EQ]: '!=',
  [T.LT]: '<',
  [T.LT_EQ]: '<=',
  [T.GT]: '>',
  [T.GT_EQ]: '>=',
};

/** Token kinds that can never continue an expression (1 = ends it). */
const ENDS_EXPR = (() => {
  const table = new Uint8Array(64);
  for (const kind of [T.EOF, T.NEWLINE, T.COMMA, T.SEMI, T.PIPE, T.RPAREN, T.RBRACKET, T.LBRACE, T.RBRACE]) table[kind] = 1;
  return table;
})();

/** Can this token kind begin an expression? */
function startsExpr(kind: number): boolean {
  switch (kind) {
    case T.NUMBER:
    case T.STRING:
    case T.TRUE:
    case T.FALSE:
    case T.IDENT:
    case T.LPAREN:
    case T.LBRACKET:
    case T.MINUS:
    case T.NOT:
      return true;
    default:
      return false;
  }
}

/** Parses a whole `.cnn` file. Never throws on user input; problems land in `errors`. */
export function parse(text: string): Program {
  const sink = new ErrorSink();
  return new Parser(lex(text, { errors: sink }), sink).parseProgram();
}

/**
 * Parses an already-lexed stream (the formatter lexes once and uses the tokens
 * for layout). The stream's lexer errors are included in the result.
 */
export function parseTokens(tokens: TokenStream): Program {
  return new Parser(tokens, new ErrorSink(tokens.errors)).parseProgram();
}

/** What `parseResuming` reuses of an earlier parse of a text that was the same up to `offset`. */
export interface ParseResume {
  /** The items before `offset`: those before the model, which was the last item, when `model` is set. */
  readonly items: readonly Item[];
  /** Set to resume inside the body of this model, the last item; null to resume at an item's start. */
  readonly model: (Pick<ModelItem, 'name' | 'span'> & { readonly body: Pick<Body, 'span'> }) | null;
  /** The model body's first statements, all before `offset` (none without `model`). */
  readonly statements: readonly Statement[];
  /** Where the next statement (or item) started: the earlier text up to here is kept. */
  readonly offset: number;
  /**
   * Where to start lexing: the last of `statements` (the body's `{` if none),
   * so the parser can look back from `offset` as far as it ever does, to the
   * last token before the line break; `offset` when resuming at an item.
   */
  readonly lexFrom: number;
  /** The comments before `lexFrom`. */
  readonly comments: readonly Span[];
}

/** Where model body statement `index` starts (after the last one when `index` is their count). */
export function statementOffset(model: ModelItem, index: number): number {
  const statements = model.body.statements;
  return index < statements.length ? statements[index].span.start : index > 0 ? statements[index - 1].span.end : model.body.span.start + 1;
}

/** What `parseResuming` needs to reuse the syntax of `program`, whose last item is `model`, before model body statement `index`. */
export function syntaxBefore(program: Program, model: ModelItem, index: number): ParseResume {
  const statements = model.body.statements;
  const lexFrom = index > 0 ? statements[index - 1].span.start : model.body.span.start;
  const comments = program.comments;
  let count = 0;
  while (count < comments.length && comments[count].start < lexFrom) count++;
  return {
    items: program.items.slice(0, program.items.indexOf(model)),
    model: { name: model.name, span: model.span, body: { span: model.body.span } },
    statements: statements.slice(0, index),
    offset: statementOffset(model, index),
    lexFrom,
    comments: comments.slice(0, count),
  };
}

/**
 * Parses `text` as `parse` does, but takes the items and model statements
 * before `resume.offset` from an earlier parse instead of parsing them again.
 * The caller guarantees that the earlier text was the same up to that offset
 * and that the earlier parse found no error before it; the only thing parsed
 * there that can depend on what follows, an `if` taking an `else` from the next
 * line, is checked here. Returns null when resuming there would not be sound.
 *
 * With `to`, parsing stops there, at a line start inside the model body (or
 * at an item's start), for a caller that takes what follows from the earlier
 * parse (src/language/incremental/reparse.ts): the model's body and span then
 * end at `to`, unclosed, and any error gives null.
 */
export function parseResuming(text: string, resume: ParseResume, to?: number): Program | null {
  const bounded = to !== undefined;
  const sink = new ErrorSink();
  const tokens = lex(text, { errors: sink, from: resume.lexFrom, to });
  for (const error of sink.list) if (bounded || error.span.start < resume.offset) return null;
  const parser = new Parser(tokens, sink);
  let program: Program | null;
  if (resume.model === null) {
    program = parser.parseProgramAfter(resume.items);
  } else {
    const low = firstTokenAt(tokens, resume.offset);
    if (!resumableAt(tokens, low)) return null;
    program = parser.parseResumed(low, resume.model, resume.items, resume.statements, bounded);
  }
  if (!program || (bounded && program.errors.length > 0)) return null;
  return { ...program, comments: resume.comments.concat(program.comments) };
}

/** The first token at or after `offset`. */
function firstTokenAt(tokens: TokenStream, offset: number): number {
  const starts = tokens.starts;
  let low = 0;
  let high = tokens.count - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid] < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether a statement can start at token `i` as it did in the earlier parse: after a statement's end, and not an `else` joining it. */
function resumableAt(tokens: TokenStream, i: number): boolean {
  const before = i > 0 ? tokens.kinds[i - 1] : T.EOF;
  return tokens.kinds[i] !== T.ELSE && (before === T.NEWLINE || before === T.SEMI || before === T.LBRACE);
}

interface IfLink {
  readonly start: number;
  readonly condition: Expr;
  readonly then: Body;
}

class Parser {
  private readonly text: string;
  private readonly kinds: Uint8Array;
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private pos = 0;
  private depth = 0;
  /** Set by the first error in a statement; cleared when the parser resynchronises. */
  private recovering = false;
  private lineStarts: number[] | null = null;
  /**
   * Brace bookkeeping after errors in the current item, so one mistake does
   * not also produce an "unclosed body" or "no open `{`" error further down.
   * `extraCloses`: a body's `{` was missing, or a skip stopped at a `}` that a
   * typo may have made premature; some later `}` will close the wrong body.
   * `strayOpens`: a skip crossed a `{ … }` group, which may pair a stray `{`
   * with a body's real `}`; some body will then end unclosed.
   */
  private extraCloses = 0;
  /** Set by `parseResumed` when the stream stops inside the model body: its end ends the statements, without an error. */
  private stopAtEnd = false;
  private strayOpens = 0;
  private readonly names: (string | undefined)[] = new Array(NAME_TABLE_MASK + 1);

  constructor(
    private readonly tokens: TokenStream,
    private readonly sink: ErrorSink,
  ) {
    this.text = tokens.text;
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
  }

  parseProgram(): Program {
    return this.parseItems([]);
  }

  /** Parses the items of the stream, which starts at an item's start, after `items` (see `parseResuming`). */
  parseProgramAfter(items: readonly Item[]): Program {
    return this.parseItems(items.slice());
  }

  /**
   * Continues a parse at token `pos`, the start of a statement in the body of
   * `model` after `statements` (see `parseResuming`). With `stopAtEnd`, the
   * stream stops at a line start inside the body: null if the body closed
   * before, else the model is left unclosed there.
   */
  parseResumed(pos: number, model: NonNullable<ParseResume['model']>, items: readonly Item[], statements: readonly Statement[], stopAtEnd: boolean): Program | null {
    // The state there after a clean parse: inside the model body, not recovering, no brace bookkeeping.
    this.pos = pos;
    this.depth = 1;
    this.stopAtEnd = stopAtEnd;
    const { name, span } = model;
    const body = this.bodyStatements(`the model \`${name.name || '?'}\``, model.body.span.start, statements.slice());
    const all = items.slice();
    if (stopAtEnd) {
      if (this.kinds[this.pos] !== T.EOF || body.span.end >= 0) return null;
      const end = this.starts[this.pos];
      all.push({ kind: 'model', name, body: { statements: body.statements, span: { start: body.span.start, end } }, span: { start: span.start, end } });
      return { items: all, comments: this.tokens.comments, errors: this.sink.sorted() };
    }
    all.push({ kind: 'model', name, body, span: { start: span.start, end: body.span.end } });
    if (this.recovering) this.syncItem();
    return this.parseItems(all);
  }

  private parseItems(items: Item[]): Program {
    const kinds = this.kinds;
    for (;;) {
      let kind = kinds[this.pos];
      while (kind === T.NEWLINE || kind === T.SEMI) kind = kinds[++this.pos];
      if (kind === T.EOF) break;
      if (kind === T.MODEL || kind === T.BLOCK) {
        this.extraCloses = 0;
        this.strayOpens = 0;
        items.push(this.parseItem());
      } else if (this.extraCloses > 0) {
        // A `}` probably closed the item early (see `extraCloses`), so what
        // follows here is the rest of that item, whose error is already reported.
        this.recovering = true;
      } else {
        this.errorAt(this.pos, this.topLevelMessage(kind));
      }
      if (this.recovering) this.syncItem();
    }
    return { items, comments: this.tokens.comments, errors: this.sink.sorted() };
  }

  // ---- errors -------------------------------------------------------------

  private error(start: number, end: number, message: string, code: 'syntax-error' | 'limit-exceeded' = 'syntax-error'): void {
    if (this.recovering) return;
    this.recovering = true;
    this.sink.report(code, message, start, end);
  }

  /**
   * Reports at token `i`. At a line break or the end of the file the error is
   * a zero-width span right after the previous token, where the user was typing.
   * At an `UNKNOWN` token the lexer has already spoken, so only recover.
   */
  private errorAt(i: number, message: string): void {
    const kind = this.kinds[i];
    if (kind === T.UNKNOWN) {
      this.recovering = true;
      return;
    }
    if (kind === T.NEWLINE || kind === T.EOF) {
      const at = this.endBefore(i);
      this.error(at, at, message);
    } else {
      this.error(this.starts[i], this.ends[i], message);
    }
  }

  /**
   * Reports that `what` was expected at the cursor. When the next token is on
   * the same line the error sits on it and names it ("…, found `k`"); at a
   * line break, a `}` or the end of the file it is a zero-width span right
   * after the last token, where the missing piece belongs.
   */
  private expected(what: string): void {
    const i = this.pos;
    const kind = this.kinds[i];
    if (kind === T.UNKNOWN) {
      this.recovering = true;
      return;
    }
    if (!this.atLineEnd()) {
      this.error(this.starts[i], this.ends[i], `${what}, found ${this.describe(i)}`);
    } else {
      const at = this.endBefore(i);
      this.error(at, at, what);
    }
  }

  /** Is the cursor at a line break, a `}` or the end of the file (so nothing is "found" there)? */
  private atLineEnd(): boolean {
    const i = this.pos;
    const kind = this.kinds[i];
    return kind === T.NEWLINE || kind === T.EOF || kind === T.RBRACE || (i > 0 && this.kinds[i - 1] === T.NEWLINE);
  }

  /** Index of the last real token before the cursor (skipping line breaks), or -1. */
  private previous(): number {
    let j = this.pos - 1;
    while (j >= 0 && this.kinds[j] === T.NEWLINE) j--;
    return j;
  }

  private topLevelMessage(kind: number): string {
    switch (kind) {
      case T.RBRACE:
        return 'unexpected `}`: there is no open `{` to close';
      case T.IDENT:
      case T.INPUT:
      case T.WEIGHTS:
      case T.LET:
      case T.REPEAT:
      case T.IF:
        return 'statements must be inside a `model Name { … }` or `block name(…) { … }`';
      default:
        return `expected \`model\` or \`block\`, found ${this.describe(this.pos)}`;
    }
  }

  /** How a token reads in a message: `` `conv` ``, `end of line`, … */
  private describe(i: number): string {
    const kind = this.kinds[i];
    switch (kind) {
      case T.NEWLINE:
        return 'end of line';
      case T.EOF:
        return 'end of file';
      case T.STRING:
        return 'a string';
      case T.UNKNOWN:
        return 'an unexpected character';
      default: {
        const start = this.starts[i];
        const end = Math.min(this.ends[i], start + 24);
        const more = this.ends[i] > end ? '…' : '';
        return `\`${this.text.slice(start, end)}${more}\``;
      }
    }
  }

  private line(offset: number): number {
    if (this.lineStarts === null) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** End offset of the last real (non-newline) token before token `i`. */
  private endBefore(i: number): number {
    let j = i - 1;
    while (j >= 0 && this.kinds[j] === T.NEWLINE) j--;
    return j >= 0 ? this.ends[j] : 0;
  }

  // ---- recovery -----------------------------------------------------------

  /**
   * Skips to the end of the current statement: a newline or `;` outside any
   * brackets the skip itself opened, or a `}` that closes the enclosing body.
   * Parentheses never contain braces, so an unclosed `(` does not hide the
   * body's `}`. `model`/`block` never occur inside a statement and always stop.
   *
   * `recovering` stays set when the skip could not end the statement cleanly,
   * so that the consequences of the same mistake stay silent:
   * - at the end of the file (the missing `}` there is no news);
   * - at `model`/`block` inside an unclosed `{` the skip opened;
   * - at a `}`: the typo may have closed the body early (`f(1})`), and the
   *   tokens after that `}` are skipped silently by the enclosing level;
   * - after crossing a `{ … }` group (see the end of the loop).
   */
  private syncStatement(): void {
    const kinds = this.kinds;
    let brackets = 0;
    let braces = 0;
    let crossedBrace = false;
    let clean = false;
    for (;; this.pos++) {
      const kind = kinds[this.pos];
      if (kind === T.EOF) break;
      if (kind === T.MODEL || kind === T.BLOCK) {
        clean = braces === 0 && brackets === 0;
        break;
      }
      if (kind === T.RBRACE) {
        if (braces === 0) {
          this.extraCloses++;
          break;
        }
        braces--;
      } else if (kind === T.LBRACE) {
        braces++;
        crossedBrace = true;
      } else if (braces === 0 && brackets === 0 && (kind === T.NEWLINE || kind === T.SEMI)) {
        clean = true;
        break;
      } else if (kind === T.LPAREN || kind === T.LBRACKET) {
        brackets++;
      } else if ((kind === T.RPAREN || kind === T.RBRACKET) && brackets > 0) {
        brackets--;
      }
    }
    // Braces never occur inside a statement's own text, so a skip that crossed
    // a `{ … }` may have paired a stray `{` with a body's real `}`.
    if (crossedBrace) this.strayOpens++;
    this.recovering = !clean || crossedBrace;
  }

  /** Skips to the next `model` or `block` at brace depth 0. */
  private syncItem(): void {
    const kinds = this.kinds;
    let braces = 0;
    for (;;) {
      const kind = kinds[this.pos];
      if (kind === T.EOF) break;
      if (braces === 0 && (kind === T.MODEL || kind === T.BLOCK)) break;
      if (kind === T.LBRACE) braces++;
      else if (kind === T.RBRACE && braces > 0) braces--;
      this.pos++;
    }
    this.recovering = false;
  }

  /**
   * Enters one nesting level. Past `MAX_NESTING` it reports `limit-exceeded`
   * and returns false; the caller then returns without recursing and the
   * statement-level skip steps over the over-deep part.
   */
  private enter(): boolean {
    if (this.depth >= MAX_NESTING) {
      const i = this.pos;
      this.error(this.starts[i], this.ends[i], `nesting is deeper than ${MAX_NESTING} levels`, 'limit-exceeded');
      return false;
    }
    this.depth++;
    return true;
  }

  // ---- small helpers ------------------------------------------------------

  private identifier(i: number): Identifier {
    const start = this.starts[i];
    const end = this.ends[i];
    return { name: this.intern(start, end), span: { start, end } };
  }

  /**
   * The source text in [start, end), shared between equal names. A spec repeats
   * a few dozen names (`conv`, `k`, `stride`) thousands of times; sharing them
   * keeps a large file's AST smaller, which matters because every AST object
   * survives until the parse ends and so costs the garbage collector a copy.
   */
  private intern(start: number, end: number): string {
    const text = this.text;
    const length = end - start;
    if (length > 24) return text.slice(start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
    const table = this.names;
    let slot = hash & NAME_TABLE_MASK;
    for (let probe = 0; probe < 4; probe++) {
      const name = table[slot];
      if (name === undefined) return (table[slot] = text.slice(start, end));
      if (name.length === length && text.startsWith(name, start)) return name;
      slot = (slot + 1) & NAME_TABLE_MASK;
    }
    return text.slice(start, end);
  }

  /** Consumes an identifier, or reports `message` and returns an empty name at the cursor. */
  private expectIdentifier(message: string): Identifier {
    if (this.kinds[this.pos] === T.IDENT) return this.identifier(this.pos++);
    this.expected(message);
    const at = this.endBefore(this.pos);
    return { name: '', span: { start: at, end: at } };
  }

  private expect(kind: number, message: string): boolean {
    if (this.kinds[this.pos] === kind) {
      this.pos++;
      return true;
    }
    this.expected(message);
    return false;
  }

  private skipNewlines(): void {
    while (this.kinds[this.pos] === T.NEWLINE) this.pos++;
  }

  // ---- items --------------------------------------------------------------

  private parseItem(): Item {
    const start = this.starts[this.pos];
    const isModel = this.kinds[this.pos] === T.MODEL;
    this.pos++;
    const what = isModel ? 'model' : 'block';
    const name = this.expectIdentifier(`expected a ${what} name after \`${what}\``);
    const owner = `the ${what} \`${name.name || '?'}\``;
    if (isModel) {
      const body = this.parseBody(owner, `after the model name`);
      return { kind: 'model', name, body, span: { start, end: body.span.end } };
    }
    const params = this.parseParameters(name);
    const body = this.parseBody(owner, `after the block's parameters`);
    return { kind: 'block', name, params, body, span: { start, end: body.span.end } };
  }

  private parseParameters(name: Identifier): Parameter[] {
    const params: Parameter[] = [];
    const kinds = this.kinds;
    if (kinds[this.pos] !== T.LPAREN) {
      // `block b { … }`: say so, but still parse the body.
      this.errorAt(this.pos, `expected a parameter list after the block name \`${name.name || '?'}\`, even if empty: \`()\``);
      if (kinds[this.pos] === T.LBRACE) this.recovering = false;
      return params;
    }
    this.pos++;
    while (kinds[this.pos] !== T.RPAREN) {
      if (kinds[this.pos] !== T.IDENT) {
        this.expected('expected a parameter name');
        break;
      }
      const paramName = this.identifier(this.pos++);
      let value: Expr | undefined;
      if (kinds[this.pos] === T.EQ) {
        this.pos++;
        value = this.parseExpr();
      }
      const end = value ? value.span.end : paramName.span.end;
      params.push({ name: paramName, default: value, span: { start: paramName.span.start, end } });
      if (kinds[this.pos] === T.COMMA) {
        this.pos++;
        continue;
      }
      if (kinds[this.pos] !== T.RPAREN) {
        this.expected(`expected \`,\` or \`)\` in the parameters of \`${name.name}\``);
        break;
      }
    }
    if (this.recovering) {
      // Prefer a `) {` later on this line: it is surely the end of the list.
      for (let j = this.pos; kinds[j] !== T.NEWLINE && kinds[j] !== T.EOF; j++) {
        if (kinds[j] === T.RPAREN && kinds[j + 1] === T.LBRACE) {
          this.pos = j + 1;
          this.recovering = false;
          return params;
        }
      }
      // Otherwise skip to the `)` matching the list's `(`, or stop at the body's `{`.
      let nesting = 0;
      for (;;) {
        const kind = kinds[this.pos];
        if (kind === T.EOF || kind === T.LBRACE || kind === T.NEWLINE) break;
        if (kind === T.LPAREN || kind === T.LBRACKET) nesting++;
        else if (kind === T.RBRACKET && nesting > 0) nesting--;
        else if (kind === T.RPAREN) {
          if (nesting === 0) {
            this.pos++;
            break;
          }
          nesting--;
        }
        this.pos++;
      }
      if (kinds[this.pos] === T.LBRACE) this.recovering = false;
    } else {
      this.pos++; // `)`
    }
    return params;
  }

  /**
   * `{ statement* }`. An unclosed body ends at the end of the file or at the
   * next `model`/`block`, keeping the statements parsed so far.
   */
  private parseBody(owner: string, after: string): Body {
    const kinds = this.kinds;
    // Allow the `{` on the next line.
    if (kinds[this.pos] === T.NEWLINE && kinds[this.pos + 1] === T.LBRACE) this.pos++;
    if (kinds[this.pos] !== T.LBRACE) {
      this.expected(`expected \`{\` ${after}`);
      this.extraCloses++;
      const at = this.endBefore(this.pos);
      return { statements: [], span: { start: at, end: at } };
    }
    if (!this.enter()) {
      const at = this.starts[this.pos];
      return { statements: [], span: { start: at, end: at } };
    }
    const open = this.pos++;
    // A body is a fresh context: an error before its `{` must not hide errors inside.
    this.recovering = false;
    return this.bodyStatements(owner, this.starts[open], []);
  }

  /** The statements of a body opened at `start`, after `statements`, and its `}`. */
  private bodyStatements(owner: string, start: number, statements: Statement[]): Body {
    const kinds = this.kinds;
    let end: number;
    for (;;) {
      let kind = kinds[this.pos];
      while (kind === T.NEWLINE || kind === T.SEMI) kind = kinds[++this.pos];
      if (kind === T.RBRACE) {
        end = this.ends[this.pos++];
        break;
      }
      if (kind === T.EOF && this.stopAtEnd && this.depth === 1) {
        // The stream stops inside the model body: the rest comes from an earlier parse.
        end = -1;
        break;
      }
      if (kind === T.EOF || kind === T.MODEL || kind === T.BLOCK) {
        if (this.strayOpens > 0) {
          this.strayOpens--;
          this.recovering = true;
        }
        this.expected(`expected \`}\` to close ${owner} opened at line ${this.line(start)}`);
        end = this.endBefore(this.pos);
        break;
      }
      const statement = this.parseStatement();
      if (statement !== null) statements.push(statement);
      if (!this.recovering) {
        kind = kinds[this.pos];
        if (kind !== T.NEWLINE && kind !== T.SEMI && kind !== T.RBRACE && kind !== T.EOF && kind !== T.MODEL && kind !== T.BLOCK) {
          this.errorAt(this.pos, this.afterStatementMessage(statement));
        }
      }
      if (this.recovering) this.syncStatement();
    }
    this.depth--;
    return { statements, span: { start, end } };
  }

  /** What to say when a statement is followed by more than a line break. */
  private afterStatementMessage(statement: Statement | null): string {
    const found = this.describe(this.pos);
    const last = statement?.kind === 'layer' ? statement.stages[statement.stages.length - 1] : undefined;
    // `conv 64 k=3`: the usual slip is a missing comma between arguments.
    if (last && !last.parenthesized && last.args.length > 0 && startsExpr(this.kinds[this.pos])) {
      return messages.missingComma(last.callee.name, found);
    }
    return `expected a new line or \`;\` after the statement, found ${found}`;
  }

  // ---- statements ---------------------------------------------------------

  private parseStatement(): Statement | null {
    const kinds = this.kinds;
    const start = this.starts[this.pos];
    switch (kinds[this.pos]) {
      case T.IDENT:
        return this.parseLayer();
      case T.INPUT: {
        this.pos++;
        const name = this.expectIdentifier('expected the input name after `input`');
        let shape: Expr;
        if (this.expect(T.COLON, 'expected `:` and a shape after the input name')) {
          shape = this.parseExpr();
        } else {
          shape = this.missing();
        }
        let args: readonly Argument[] = NONE;
        if (kinds[this.pos] === T.COMMA && !this.recovering) {
          this.pos++;
          this.skipNewlines();
          args = this.parseArguments(false, 'input');
        }
        return { kind: 'input', name, shape, args, span: { start, end: this.endBefore(this.pos) } };
      }
      case T.WEIGHTS: {
        this.pos++;
        const path = startsExpr(kinds[this.pos]) ? this.parseExpr() : this.missingWith('expected a file path string after `weights`');
        return { kind: 'weights', path, span: { start, end: this.endBefore(this.pos) } };
      }
      case T.LET: {
        this.pos++;
        const name = this.expectIdentifier('expected a name after `let`');
        const value = this.expect(T.EQ, `expected \`=\` after \`let ${name.name}\``)
          ? this.parseExpr()
          : this.missing();
        return { kind: 'let', name, value, span: { start, end: this.endBefore(this.pos) } };
      }
      case T.REPEAT: {
        this.pos++;
        const count = startsExpr(kinds[this.pos]) ? this.parseExpr() : this.missingWith('expected a repeat count after `repeat`');
        let index: Identifier | undefined;
        if (kinds[this.pos] === T.AS) {
          this.pos++;
          index = this.expectIdentifier('expected a name after `as`');
        }
        const body = this.parseBody('the `repeat`', index ? `after \`as ${index.name}\`` : 'after the repeat count');
        return { kind: 'repeat', count, index, body, span: { start, end: body.span.end } };
      }
      case T.IF:
        return this.parseIf();
      case T.ELSE:
        this.errorAt(this.pos, '`else` without an `if`: it must follow the `}` of an `if` body');
        return null;
      default:
        this.errorAt(this.pos, `expected a statement, found ${this.describe(this.pos)}`);
        return null;
    }
  }

  /** `if … { } else if … { } else { }`, built with a loop so long chains cost no stack. */
  private parseIf(): Statement {
    const kinds = this.kinds;
    const links: IfLink[] = [];
    let elseBody: Body | undefined;
    for (;;) {
      const start = this.starts[this.pos];
      this.pos++; // `if`
      const condition = startsExpr(kinds[this.pos]) ? this.parseExpr() : this.missingWith('expected a condition after `if`');
      const then = this.parseBody('the `if`', 'after the condition');
      links.push({ start, condition, then });
      let j = this.pos;
      while (kinds[j] === T.NEWLINE) j++;
      if (kinds[j] !== T.ELSE) break;
      this.pos = j + 1;
      if (kinds[this.pos] === T.IF) continue;
      elseBody = this.parseBody('the `else`', 'after `else`');
      break;
    }
    let statement: Statement | undefined;
    for (let i = links.length - 1; i >= 0; i--) {
      const link = links[i];
      const end = (elseBody ?? link.then).span.end;
      statement = { kind: 'if', condition: link.condition, then: link.then, else: elseBody, span: { start: link.start, end } };
      elseBody = { statements: [statement], span: statement.span };
    }
    return statement!;
  }

  /** `[label:] [a, b =] call | call …` */
  private parseLayer(): Statement {
    const kinds = this.kinds;
    const start = this.starts[this.pos];
    let label: Identifier | undefined;
    if (kinds[this.pos + 1] === T.COLON) {
      label = this.identifier(this.pos);
      this.pos += 2;
    }
    let targets: readonly Identifier[] = NONE;
    if (kinds[this.pos] === T.IDENT && (kinds[this.pos + 1] === T.EQ || kinds[this.pos + 1] === T.COMMA)) {
      // Look ahead over `a, b, c` for the `=` that makes them targets.
      let j = this.pos;
      let isBinding = false;
      for (;;) {
        const after = kinds[j + 1];
        if (after === T.EQ) {
          isBinding = true;
          break;
        }
        if (after !== T.COMMA) break;
        j += 2;
        while (kinds[j] === T.NEWLINE) j++;
        if (kinds[j] !== T.IDENT) break;
      }
      if (isBinding) {
        const names: Identifier[] = [];
        while (this.pos <= j) {
          if (kinds[this.pos] === T.IDENT) names.push(this.identifier(this.pos));
          this.pos++;
        }
        targets = names;
        this.pos++; // `=`
      }
    }
    const stages: Call[] = [];
    const first = this.parseCall(targets.length > 0 ? 'after `=`' : label ? `after the label \`${label.name}:\`` : '');
    if (first) {
      stages.push(first);
      while (kinds[this.pos] === T.PIPE) {
        this.pos++;
        this.skipNewlines();
        const call = this.parseCall('after `|`');
        if (!call) break;
        stages.push(call);
      }
    }
    const end = this.endBefore(this.pos);
    // The common `conv 64` statement has the same extent as its one call: share the span.
    const only = stages.length === 1 ? stages[0].span : null;
    const span = only !== null && only.start === start && only.end === end ? only : { start, end };
    return { kind: 'layer', label, targets, stages, span };
  }

  private parseCall(after: string): Call | null {
    const kinds = this.kinds;
    if (kinds[this.pos] !== T.IDENT) {
      this.expected(`expected a layer call${after ? ' ' + after : ''}`);
      return null;
    }
    const callee = this.identifier(this.pos++);
    const start = callee.span.start;
    if (kinds[this.pos] === T.LPAREN && this.starts[this.pos] === callee.span.end) {
      if (!this.enter()) return { kind: 'call', callee, args: NONE, parenthesized: true, span: callee.span };
      const open = this.pos++;
      const args = kinds[this.pos] === T.RPAREN ? NONE : this.parseArguments(true, callee.name);
      let end: number;
      if (kinds[this.pos] === T.RPAREN) {
        end = this.ends[this.pos++];
      } else {
        this.expected(
          this.atLineEnd()
            ? `expected \`)\` to close the arguments of \`${callee.name}\` opened at line ${this.line(this.starts[open])}`
            : `expected \`,\` or \`)\` in the arguments of \`${callee.name}\``,
        );
        end = this.endBefore(this.pos);
      }
      this.depth--;
      return { kind: 'call', callee, args, parenthesized: true, span: { start, end } };
    }
    if (!startsExpr(kinds[this.pos])) return { kind: 'call', callee, args: NONE, parenthesized: false, span: callee.span };
    const args = this.parseArguments(false, callee.name);
    return { kind: 'call', callee, args, parenthesized: false, span: { start, end: this.endBefore(this.pos) } };
  }

  /**
   * `arg, arg, …`; inside parentheses a trailing comma is allowed. A missing
   * comma before a keyword argument (`conv 16 k=3`) is reported once and the
   * argument is still read, so the call does not also lack it.
   */
  private parseArguments(inParens: boolean, callee: string): Argument[] {
    const kinds = this.kinds;
    const args: Argument[] = [];
    for (;;) {
      let name: Identifier | undefined;
      let value: Expr;
      // Keywords may name arguments too: `weights=[sobel_x, sobel_y]`.
      if (this.startsKeywordArgument(this.pos)) {
        name = this.identifier(this.pos);
        this.pos += 2;
        value = this.parseExpr();
      } else {
        value = this.parseExpr();
      }
      const argStart = name ? name.span.start : value.span.start;
      // A positional argument spans exactly its value: share the span object.
      args.push({ name, value, span: name ? { start: argStart, end: value.span.end } : value.span });
      if (kinds[this.pos] !== T.COMMA) {
        if (this.recovering || !this.startsKeywordArgument(this.pos)) break;
        // Reported without entering recovery: the statement goes on parsing as if the comma were there.
        this.sink.report('syntax-error', messages.missingComma(callee, this.describe(this.pos)), this.starts[this.pos], this.ends[this.pos]);
        continue;
      }
      this.pos++;
      this.skipNewlines();
      if (inParens && kinds[this.pos] === T.RPAREN) break;
    }
    return args;
  }

  /** Whether token `i` starts `name=`: an argument keyword (keywords may name arguments too). */
  private startsKeywordArgument(i: number): boolean {
    const kind = this.kinds[i];
    return (kind === T.IDENT || (kind >= T.MODEL && kind <= T.NOT)) && this.kinds[i + 1] === T.EQ;
  }

  // ---- expressions --------------------------------------------------------

  /** A `missing` expression at the cursor, without reporting (an error was already given). */
  private missing(): Expr {
    const at = this.endBefore(this.pos);
    return { kind: 'missing', span: { start: at, end: at } };
  }

  private missingWith(message: string): Expr {
    this.expected(message);
    return this.missing();
  }

  private parseExpr(): Expr {
    // Most arguments are one literal or name (`64`, `k=3`, `stride=stride`):
    // skip the eight precedence levels when the token after it ends the expression.
    const kind = this.kinds[this.pos];
    if ((kind === T.NUMBER || kind === T.IDENT) && ENDS_EXPR[this.kinds[this.pos + 1]] === 1) return this.parsePrimary();
    let left = this.parseAnd();
    while (this.kinds[this.pos] === T.OR) {
      this.pos++;
      const right = this.parseAnd();
      left = { kind: 'binary', op: 'or', left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.kinds[this.pos] === T.AND) {
      this.pos++;
      const right = this.parseNot();
      left = { kind: 'binary', op: 'and', left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.kinds[this.pos] !== T.NOT) return this.parseCompare();
    const start = this.starts[this.pos];
    if (!this.enter()) return this.missing();
    this.pos++;
    const operand = this.parseNot();
    this.depth--;
    return { kind: 'unary', op: 'not', operand, span: { start, end: operand.span.end } };
  }

  private parseCompare(): Expr {
    const left = this.parseDims();
    const kind = this.kinds[this.pos];
    if (kind < T.EQ_EQ || kind > T.GT_EQ) return left;
    this.pos++;
    const right = this.parseDims();
    return { kind: 'binary', op: BINARY_OPS[kind]!, left, right, span: { start: left.span.start, end: right.span.end } };
  }

  private parseDims(): Expr {
    const first = this.parseSum();
    if (this.kinds[this.pos] !== T.DIM) return first;
    const items = [first];
    while (this.kinds[this.pos] === T.DIM) {
      this.pos++;
      items.push(this.parseSum());
    }
    return { kind: 'dims', items, span: { start: first.span.start, end: items[items.length - 1].span.end } };
  }

  private parseSum(): Expr {
    let left = this.parseTerm();
    for (;;) {
      const kind = this.kinds[this.pos];
      if (kind !== T.PLUS && kind !== T.MINUS) return left;
      this.pos++;
      const right = this.parseTerm();
      left = { kind: 'binary', op: BINARY_OPS[kind]!, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private parseTerm(): Expr {
    let left = this.parseUnary();
    for (;;) {
      const kind = this.kinds[this.pos];
      if (kind !== T.STAR && kind !== T.SLASH && kind !== T.SLASH_SLASH && kind !== T.PERCENT) return left;
      this.pos++;
      const right = this.parseUnary();
      left = { kind: 'binary', op: BINARY_OPS[kind]!, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private parseUnary(): Expr {
    if (this.kinds[this.pos] !== T.MINUS) return this.parsePrimary();
    const start = this.starts[this.pos];
    if (!this.enter()) return this.missing();
    this.pos++;
    const operand = this.parseUnary();
    this.depth--;
    return { kind: 'unary', op: '-', operand, span: { start, end: operand.span.end } };
  }

  private parsePrimary(): Expr {
    const i = this.pos;
    const start = this.starts[i];
    const end = this.ends[i];
    switch (this.kinds[i]) {
      case T.NUMBER: {
        this.pos++;
        const raw = this.intern(start, end);
        return { kind: 'number', value: this.numberValue(raw), raw, span: { start, end } };
      }
      case T.STRING:
        this.pos++;
        return { kind: 'string', value: this.stringValue(start, end), span: { start, end } };
      case T.TRUE:
      case T.FALSE:
        this.pos++;
        return { kind: 'bool', value: this.kinds[i] === T.TRUE, span: { start, end } };
      case T.IDENT:
        this.pos++;
        return { kind: 'name', name: this.intern(start, end), span: { start, end } };
      case T.LPAREN:
      case T.LBRACKET:
        return this.parseBracketed();
      default: {
        const prev = this.previous();
        return this.missingWith(prev >= 0 ? `expected an expression after ${this.describe(prev)}` : 'expected an expression');
      }
    }
  }

  /** `( … )` (grouping or tuple) and `[ … ]` (list). */
  private parseBracketed(): Expr {
    const kinds = this.kinds;
    const open = this.pos;
    const isList = kinds[open] === T.LBRACKET;
    const closer = isList ? T.RBRACKET : T.RPAREN;
    if (!this.enter()) return this.missing();
    this.pos++;
    const items: Expr[] = [];
    if (!(isList && kinds[this.pos] === closer)) {
      for (;;) {
        items.push(this.parseExpr());
        if (kinds[this.pos] !== T.COMMA) break;
        this.pos++;
        // A trailing comma is fine in a list: `[1, 2,]` (a tuple needs two items).
        if (isList && kinds[this.pos] === closer) break;
      }
    }
    let end: number;
    if (kinds[this.pos] === closer) {
      end = this.ends[this.pos++];
    } else {
      const symbol = isList ? ']' : ')';
      this.expected(
        this.atLineEnd()
          ? `expected \`${symbol}\` to close the \`${isList ? '[' : '('}\` opened at line ${this.line(this.starts[open])}`
          : `expected \`,\` or \`${symbol}\``,
      );
      end = this.endBefore(this.pos);
    }
    this.depth--;
    const span = { start: this.starts[open], end };
    if (isList) return { kind: 'list', items, span };
    return items.length === 1 ? items[0] : { kind: 'tuple', items, span };
  }

  /** Most literals are small integers; read those digit by digit instead of calling `Number`. */
  private numberValue(raw: string): number {
    if (raw.length > 9) return Number(raw);
    let value = 0;
    for (let i = 0; i < raw.length; i++) {
      const digit = raw.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return Number(raw);
      value = value * 10 + digit;
    }
    return value;
  }

  private stringValue(start: number, end: number): string {
    const text = this.text;
    const closed = end - start >= 2 && text.charCodeAt(end - 1) === 34 && !this.escapedQuote(start, end - 1);
    const inner = closed ? end - 1 : end;
    // Look for a backslash only inside the string: `indexOf` would scan the rest of the file.
    let slash = start + 1;
    while (slash < inner && text.charCodeAt(slash) !== 92) slash++;
    if (slash === inner) return text.slice(start + 1, inner);
    let value = '';
    let from = start + 1;
    for (let i = slash; i < inner; i++) {
      if (text.charCodeAt(i) !== 92) continue;
      const next = text.charCodeAt(i + 1);
      // Only `\"` and `\\` are escapes; any other backslash stays as written.
      if ((next === 34 || next === 92) && i + 1 < inner) {
        value += text.slice(from, i);
        from = i + 1;
        i++;
      }
    }
    return value + text.slice(from, inner);
  }

  /** Is the `"` at `quote` escaped by an odd run of backslashes after `start`? */
  private escapedQuote(start: number, quote: number): boolean {
    let slashes = 0;
    for (let i = quote - 1; i > start && this.text.charCodeAt(i) === 92; i--) slashes++;
    return slashes % 2 === 1;
  }
}

