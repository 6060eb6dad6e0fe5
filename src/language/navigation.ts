/**
 * Go to definition, find references, document highlights and rename, for
 * tensor names, blocks, block parameters, `let`s, the input and the model: all
 * read from the analysis' symbol table. A cursor just after a name still finds it.
 */
import type { Span } from './ast';
import { getLayerSpec } from './catalogue';
import { lex, TokenKind } from './lexer';
import { symbolAt } from './locate';
import { renameRefusals } from './messages';
import type { TextChange } from './text-change';
import type { Analysis, SymbolInfo } from './types';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a name is taken by the language: a keyword (as the lexer reads it), or `in`, which a block body reads as its input. */
function reserved(name: string): boolean {
  return name === 'in' || lex(name).kinds[0] !== TokenKind.IDENT;
}

/** The symbol at the cursor, with the span of the name there. */
function symbolAtCursor(analysis: Analysis, offset: number): ReturnType<typeof symbolAt> {
  return symbolAt(analysis, offset, { includeEnd: true });
}

/** Where the name at the offset is defined, or null. */
export function definition(analysis: Analysis, offset: number): Span | null {
  return symbolAtCursor(analysis, offset)?.symbol.definition ?? null;
}

/** The uses of the name at the offset, after its definition when asked for. */
export function references(analysis: Analysis, offset: number, options: { readonly includeDeclaration: boolean }): Span[] {
  const found = symbolAtCursor(analysis, offset);
  if (!found) return [];
  return options.includeDeclaration ? [found.symbol.definition, ...found.symbol.references] : [...found.symbol.references];
}

export interface Highlight {
  readonly span: Span;
  /** The definition writes the name; the uses read it. */
  readonly kind: 'write' | 'read';
}

/** The definition and the uses of the name at the offset. */
export function highlights(analysis: Analysis, offset: number): Highlight[] {
  const found = symbolAtCursor(analysis, offset);
  if (!found) return [];
  return [{ span: found.symbol.definition, kind: 'write' }, ...found.symbol.references.map((span): Highlight => ({ span, kind: 'read' }))];
}

/** What a rename at the offset would rename: the name there and its current text, or null where there is nothing to rename. */
export function prepareRename(analysis: Analysis, offset: number): { readonly span: Span; readonly placeholder: string } | null {
  const found = symbolAtCursor(analysis, offset);
  return found ? { span: found.span, placeholder: found.symbol.name } : null;
}

/** A rename's changes, or why the new name is refused. */
export type RenameResult = { readonly changes: TextChange[] } | { readonly refused: string };

/** Renames the name at the offset at its definition and every use; null where there is nothing to rename. */
export function rename(analysis: Analysis, offset: number, newName: string): RenameResult | null {
  const found = symbolAtCursor(analysis, offset);
  if (!found) return null;
  const problem = invalidName(found.symbol, newName);
  if (problem) return { refused: problem };
  return { changes: [found.symbol.definition, ...found.symbol.references].map((span) => ({ span, newText: newName })) };
}

/** Why a new name is refused, or null when it is fine. */
export function invalidName(symbol: SymbolInfo, name: string): string | null {
  if (!identifier.test(name)) return renameRefusals.notAName(name);
  if (reserved(name)) return renameRefusals.keyword(name);
  if (symbol.kind === 'block' && getLayerSpec(name)) return renameRefusals.builtInLayer(name);
  return null;
}
