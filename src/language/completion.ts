/**
 * Completion: layer kinds as snippets with their docs, blocks, and names in
 * scope where a call or a tensor goes; argument names (`k=`) and their allowed
 * values inside a call; keywords at the start of a statement.
 */
import type { Item } from './ast';
import { KERNEL_NAMES, getLayerSpec, layerSpecs, type ArgSpec, type LayerSpec } from './catalogue';
import { cursorContext } from './cursor-context';
import { argumentMarkdown } from './hover';
import { formatShape, type ShapeNotation } from './notation';
import type { Analysis, SymbolInfo } from './types';

/** What a completion inserts: a layer, a block, an argument name (`k=`) or a block parameter, an argument's value, a name in scope, or a keyword. */
export type CompletionKind = 'layer' | 'block' | 'argument' | 'value' | 'tensor' | 'constant' | 'parameter' | 'keyword';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** What to insert instead of the label, as a snippet (`${1:out}` tab stops, `$0` the final cursor). */
  readonly snippet?: string;
  readonly sortText?: string;
  /** Ask for completions again once inserted: the values after a keyword argument's `=`. */
  readonly suggestAgain?: boolean;
}

/** The completions at the offset. */
export function completions(analysis: Analysis, offset: number, notation: ShapeNotation): Completion[] {
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
      return nameItems(analysis, item, offset, notation).filter((c) => c.kind !== 'tensor' && c.label !== 'in');
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
          ...params.map((p): Completion => ({
            label: `${p.name.name}=`,
            kind: 'argument',
            detail: `parameter of block ${block.name.name}`,
            snippet: `${p.name.name}=$0`,
            sortText: `0${p.name.name}`,
          })),
          ...names,
        ];
      }
      return names;
    }
  }
}

function layerKindItems(): Completion[] {
  return layerSpecs().map((spec): Completion => ({
    label: spec.kind,
    kind: 'layer',
    detail: spec.summary,
    documentation: layerDoc(spec),
    snippet: layerSnippet(spec),
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

function argumentNameItems(owner: string, args: readonly ArgSpec[], given: readonly string[]): Completion[] {
  return args
    .filter((a) => !given.includes(a.name))
    .map((a): Completion => ({
      label: `${a.name}=`,
      kind: 'argument',
      detail: `${a.type}${a.default !== undefined ? ` = ${String(a.default)}` : ''}`,
      documentation: argumentMarkdown(owner, a),
      snippet: `${a.name}=$0`,
      // Ask for the values right after the `=`.
      suggestAgain: a.values !== undefined || a.type === 'bool' || a.type === 'padding' || a.type === 'kernel-weights',
      sortText: `0${a.required ? 0 : 1}${a.name}`,
    }));
}

/** The values an argument allows, when it names them. */
function valueItems(arg: ArgSpec): Completion[] {
  let values: readonly string[] = arg.values ?? [];
  if (arg.type === 'bool') values = ['true', 'false'];
  if (arg.type === 'padding') values = ['same', 'valid'];
  if (arg.type === 'kernel-weights') values = KERNEL_NAMES;
  return values.map((v): Completion => ({
    label: v,
    kind: 'value',
    detail: arg.default !== undefined && String(arg.default) === v ? `${arg.name} (default)` : arg.name,
    sortText: `0${v}`,
  }));
}

function blockItem(analysis: Analysis, name: string): Extract<Item, { kind: 'block' }> | undefined {
  return analysis.program.items.find((i): i is Extract<Item, { kind: 'block' }> => i.kind === 'block' && i.name.name === name);
}

function blockItems(analysis: Analysis): Completion[] {
  return analysis.program.items
    .filter((i): i is Extract<Item, { kind: 'block' }> => i.kind === 'block')
    .map((block): Completion => ({
      label: block.name.name,
      kind: 'block',
      detail: `block ${block.name.name}(${block.params.map((p) => p.name.name).join(', ')})`,
      snippet: block.params.length > 0 ? `${block.name.name}($0)` : block.name.name,
      sortText: `0${block.name.name}`,
    }));
}

const symbolKinds: Partial<Record<SymbolInfo['kind'], CompletionKind>> = {
  tensor: 'tensor',
  input: 'tensor',
  let: 'constant',
  parameter: 'parameter',
};

/** Tensors, inputs, `let`s and block parameters visible at the offset (a tensor only after its definition). */
function nameItems(analysis: Analysis, item: Item, offset: number, notation: ShapeNotation): Completion[] {
  const seen = new Set<string>();
  const items: Completion[] = [];
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
  if (item.kind === 'block') items.push({ label: 'in', kind: 'keyword', detail: 'the tensor this block was called on', sortText: '0in' });
  return items;
}

function statementKeywords(item: Item): Completion[] {
  const snippets: [string, string, string][] = [
    ['repeat', 'repeat ${1:n} {\n\t$0\n}', 'Repeat the body n times in sequence'],
    ['if', 'if ${1:condition} {\n\t$0\n}', 'Pick statements while the model is built'],
    ['let', 'let ${1:name} = ${2:value}', 'Bind a number'],
  ];
  if (item.kind === 'model') {
    snippets.push(['input', 'input ${1:x}: ${2:3×224×224}', 'The model input, channels first'], ['weights', 'weights "${1:model.safetensors}"', 'Weights to load in the preview']);
  }
  return snippets.map(([label, snippet, detail]): Completion => ({
    label,
    kind: 'keyword',
    detail,
    snippet: snippet,
    sortText: `2${label}`,
  }));
}

function topLevelKeywords(): Completion[] {
  return [
    { label: 'model', detail: 'A model: its input and layers', snippet: 'model ${1:Name} {\n\tinput ${2:x}: ${3:3×224×224}\n\t$0\n}' },
    { label: 'block', detail: 'A reusable block with parameters', snippet: 'block ${1:name}(${2:c}) {\n\t$0\n}' },
  ].map((k): Completion => ({ ...k, kind: 'keyword' }));
}

/** `input x: 3×224×224, normalize=…` takes one keyword argument (see the analysis' input rule). */
const inputNormalize: ArgSpec = {
  name: 'normalize',
  type: 'enum',
  values: ['none', 'imagenet'],
  default: 'none',
  doc: '`imagenet` normalises preview images with ImageNet’s mean and standard deviation; `none` feeds pixels in [0, 1].',
};
