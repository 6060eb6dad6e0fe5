/** Completion, from the language's completions: kinds, markdown and snippets in LSP terms. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { completions, type Completion, type CompletionKind } from '../language/completion';
import type { Feature } from './feature';

const kinds: Record<CompletionKind, CompletionItemKind> = {
  layer: CompletionItemKind.Function,
  block: CompletionItemKind.Module,
  argument: CompletionItemKind.Field,
  value: CompletionItemKind.EnumMember,
  tensor: CompletionItemKind.Variable,
  constant: CompletionItemKind.Constant,
  parameter: CompletionItemKind.TypeParameter,
  keyword: CompletionItemKind.Keyword,
};

export const completionFeature: Feature = {
  capabilities: () => ({ completionProvider: { triggerCharacters: ['|', '=', ','], resolveProvider: false } }),
  register(context) {
    context.connection.onCompletion((params, token) =>
      context.answer('completion', params.textDocument.uri, token, [] as CompletionItem[], (doc) =>
        completions(doc.analysis, doc.lines.offsetAt(params.position), context.settings().shapeNotation).map(toLsp),
      ),
    );
  },
};

function toLsp(c: Completion): CompletionItem {
  const item: CompletionItem = { label: c.label, kind: kinds[c.kind] };
  if (c.detail !== undefined) item.detail = c.detail;
  if (c.documentation !== undefined) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.snippet !== undefined) {
    item.insertText = c.snippet;
    item.insertTextFormat = InsertTextFormat.Snippet;
  }
  // The editor's own command: suggest again, right after the inserted text.
  if (c.suggestAgain) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  if (c.sortText !== undefined) item.sortText = c.sortText;
  return item;
}
