/**
 * Completion: layer kinds as snippets with their docs, blocks, and names in
 * scope where a call or a tensor goes; argument names (`k=`) and their allowed
 * values inside a call; keywords at the start of a statement.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import type { Item } from '../language/ast';
import { KERNEL_NAMES, getLayerSpec, layerSpecs, type ArgSpec, type LayerSpec } from '../language/catalogue';
import { argumentMarkdown } from '../language/hover';
import { formatShape, type ShapeNotation } from '../language/notation';
import type { Analysis, SymbolInfo } from '../language/types';
import { cursorContext } from './call-context';
import type { Feature } from './feature';

export const completionFeature: Feature = {
  capabilities: () => ({ completionProvider: { triggerCharacters: ['|', '=', ','], resolveProvider: false } }),
  register(context) {
    context.connection.onCompletion((params, token) =>
      context.answer('completion', params.textDocument.uri, token, [] as CompletionItem[], (doc) =>
        completions(doc.analysis, doc.lines.offsetAt(params.position), context.settings().shapeNotation),
      ),
    );
  },
};

export function completions(analysis: Analysis, offset: number, notation: ShapeNotation): CompletionItem[] {
  const item = analysis.program.items.find((i) => i.body.span.start < offset && offset < i.body.span.end);
  const context = cursorContext(analysis.text, offset);
  if (!item) {
    return context.kind === 'head' && context.statementStart ? topLevelKeywords() : [];
  }
  switch (context.kind) {
    case 'none':
      return [];
    case 'head':
      return [
        ...layerKindItems(),
        ...blockItems(analysis),
        ...nameItems(analysis, item, offset, notation),
        ...(context.statementStart ? statementKeywords(item) : []),
      ];
    case 'expression':
      // Counts, conditions, `let` values and input shapes are numbers, never tensors.
      return nameItems(analysis, item, offset, notation).filter((c) => c.kind !== CompletionItemKind.Variable && c.label !== 'in');
    case 'argument': {
      if (context.callee === 'input') return context.name ? valueItems(inputNormalize) : context.atArgumentStart ? argumentNameItems('input', [inputNormalize], context.given) : [];
      const spec = getLayerSpec(context.callee);
      const names = nameItems(analysis, item, offset, notation);
      if (spec) {
        if (context.name) {
          const arg = spec.args.find((a) => a.name === context.name);
          return [...(arg ? valueItems(arg) : []), ...names];
        }
        return [...(context.atArgumentStart ? argumentNameItems(spec.kind, spec.args, context.given) : []), ...names];
      }
      const block = blockItem(analysis, context.callee);
      if (block && !context.name && context.atArgumentStart) {
        const params = block.params.filter((p) => !context.given.includes(p.name.name));
        return [
          ...params.map((p) => ({
            label: `${p.name.name}=`,
            kind: CompletionItemKind.Field,
            detail: `parameter of block ${block.name.name}`,
            insertText: `${p.name.name}=$0`,
            insertTextFormat: InsertTextFormat.Snippet,
            sortText: `0${p.name.name}`,
          })),
          ...names,
        ];
      }
      return names;
    }
  }
}

function layerKindItems(): CompletionItem[] {
  return layerSpecs().map((spec) => ({
    label: spec.kind,
    kind: CompletionItemKind.Function,
    detail: spec.summary,
    documentation: { kind: MarkupKind.Markdown, value: layerDoc(spec) },
    insertText: layerSnippet(spec),
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: `1${spec.kind}`,
  }));
}

/** `conv ${1:out}, k=${2:k}`: the required arguments as tab stops. */
export function layerSnippet(spec: LayerSpec): string {
  const required = spec.args.filter((a) => a.required);
  let stop = 0;
  const parts = required.map((a) => (a.positional && a === required[0] ? `\${${++stop}:${a.name}}` : `${a.name}=\${${++stop}:${a.name}}`));
  if (spec.inputs === 'many') return `${spec.kind}(\${1:tensors})`;
  return parts.length > 0 ? `${spec.kind} ${parts.join(', ')}` : spec.kind;
}

function layerDoc(spec: LayerSpec): string {
  const args = spec.args.map((a) => `- \`${a.name}\`${a.default !== undefined ? ` = \`${String(a.default)}\`` : a.required ? ' (required)' : ''}: ${a.doc}`);
  return [spec.doc, `PyTorch: \`${spec.torch}\``, ...(args.length > 0 ? ['Arguments:', ...args] : [])].join('\n\n');
}

function argumentNameItems(owner: string, args: readonly ArgSpec[], given: readonly string[]): CompletionItem[] {
  return args
    .filter((a) => !given.includes(a.name))
    .map((a) => ({
      label: `${a.name}=`,
      kind: CompletionItemKind.Field,
      detail: `${a.type}${a.default !== undefined ? ` = ${String(a.default)}` : ''}`,
      documentation: { kind: MarkupKind.Markdown, value: argumentMarkdown(owner, a) },
      insertText: `${a.name}=$0`,
      insertTextFormat: InsertTextFormat.Snippet,
      // Ask for the values right after the `=`.
      command: a.values || a.type === 'bool' || a.type === 'padding' || a.type === 'kernel-weights' ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
      sortText: `0${a.required ? 0 : 1}${a.name}`,
    }));
}

