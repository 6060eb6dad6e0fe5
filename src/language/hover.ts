/**
 * Hover text, as Markdown, from an Analysis: a layer's shapes, parameters with
 * the formula filled in, the output-size arithmetic, MACs and receptive field;
 * a name's shape; a block's signature and call sites; an argument's docs.
 * Offsets in, offsets out: the server turns the span into a range.
 */
import type { AxisGeometry } from '../core/geometry';
import type { Argument, Body, Call, Item, Program, Span } from './ast';
import { axisNames, getLayerSpec, type ArgSpec, type LayerSpec } from './catalogue';
import { argumentAt, callAt, callSummaryOf, contains, layersOf, sameSpan, symbolAt, wordAt } from './locate';
import { formatCompact, formatCount, formatShape, type ShapeNotation } from './notation';
import { formatMacsTotal, formatParamsTotal, modelTotals } from './totals';
import type { Analysis, CallSummary, Layer, Shape, SymbolInfo, Value } from './types';

export interface HoverOptions {
  readonly notation: ShapeNotation;
}

export interface HoverText {
  /** What the hover is about, for the editor to highlight. */
  readonly span: Span;
  readonly markdown: string;
}

/** Expansions of one call listed in a hover before the rest are summarised. */
const maxExpansionsListed = 6;

/**
 * The hover at an offset: an argument keyword's docs, a layer call's numbers,
 * a block call's totals, or a name's shape; null where there is nothing to say.
 */
export function hover(analysis: Analysis, offset: number, options: HoverOptions = { notation: '×' }): HoverText | null {
  const at = callAt(analysis.program, offset);
  if (at) {
    const argument = argumentAt(at.call, offset);
    if (argument?.name && contains(argument.name.span, offset)) return argumentHover(analysis, at.call, argument);
    if (at.label || contains(at.call.callee.span, offset)) {
      const result = calleeHover(analysis, at.call, options);
      if (result) return at.label ? { ...result, span: at.label.span } : result;
    }
  }
  const symbol = symbolAt(analysis, offset);
  if (symbol) return symbolHover(analysis, symbol.symbol, symbol.span, options);
  return blockInputHover(analysis, offset, options);
}

// ---- calls ----

function calleeHover(analysis: Analysis, call: Call, options: HoverOptions): HoverText | null {
  const spec = getLayerSpec(call.callee.name);
  if (spec) {
    const layers = layersOf(analysis, call);
    return { span: call.callee.span, markdown: layerMarkdown(analysis, spec, layers, options) };
  }
  const summary = callSummaryOf(analysis, call);
  if (summary) return { span: call.callee.span, markdown: blockCallMarkdown(analysis, summary, options) };
  return null;
}

function layerMarkdown(analysis: Analysis, spec: LayerSpec, layers: readonly Layer[], options: HoverOptions): string {
  const header = `**${spec.kind}** — ${spec.summary}`;
  const first = layers[0];
  if (!first) return [header, '_Not run: this line is in a branch or block that was not expanded._', spec.doc].join('\n\n');

  const lines = [`${header}${layers.length === 1 ? ` · \`${first.name}\`` : ''}`, layerFacts(analysis, spec, first, options).join('  \n')];
  if (layers.length > 1) lines.push(expansionsMarkdown(layers, options));
  return lines.join('\n\n');
}

function layerFacts(analysis: Analysis, spec: LayerSpec, layer: Layer, options: HoverOptions): string[] {
  const shape = (s: Shape) => `\`${formatShape(s, options.notation)}\``;
  const facts: string[] = [];
  const inputs = layer.inputShapes.map(shape).join(' + ');
  const outputs = (layer.outputShapes ?? [layer.outputShape]).map(shape).join(', ');
  facts.push(`Output ${outputs} ← input ${inputs || '?'}`);

  const formula = paramsFormula(spec, layer);
  facts.push(`Params: ${formula ?? formatCount(layer.params)}`);

  const arithmetic = outputSizeArithmetic(layer);
  if (arithmetic) facts.push(`Output size ${arithmetic}`);

  if (layer.macs > 0) facts.push(`MACs: ${countWithMagnitude(layer.macs)}`);
  if (layer.receptiveField && layer.jump) {
    facts.push(`Receptive field ${layer.receptiveField.join('×')} · jump ${layer.jump.map(formatJump).join('×')}`);
  }
  const comparison = fullyConnectedComparison(analysis, spec, layer);
  if (comparison) facts.push(comparison);
  return facts;
}

