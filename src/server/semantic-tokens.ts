/**
 * Semantic tokens: what the TextMate grammar cannot know. Which names are
 * tensors, block parameters, `let`s or blocks (and where each is declared),
 * which calls are built-in layers, and which bare words are kernel names or
 * argument values.
 */
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { Argument, Body, Call, Expr, Program, Span } from '../language/ast';
import { KERNEL_NAMES, getLayerSpec } from '../language/catalogue';
import type { Analysis, SymbolInfo } from '../language/types';
import type { AnalyzedDocument } from './analysis-cache';
import type { Feature } from './feature';

const tokenTypes = ['class', 'function', 'parameter', 'variable', 'enumMember'] as const;
const tokenModifiers = ['declaration', 'readonly', 'defaultLibrary'] as const;
type TokenType = (typeof tokenTypes)[number];
type TokenModifier = (typeof tokenModifiers)[number];

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

export interface SemanticToken {
  readonly span: Span;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

export const semanticTokensFeature: Feature = {
  capabilities: () => ({ semanticTokensProvider: { legend: semanticTokensLegend, full: true, range: false } }),
  register(context) {
    context.connection.languages.semanticTokens.on((params, token) =>
      context.answer('semanticTokens', params.textDocument.uri, token, { data: [] } as SemanticTokens, (doc) => encode(doc, semanticTokens(doc.analysis))),
    );
  },
};

const symbolTypes: Record<SymbolInfo['kind'], { type: TokenType; modifiers: TokenModifier[] }> = {
  model: { type: 'class', modifiers: [] },
  block: { type: 'function', modifiers: [] },
  parameter: { type: 'parameter', modifiers: [] },
  let: { type: 'variable', modifiers: ['readonly'] },
  tensor: { type: 'variable', modifiers: [] },
  input: { type: 'variable', modifiers: [] },
};

const kernelNames = new Set(KERNEL_NAMES);

/** Every token, sorted by offset, none overlapping. */
export function semanticTokens(analysis: Analysis): SemanticToken[] {
  const byStart = new Map<number, SemanticToken>();
  const add = (token: SemanticToken) => {
    if (token.span.end > token.span.start && !byStart.has(token.span.start)) byStart.set(token.span.start, token);
  };

  for (const symbol of analysis.symbols) {
    const { type, modifiers } = symbolTypes[symbol.kind];
    add({ span: symbol.definition, type, modifiers: [...modifiers, 'declaration'] });
    for (const span of symbol.references) add({ span, type, modifiers });
  }
  for (const call of calls(analysis.program)) {
    const spec = getLayerSpec(call.callee.name);
    if (spec) add({ span: call.callee.span, type: 'function', modifiers: ['defaultLibrary'] });
    for (const arg of call.args) argumentTokens(arg, spec?.args.find((a) => a.name === arg.name?.name)?.values, add);
  }
  return [...byStart.values()].sort((a, b) => a.span.start - b.span.start);
}

function argumentTokens(arg: Argument, values: readonly string[] | undefined, add: (token: SemanticToken) => void): void {
  if (arg.name) add({ span: arg.name.span, type: 'parameter', modifiers: [] });
  const visit = (expr: Expr) => {
    if (expr.kind === 'name' && (kernelNames.has(expr.name) || values?.includes(expr.name) || expr.name === 'same' || expr.name === 'valid')) {
      // Added after the symbols, so a tensor that happens to be called `box` stays a variable.
      add({ span: expr.span, type: 'enumMember', modifiers: [] });
    } else if (expr.kind === 'list' || expr.kind === 'tuple' || expr.kind === 'dims') {
      for (const item of expr.items) visit(item);
    }
  };
  visit(arg.value);
}

function* calls(program: Program): Iterable<Call> {
  function* inBody(body: Body): Iterable<Call> {
    for (const statement of body.statements) {
      if (statement.kind === 'layer') yield* statement.stages;
      else if (statement.kind === 'repeat') yield* inBody(statement.body);
      else if (statement.kind === 'if') {
        yield* inBody(statement.then);
        if (statement.else) yield* inBody(statement.else);
      }
    }
  }
  for (const item of program.items) yield* inBody(item.body);
}

function encode(doc: AnalyzedDocument, tokens: readonly SemanticToken[]): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const token of tokens) {
    const start = doc.lines.positionAt(token.span.start);
    const end = doc.lines.positionAt(token.span.end);
    // Tokens may not span lines; names never do, but a recovering parser's spans might.
    if (end.line !== start.line) continue;
    let modifiers = 0;
    for (const m of token.modifiers) modifiers |= 1 << tokenModifiers.indexOf(m);
    builder.push(start.line, start.character, end.character - start.character, tokenTypes.indexOf(token.type), modifiers);
  }
  return builder.build();
}