/** The values an argument allows, when it names them. */
function valueItems(arg: ArgSpec): CompletionItem[] {
  let values: readonly string[] = arg.values ?? [];
  if (arg.type === 'bool') values = ['true', 'false'];
  if (arg.type === 'padding') values = ['same', 'valid'];
  if (arg.type === 'kernel-weights') values = KERNEL_NAMES;
  return values.map((v) => ({
    label: v,
    kind: CompletionItemKind.EnumMember,
    detail: arg.default !== undefined && String(arg.default) === v ? `${arg.name} (default)` : arg.name,
    sortText: `0${v}`,
  }));
}

function blockItem(analysis: Analysis, name: string): Extract<Item, { kind: 'block' }> | undefined {
  return analysis.program.items.find((i): i is Extract<Item, { kind: 'block' }> => i.kind === 'block' && i.name.name === name);
}

function blockItems(analysis: Analysis): CompletionItem[] {
  return analysis.program.items
    .filter((i): i is Extract<Item, { kind: 'block' }> => i.kind === 'block')
    .map((block) => ({
      label: block.name.name,
      kind: CompletionItemKind.Module,
      detail: `block ${block.name.name}(${block.params.map((p) => p.name.name).join(', ')})`,
      insertText: block.params.length > 0 ? `${block.name.name}($0)` : block.name.name,
      insertTextFormat: InsertTextFormat.Snippet,
      sortText: `0${block.name.name}`,
    }));
}

const symbolKinds: Partial<Record<SymbolInfo['kind'], CompletionItemKind>> = {
  tensor: CompletionItemKind.Variable,
  input: CompletionItemKind.Variable,
  let: CompletionItemKind.Constant,
  parameter: CompletionItemKind.TypeParameter,
};

/** Tensors, inputs, `let`s and block parameters visible at the offset (a tensor only after its definition). */
function nameItems(analysis: Analysis, item: Item, offset: number, notation: ShapeNotation): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const symbol of analysis.symbols) {
    const kind = symbolKinds[symbol.kind];
    if (kind === undefined || seen.has(symbol.name)) continue;
    const inScope = symbol.scope.start <= offset && offset <= symbol.scope.end;
    const defined = symbol.kind === 'parameter' || symbol.definition.end < offset;
    if (!inScope || !defined) continue;
    seen.add(symbol.name);
    items.push({
      label: symbol.name,
      kind,
      detail: symbol.shape !== undefined ? formatShape(symbol.shape, notation) : symbol.kind,
      sortText: `0${symbol.name}`,
    });
  }
  if (item.kind === 'block') items.push({ label: 'in', kind: CompletionItemKind.Keyword, detail: 'the tensor this block was called on', sortText: '0in' });
  return items;
}

function statementKeywords(item: Item): CompletionItem[] {
  const snippets: [string, string, string][] = [
    ['repeat', 'repeat ${1:n} {\n\t$0\n}', 'Repeat the body n times in sequence'],
    ['if', 'if ${1:condition} {\n\t$0\n}', 'Pick statements while the model is built'],
    ['let', 'let ${1:name} = ${2:value}', 'Bind a number'],
  ];
  if (item.kind === 'model') {
    snippets.push(['input', 'input ${1:x}: ${2:3×224×224}', 'The model input, channels first'], ['weights', 'weights "${1:model.safetensors}"', 'Weights to load in the preview']);
  }
  return snippets.map(([label, snippet, detail]) => ({
    label,
    kind: CompletionItemKind.Keyword,
    detail,
    insertText: snippet,
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: `2${label}`,
  }));
}

function topLevelKeywords(): CompletionItem[] {
  return [
    { label: 'model', detail: 'A model: its input and layers', insertText: 'model ${1:Name} {\n\tinput ${2:x}: ${3:3×224×224}\n\t$0\n}' },
    { label: 'block', detail: 'A reusable block with parameters', insertText: 'block ${1:name}(${2:c}) {\n\t$0\n}' },
  ].map((k) => ({ ...k, kind: CompletionItemKind.Keyword, insertTextFormat: InsertTextFormat.Snippet }));
}

/** `input x: 3×224×224, normalize=…` takes one keyword argument (see the analysis' input rule). */
const inputNormalize: ArgSpec = {
  name: 'normalize',
  type: 'enum',
  values: ['none', 'imagenet'],
  default: 'none',
  doc: '`imagenet` normalises preview images with ImageNet’s mean and standard deviation; `none` feeds pixels in [0, 1].',
};
