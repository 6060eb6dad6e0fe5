/**
 * Quick fixes for the common mistakes. Each candidate is applied to the text
 * and analysed again, and offered only if it leaves fewer errors up to the
 * diagnostic's place. (Errors after it may newly show: a shape that was unknown
 * after the mistake is known again, and later rules speak up.)
 */
import type { Body, Item, Statement } from './ast';
import { getLayerSpec } from './catalogue';
import { callAt, layersOf, layerStatementAt, sameSpan, type LayerStatement } from './locate';
import { fixTitles } from './messages';
import { applyChanges, type TextChange } from './text-change';
import type { Analysis, Diagnostic, Shape } from './types';

export interface QuickFix {
  readonly title: string;
  readonly changes: readonly TextChange[];
  readonly preferred?: boolean;
}

/** The verified quick fixes for one diagnostic; `analyze` analyses each fixed text to verify it. */
export function quickFixes(analysis: Analysis, diagnostic: Diagnostic, analyze: (text: string) => Analysis): QuickFix[] {
  const before = errorsUpTo(analysis, diagnostic.span.end);
  return candidates(analysis, diagnostic).filter((fix) => {
    const shift = fix.changes.filter((c) => c.span.end <= diagnostic.span.start).reduce((n, c) => n + c.newText.length - (c.span.end - c.span.start), 0);
    return errorsUpTo(analyze(applyChanges(analysis.text, fix.changes)), diagnostic.span.end + shift) < before;
  });
}

function candidates(analysis: Analysis, d: Diagnostic): QuickFix[] {
  if (d.suggestion !== undefined) return suggestion(analysis, d, d.suggestion);
  switch (d.code) {
    case 'linear-needs-flat':
      return insertFlatten(analysis, d);
    case 'channel-mismatch':
      return declaredChannels(analysis, d);
    case 'shape-mismatch':
    case 'concat-mismatch':
      return [...samePadding(analysis, d), ...projections(analysis, d)];
    default:
      return [];
  }
}

/** The analysis named the closest known word (`did you mean \`batchnorm\`?`): put it in place of the span. */
function suggestion(analysis: Analysis, d: Diagnostic, replacement: string): QuickFix[] {
  const current = analysis.text.slice(d.span.start, d.span.end);
  return [{ title: fixTitles.replace(current, replacement), changes: [{ span: d.span, newText: replacement }], preferred: true }];
}

function insertFlatten(analysis: Analysis, d: Diagnostic): QuickFix[] {
  const at = callAt(analysis.program, d.span.start);
  if (!at) return [];
  return [{ title: fixTitles.insertFlatten(), changes: [{ span: { start: at.call.span.start, end: at.call.span.start }, newText: 'flatten | ' }], preferred: true }];
}

/** A conv's `in=` disagrees with its input: declare the channels it really gets. */
function declaredChannels(analysis: Analysis, d: Diagnostic): QuickFix[] {
  const at = callAt(analysis.program, d.span.start);
  const layer = at ? layersOf(analysis, at.call)[0] : undefined;
  const input = layer?.inputShapes[0];
  const actual = input?.[0];
  if (actual === undefined || !/^\d+$/.test(analysis.text.slice(d.span.start, d.span.end))) return [];
  return [{ title: fixTitles.declareInput(actual, input!.length === 1), changes: [{ span: d.span, newText: String(actual) }], preferred: true }];
}

/**
 * A residual branch lost rows to unpadded convs: set `padding=same` on the
 * convs of the statement that made the smaller tensor.
 */
function samePadding(analysis: Analysis, d: Diagnostic): QuickFix[] {
  const fixes: QuickFix[] = [];
  for (const related of d.related ?? []) {
    // The statement that binds the related name (not merely one that mentions it).
    const statement = layerStatementAt(analysis.program, related.span.start);
    if (!statement?.targets.some((t) => sameSpan(t.span, related.span))) continue;
    const changes: TextChange[] = [];
    for (const call of statement.stages) {
      if (getLayerSpec(call.callee.name)?.category !== 'conv' || call.args.some((a) => a.name?.name === 'padding')) continue;
      const at = call.parenthesized ? call.span.end - 1 : call.span.end;
      changes.push({ span: { start: at, end: at }, newText: ', padding=same' });
    }
    if (changes.length > 0) {
      const name = analysis.text.slice(related.span.start, related.span.end);
      fixes.push({ title: fixTitles.samePadding(changes.length, name), changes });
    }
  }
  return fixes;
}

/**
 * A shortcut with the wrong channels or size: project it with a strided 1×1
 * conv, bound to a name on a line of its own before the statement. That line
 * becomes the current tensor, so when the statement takes the current tensor
 * (`add skip`, or a pipeline without a source name) the main path is first
 * bound to a name and the statement starts from it (`main | add skip_proj`).
 */
