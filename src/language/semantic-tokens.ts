/**
 * Semantic tokens: what the TextMate grammar cannot know. Which names are
 * tensors, block parameters, `let`s or blocks (and where each is declared),
 * which calls are built-in layers, and which bare words are kernel names or
 * argument values.
 */
import type { Argument, Body, Call, Expr, Program, Span } from './ast';
import { KERNEL_NAMES, getLayerSpec } from './catalogue';
import type { Analysis, SymbolInfo } from './types';

/** The token types, in the order a legend lists them. */
export const semanticTokenTypes = ['class', 'function', 'parameter', 'variable', 'enumMember'] as const;
/** The token modifiers, in the order a legend lists them (bit i is modifier i). */
export const semanticTokenModifiers = ['declaration', 'readonly', 'defaultLibrary'] as const;
export type SemanticTokenType = (typeof semanticTokenTypes)[number];
export type SemanticTokenModifier = (typeof semanticTokenModifiers)[number];

export interface SemanticToken {
  readonly span: Span;
  readonly type: SemanticTokenType;
  readonly modifiers: readonly SemanticTokenModifier[];
}

const symbolTypes: Record<SymbolInfo['kind'], { type: SemanticTokenType; modifiers: SemanticTokenModifier[] }> = {
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