function expansionsMarkdown(layers: readonly Layer[], options: HoverOptions): string {
  const describe = (l: Layer) =>
    `${l.inputShapes.map((s) => formatShape(s, options.notation)).join(' + ')} → ${formatShape(l.outputShape, options.notation)} · ${formatCount(l.params)} params`;
  const distinct = new Map<string, Layer[]>();
  for (const layer of layers) {
    const text = describe(layer);
    // Pushed, not copied: a layer in nested repeats has up to hundreds of thousands of expansions.
    const same = distinct.get(text);
    if (same) same.push(layer);
    else distinct.set(text, [layer]);
  }
  if (distinct.size === 1) {
    return `The same in all ${layers.length} expansions: ${names(layers)}.`;
  }
  const rows = [...distinct.entries()].slice(0, maxExpansionsListed).map(([text, group]) => `- ${names(group)}: ${text}`);
  if (distinct.size > maxExpansionsListed) rows.push(`- … ${distinct.size - maxExpansionsListed} more`);
  return [`Expanded ${layers.length} times:`, ...rows].join('\n');
}

function names(layers: readonly Layer[]): string {
  const shown = layers.slice(0, 3).map((l) => `\`${l.name}\``);
  return layers.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}

function blockCallMarkdown(analysis: Analysis, summary: CallSummary, options: HoverOptions): string {
  const shape = (s: Shape) => `\`${formatShape(s, options.notation)}\``;
  const facts = [
    `Output ${shape(summary.outputShape)} ← input ${shape(summary.inputShape)}`,
    `Params: ${formatCount(summary.params)}`,
  ];
  if (summary.macs > 0) facts.push(`MACs: ${countWithMagnitude(summary.macs)}`);
  const signature = blockSignature(analysis, summary.block);
  const parts = [`**${summary.block}** · block call`, signature ? codeBlock(signature) : '', facts.join('  \n')];
  if (summary.expansions > 1) parts.push(callExpansionsMarkdown(summary, options));
  return parts.filter(Boolean).join('\n\n');
}

/** A call site that ran more than once: each distinct run with how often it came, as far as the analysis recorded them. */
function callExpansionsMarkdown(summary: CallSummary, options: HoverOptions): string {
  const header = `Expanded ${summary.expansions} times (inside a \`repeat\` or a block called more than once)`;
  const recorded = summary.firstExpansions ?? [summary];
  const distinct = new Map<string, number>();
  for (const e of recorded) {
    const text = `${formatShape(e.inputShape, options.notation)} → ${formatShape(e.outputShape, options.notation)} · ${formatCount(e.params)} params`;
    distinct.set(text, (distinct.get(text) ?? 0) + 1);
  }
  if (distinct.size === 1 && recorded.length === summary.expansions) return `${header}, the same each time.`;
  const rows = [...distinct].slice(0, maxExpansionsListed).map(([text, n]) => (n > 1 ? `- ×${n}: ${text}` : `- ${text}`));
  if (distinct.size > maxExpansionsListed) rows.push(`- … ${distinct.size - maxExpansionsListed} more`);
  if (recorded.length < summary.expansions) rows.push(`- … and ${summary.expansions - recorded.length} more runs after the first ${recorded.length}`);
  return [`${header}:`, ...rows].join('\n');
}

// ---- arguments ----

function argumentHover(analysis: Analysis, call: Call, argument: Argument): HoverText | null {
  const name = argument.name!;
  const spec = getLayerSpec(call.callee.name);
  if (spec) {
    const arg = spec.args.find((a) => a.name === name.name);
    return arg ? { span: name.span, markdown: argumentMarkdown(spec.kind, arg) } : null;
  }
  const block = blockItem(analysis.program, call.callee.name);
  const param = block?.params.find((p) => p.name.name === name.name);
  if (!block || !param) return null;
  const text = `${param.name.name}${param.default ? ` = ${analysis.text.slice(param.default.span.start, param.default.span.end)}` : ''}`;
  return { span: name.span, markdown: `**${param.name.name}** · parameter of block \`${block.name.name}\`\n\n${codeBlock(text)}` };
}

