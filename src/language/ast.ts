/**
 * The syntax tree of a `.cnn` file. Every node carries a span of UTF-16 offsets
 * into the source text ([start, end)); LSP ranges are built from them only at
 * the server's edge.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Identifier {
  readonly name: string;
  readonly span: Span;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly raw: string; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr; readonly span: Span }
  /** `(a, b)`: a parenthesised list of two or more expressions. `(a)` is just `a`. */
  | { readonly kind: 'tuple'; readonly items: readonly Expr[]; readonly span: Span }
  /** `3×224×224` (or `3x224x224`): a shape or kernel size. */
  | { readonly kind: 'dims'; readonly items: readonly Expr[]; readonly span: Span }
  /** `[a, b, c]`: literal weights, or a list of sizes or kernel names. */
  | { readonly kind: 'list'; readonly items: readonly Expr[]; readonly span: Span }
  /** Stands where the parser found no expression; a syntax error was already reported. */
  | { readonly kind: 'missing'; readonly span: Span };

/** One argument of a call: positional (`64`) or keyword (`k=3`). */
export interface Argument {
  readonly name?: Identifier;
  readonly value: Expr;
  readonly span: Span;
}

/**
 * `conv 64, k=3` or `bottleneck(64, stride=2)` or a bare `relu`.
 * A bare identifier at the head of a pipeline may also name a tensor
 * (`x | conv 64`); name resolution decides which.
 */
export interface Call {
  readonly kind: 'call';
  readonly callee: Identifier;
  readonly args: readonly Argument[];
  /** True for `f(...)`, false for `f a, b` and for a bare `f`. */
  readonly parenthesized: boolean;
  readonly span: Span;
}

export interface Body {
  readonly statements: readonly Statement[];
  /** From `{` to `}` inclusive. */
  readonly span: Span;
}

export type Statement =
  /** `input x: 3×224×224` with optional `, normalize=imagenet`. Models only. */
  | { readonly kind: 'input'; readonly name: Identifier; readonly shape: Expr; readonly args: readonly Argument[]; readonly span: Span }
  /** `weights "lenet5.safetensors"`. Models only. */
  | { readonly kind: 'weights'; readonly path: Expr; readonly span: Span }
  /** `let width = 64` */
  | { readonly kind: 'let'; readonly name: Identifier; readonly value: Expr; readonly span: Span }
  /**
   * A pipeline of calls, optionally labelled (`stem: conv 64`) and/or bound to
   * names (`y = ...`, `a, b = chunk 2`). Without a source name, the first call
   * consumes the current tensor.
   */
  | {
      readonly kind: 'layer';
      readonly label?: Identifier;
      readonly targets: readonly Identifier[];
      readonly stages: readonly Call[];
      readonly span: Span;
    }
  /** `repeat 3 { ... }` or `repeat n as i { ... }` (i counts from 0). */
  | { readonly kind: 'repeat'; readonly count: Expr; readonly index?: Identifier; readonly body: Body; readonly span: Span }
  | { readonly kind: 'if'; readonly condition: Expr; readonly then: Body; readonly else?: Body; readonly span: Span };

export interface Parameter {
  readonly name: Identifier;
  readonly default?: Expr;
  readonly span: Span;
}

export type Item =
  | { readonly kind: 'model'; readonly name: Identifier; readonly body: Body; readonly span: Span }
  | { readonly kind: 'block'; readonly name: Identifier; readonly params: readonly Parameter[]; readonly body: Body; readonly span: Span };

export type ModelItem = Extract<Item, { kind: 'model' }>;
export type BlockItem = Extract<Item, { kind: 'block' }>;

export interface SyntaxError {
  readonly code: 'syntax-error' | 'limit-exceeded';
  readonly message: string;
  readonly span: Span;
}

export interface Program {
  readonly items: readonly Item[];
  /** Spans of `# ...` comments, in order; the formatter keeps them. */
  readonly comments: readonly Span[];
  readonly errors: readonly SyntaxError[];
}