function projections(analysis: Analysis, d: Diagnostic): QuickFix[] {
  const at = callAt(analysis.program, d.span.start);
  if (!at) return [];
  const merge = layersOf(analysis, at.call)[0];
  const statement = at.statement;
  if (!merge) return [];
  const target = merge.inputShapes[0];
  // With one name (`add x`), the current tensor is the first input.
  const offset = merge.inputShapes.length - at.call.args.length;
  const fixes: QuickFix[] = [];
  at.call.args.forEach((arg, i) => {
    const shape = merge.inputShapes[i + offset];
    if (arg.name || arg.value.kind !== 'name' || i + offset === 0) return;
    const projection = projectionFor(shape, target, merge.kind);
    if (!projection) return;
    const source = arg.value.name;
    const taken = new Set(analysis.symbols.map((s) => s.name));
    let main: MainPath | null = null;
    if (takesCurrent(analysis, at.item, statement)) {
      main = mainPath(analysis, at.item, statement, taken);
      if (!main) return;
      taken.add(main.name);
    }
    const name = freshName(taken, `${source === 'in' ? 'shortcut' : source}_proj`);
    const lineStart = analysis.text.lastIndexOf('\n', statement.span.start - 1) + 1;
    const indent = /^[ \t]*/.exec(analysis.text.slice(lineStart))![0];
    const line = `${indent}${name} = ${source} | ${projection}\n`;
    const changes: TextChange[] = [...(main?.changes ?? [])];
    const from = statement.stages[0].span.start;
    if (main && from === lineStart) {
      changes.push({ span: { start: from, end: from }, newText: `${line}${main.name} | ` });
    } else {
      changes.push({ span: { start: lineStart, end: lineStart }, newText: line });
      if (main) changes.push({ span: { start: from, end: from }, newText: `${main.name} | ` });
    }
    changes.push({ span: arg.value.span, newText: name });
    fixes.push({ title: fixTitles.projection(source, projection), changes });
  });
  return fixes;
}

/** Whether the statement's first call takes the current tensor: it starts from no tensor name and is no merge of named tensors. */
function takesCurrent(analysis: Analysis, item: Item, statement: LayerStatement): boolean {
  const head = statement.stages[0];
  if (!head.parenthesized && head.args.length === 0) {
    if (item.kind === 'block' && head.callee.name === 'in') return false;
    const isTensor = analysis.symbols.some((s) => s.name === head.callee.name && s.kind !== 'block' && s.kind !== 'let' && s.kind !== 'model' && s.references.some((r) => sameSpan(r, head.callee.span)));
    if (isTensor) return false;
  }
  const spec = getLayerSpec(head.callee.name);
  return !(spec?.inputs === 'many' && head.args.filter((a) => !a.name).length >= 2);
}

/** The name the main path (the current tensor before `statement`) goes by, and the edits that bind it if it has none. */
interface MainPath {
  readonly name: string;
  readonly changes: readonly TextChange[];
}

/**
 * The tensor current before `statement` is the result of the statement before
 * it (skipping `let` and `weights`), or the block's `in`. Null where it cannot
 * be named without changing the model: after a `repeat` or `if`, or where a
 * new name would also rename a block call's layers.
 */
function mainPath(analysis: Analysis, item: Item, statement: LayerStatement, taken: ReadonlySet<string>): MainPath | null {
  const found = enclosing(item.body, statement);
  if (!found) return null;
  const { body, index } = found;
  for (let i = index - 1; i >= 0; i--) {
    const previous = body.statements[i];
    switch (previous.kind) {
      case 'let':
      case 'weights':
        continue;
      case 'input':
        return { name: previous.name.name, changes: [] };
      case 'layer': {
        if (previous.targets.length > 0) return { name: previous.targets[0].name, changes: [] };
        // One bound name also names a block call (`enc1 = double(16)`), unless a label names it already.
        const last = previous.stages[previous.stages.length - 1];
        const labelled = previous.label !== undefined && previous.stages.length === 1;
        if (!labelled && !getLayerSpec(last.callee.name)) return null;
        const name = freshName(taken, 'main');
        const at = previous.stages[0].span.start;
        return { name, changes: [{ span: { start: at, end: at }, newText: `${name} = ` }] };
      }
      default:
        return null;
    }
  }
  return body === item.body && item.kind === 'block' ? { name: 'in', changes: [] } : null;
}

/** The body that holds `statement` directly, and its index there. */
function enclosing(body: Body, statement: Statement): { body: Body; index: number } | null {
  for (let i = 0; i < body.statements.length; i++) {
    const s = body.statements[i];
    if (s === statement) return { body, index: i };
    if (s.kind === 'repeat') {
      const found = enclosing(s.body, statement);
      if (found) return found;
    } else if (s.kind === 'if') {
      const found = enclosing(s.then, statement) ?? (s.else ? enclosing(s.else, statement) : null);
      if (found) return found;
    }
  }
  return null;
}

function projectionFor(shape: Shape | undefined, target: Shape | undefined, kind: string): string | null {
  if (!shape || !target || shape.length !== target.length || shape.length < 2) return null;
  const strides = shape.slice(1).map((n, i) => Math.round(n / target[i + 1]));
  if (strides.some((s) => s < 1)) return null;
  const stride = strides.every((s) => s === strides[0]) ? `${strides[0]}` : `(${strides.join(', ')})`;
  // concat only needs the spatial sizes to agree; keep the channels.
  const channels = kind === 'concat' ? shape[0] : target[0];
  return `conv ${channels}, k=1${stride === '1' ? '' : `, stride=${stride}`}, bias=false`;
}

function freshName(taken: ReadonlySet<string>, base: string): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  return name;
}

function errorsUpTo(analysis: Analysis, offset: number): number {
  return analysis.diagnostics.filter((d) => d.severity === 'error' && d.span.start <= offset).length;
}