/** The docs of one argument of a layer (or of `input`), as hover and completion show them. */
export function argumentMarkdown(owner: string, arg: ArgSpec): string {
  const traits: string[] = [arg.type];
  if (arg.required) traits.push('required');
  if (arg.positional) traits.push('may be positional');
  if (arg.default !== undefined) traits.push(`default \`${formatValue(arg.default)}\``);
  const lines = [`**${arg.name}** · argument of \`${owner}\` (${traits.join(', ')})`, arg.doc];
  if (arg.values) lines.push(`Values: ${arg.values.map((v) => `\`${v}\``).join(', ')}`);
  return lines.join('\n\n');
}

function formatValue(value: Value): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return 'tensor';
  return String(value);
}

// ---- names ----

function symbolHover(analysis: Analysis, symbol: SymbolInfo, span: Span, options: HoverOptions): HoverText {
  const shape = (s: Shape | undefined) => `\`${formatShape(s ?? null, options.notation)}\``;
  let markdown: string;
  switch (symbol.kind) {
    case 'tensor':
      markdown = `**${symbol.name}** · tensor ${shape(symbol.shape)}`;
      break;
    case 'input': {
      const normalize = analysis.model?.normalize;
      markdown = `**${symbol.name}** · model input ${shape(symbol.shape ?? analysis.model?.inputShape)}${normalize ? `, normalize=${normalize}` : ''}`;
      break;
    }
    case 'model':
      markdown = modelMarkdown(analysis, options);
      break;
    case 'block':
      markdown = blockMarkdown(analysis, symbol.name, options);
      break;
    case 'parameter': {
      const block = analysis.program.items.find((i) => i.kind === 'block' && i.span.start <= symbol.definition.start && symbol.definition.end <= i.span.end);
      markdown = `**${symbol.name}** · parameter${block ? ` of block \`${block.name.name}\`` : ''}`;
      break;
    }
    case 'let': {
      const text = letText(analysis, symbol);
      markdown = text ? codeBlock(text) : `**${symbol.name}** · let`;
      break;
    }
  }
  return { span, markdown };
}

function modelMarkdown(analysis: Analysis, options: HoverOptions): string {
  const model = analysis.model;
  if (!model) return '**model**';
  // Past an error the totals are lower bounds, and say so.
  const totals = modelTotals(analysis);
  const facts = [
    `Input \`${model.inputName}\`: \`${formatShape(model.inputShape, options.notation)}\``,
    `Output: \`${formatShape(model.outputShape, options.notation)}\``,
    totals.paramsUnknown > 0 || totals.errors > 0
      ? `Params: ${formatParamsTotal(totals, { style: 'count', unit: false })}`
      : `Params: ${formatCount(model.totalParams)}${model.totalParams >= 1e4 ? ` (${formatCompact(model.totalParams)})` : ''}`,
    totals.macsUnknown > 0 || totals.errors > 0 ? `MACs: ${formatMacsTotal(totals, { style: 'count', unit: false })}` : `MACs: ${countWithMagnitude(model.totalMacs)}`,
    `Layers: ${formatCount(analysis.layers.length)}`,
  ];
  if (model.weightsPath) facts.push(`Weights: \`${model.weightsPath}\``);
  return [`**${model.name}** · model`, facts.join('  \n')].join('\n\n');
}

function blockMarkdown(analysis: Analysis, name: string, options: HoverOptions): string {
  const signature = blockSignature(analysis, name);
  const calls = analysis.calls.filter((c) => c.block === name);
  const parts = [signature ? codeBlock(signature) : `**${name}** · block`];
  if (calls.length === 0) {
    parts.push('Not called from the model.');
  } else {
    const rows = calls.slice(0, maxExpansionsListed).map((c) => {
      const times = c.expansions > 1 ? ` · ×${c.expansions}` : '';
      return `- line ${lineOf(analysis.text, c.span.start)}: ${formatShape(c.inputShape, options.notation)} → ${formatShape(c.outputShape, options.notation)} · ${formatCount(c.params)} params${times}`;
    });
    if (calls.length > maxExpansionsListed) rows.push(`- … ${calls.length - maxExpansionsListed} more`);
    parts.push([`Called ${calls.length === 1 ? 'once' : `${calls.length} times`}:`, ...rows].join('\n'));
  }
  return parts.join('\n\n');
}

function blockItem(program: Program, name: string): Extract<Item, { kind: 'block' }> | undefined {
  return program.items.find((i): i is Extract<Item, { kind: 'block' }> => i.kind === 'block' && i.name.name === name);
}

function blockSignature(analysis: Analysis, name: string): string | null {
  const block = blockItem(analysis.program, name);
  if (!block) return null;
  const params = block.params.map((p) => (p.default ? `${p.name.name}=${analysis.text.slice(p.default.span.start, p.default.span.end)}` : p.name.name));
  return `block ${name}(${params.join(', ')})`;
}

function letText(analysis: Analysis, symbol: SymbolInfo): string | null {
  const find = (body: Body): string | null => {
    for (const s of body.statements) {
      if (s.kind === 'let' && sameSpan(s.name.span, symbol.definition)) return analysis.text.slice(s.span.start, s.span.end);
      if (s.kind === 'repeat') {
        const found = find(s.body);
        if (found) return found;
      }
      if (s.kind === 'if') {
        const found = find(s.then) ?? (s.else ? find(s.else) : null);
        if (found) return found;
      }
    }
    return null;
  };
  for (const item of analysis.program.items) {
    const found = find(item.body);
    if (found) return found;
  }
  return null;
}

/**
 * Every shape a block was called on. A call summary records only a call site's
 * first runs, so read them off the block's first layer, which consumes `in`
 * in every expansion; fall back to the call summaries.
 */
function blockInputShapes(analysis: Analysis, block: Item): Shape[] {
  const first = block.body.statements[0];
  const call = first?.kind === 'layer' ? first.stages[0] : undefined;
  if (call && getLayerSpec(call.callee.name)?.inputs === 'one') {
    const layers = layersOf(analysis, call);
    if (layers.length > 0) return layers.map((l) => l.inputShapes[0] ?? null);
  }
  return analysis.calls.filter((c) => c.block === block.name.name).flatMap((c) => (c.firstExpansions ?? [c]).map((e) => e.inputShape));
}

/** `in` inside a block: the tensor the block was called on, at each call site. */
function blockInputHover(analysis: Analysis, offset: number, options: HoverOptions): HoverText | null {
  const word = wordAt(analysis.text, offset);
  if (word?.name !== 'in') return null;
  const { start } = word.span;
  const block = analysis.program.items.find((i) => i.kind === 'block' && i.body.span.start < start && start < i.body.span.end);
  if (!block) return null;
  const shapes = [...new Set(blockInputShapes(analysis, block).map((shape) => formatShape(shape, options.notation)))];
  const shown = shapes.length > 0 ? shapes.map((s) => `\`${s}\``).join(' | ') : 'not called';
  return { span: word.span, markdown: `**in** · the tensor block \`${block.name.name}\` was called on: ${shown}` };
}

// ---- the numbers ----

/**
 * The parameter count with the numbers substituted, e.g. `3·3·3·64 + 64 = 1,792`.
 * Returns null unless the formula reproduces the analysed count, so a hover
 * can never show arithmetic that disagrees with the total.
 */
export function paramsFormula(spec: LayerSpec, layer: Layer): string | null {
  const input = layer.inputShapes[0];
  if (!input || layer.outputShape === null) return null;
  if (layer.params === 0) return '0 (no learned weights)';
  const terms = spec.paramTerms?.(layer, input);
  if (!terms) return null;
  const total = terms.value + terms.bias;
  if (total !== layer.params) return null;
  return `${terms.factors.join('·')}${terms.bias ? ` + ${terms.bias}` : ''} = ${formatCount(total)}`;
}

/**
 * The output-size arithmetic of a window layer (conv, transposed conv, pooling)
 * per spatial axis, e.g. `H, W: ⌊(224 + 2·3 − 7)/2⌋ + 1 = 112`. The numbers
 * are the layer's `window`, the geometry its shape rule computed; null for
 * other layers and when the output is unknown.
 */
export function outputSizeArithmetic(layer: Layer): string | null {
  const geometry = layer.window;
  if (!geometry || !layer.outputShape) return null;
  const ceil = layer.args.ceil === true;
  const texts = geometry.axes.map((a) => (layer.transposed ? transposedArithmetic(a) : windowArithmetic(a, ceil)));
  const axes = axisNames(geometry.axes.length);
  if (texts.every((t) => t === texts[0])) return `${axes.join(', ')}: ${texts[0]}`;
  return texts.map((t, i) => `${axes[i]}: ${t}`).join('; ');
}

function windowArithmetic(a: AxisGeometry, ceil: boolean): string {
  const padding = paddingTerm(a, '+');
  const window = a.dilation === 1 ? `${a.kernel}` : `${a.dilation}·(${a.kernel} − 1) − 1`;
  const [open, close] = ceil ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const span = a.inSize + a.padBefore + a.padAfter - a.effectiveKernel;
  const formula = ceil ? Math.ceil(span / a.stride) + 1 : Math.floor(span / a.stride) + 1;
  const text = `${open}(${a.inSize}${padding} − ${window})/${a.stride}${close} + 1 = ${formula}`;
  // PyTorch's ceil mode drops a last window that would start in the right padding.
  return formula === a.outSize ? text : `${text}, less the window that would start in the padding: ${a.outSize}`;
}

function transposedArithmetic(a: AxisGeometry): string {
  const padding = paddingTerm(a, '−');
  const window = a.dilation === 1 ? `(${a.kernel} − 1)` : `${a.dilation}·(${a.kernel} − 1)`;
  const extra = a.outputPadding ? ` + ${a.outputPadding}` : '';
  return `(${a.inSize} − 1)·${a.stride}${padding} + ${window}${extra} + 1 = ${a.outSize}`;
}

function paddingTerm(a: AxisGeometry, sign: '+' | '−'): string {
  if (a.padBefore === 0 && a.padAfter === 0) return '';
  if (a.padBefore === a.padAfter) return ` ${sign} 2·${a.padBefore}`;
  return sign === '+' ? ` + ${a.padBefore} + ${a.padAfter}` : ` − ${a.padBefore} − ${a.padAfter}`;
}

/**
 * For the model's first conv: what a fully connected layer between the same
 * input and output would cost, the comparison that shows why convs share weights.
 */
function fullyConnectedComparison(analysis: Analysis, spec: LayerSpec, layer: Layer): string | null {
  if (!isForwardConv(spec) || layer.params === 0) return null;
  const firstConv = analysis.layers.find((l) => isForwardConv(getLayerSpec(l.kind)));
  const input = layer.inputShapes[0];
  const output = layer.outputShape;
  if (firstConv?.id !== layer.id || !input || !output) return null;
  const inputs = input.reduce((a, b) => a * b, 1);
  const outputs = output.reduce((a, b) => a * b, 1);
  const fc = inputs * outputs + outputs;
  const ratio = fc / layer.params;
  return (
    `vs. fully connected: a \`linear\` from all ${formatCount(inputs)} inputs to all ${formatCount(outputs)} outputs would need ` +
    `${formatCount(inputs)}·${formatCount(outputs)} + ${formatCount(outputs)} = ${formatCount(fc)} params, ` +
    `${ratio >= 10 ? formatCompact(Math.round(ratio)) : ratio.toFixed(1)}× this conv's; the conv reuses each filter at every position.`
  );
}

/** A conv that is not transposed. */
function isForwardConv(spec: LayerSpec | undefined): boolean {
  return spec?.category === 'conv' && !spec.transposed;
}

function countWithMagnitude(n: number): string {
  return n >= 1e4 ? `${formatCount(n)} (${formatCompact(n)})` : formatCount(n);
}

function formatJump(j: number): string {
  return Number.isInteger(j) ? String(j) : j.toFixed(3).replace(/0+$/, '');
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

function codeBlock(text: string): string {
  return `\`\`\`cnn\n${text}\n\`\`\``;
}
