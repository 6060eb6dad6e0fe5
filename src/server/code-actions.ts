/**
 * Quick fixes for the common mistakes. Each candidate is applied to the text
 * and analysed again, and offered only if it leaves fewer errors up to the
 * diagnostic's place. (Errors after it may newly show: a shape that was unknown
 * after the mistake is known again, and later rules speak up.)
 */
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Span } from '../language/ast';
import { getLayerSpec } from '../language/catalogue';
import { callAt, layersOf, layerStatementAt, sameSpan } from '../language/locate';
import { fixTitles } from '../language/messages';
import type { Analysis, Diagnostic, Shape } from '../language/types';
import type { Analyzer } from './analysis-cache';
import type { Feature } from './server';

export interface TextChange {
  readonly span: Span;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  readonly changes: readonly TextChange[];
  readonly preferred?: boolean;
}

/** The verified quick fixes for one diagnostic. */
export function quickFixes(analysis: Analysis, diagnostic: Diagnostic, analyze: Analyzer): QuickFix[] {
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

/** A shortcut with the wrong channels or size: project it with a strided 1×1 conv. */
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
    const name = freshName(analysis, `${source === 'in' ? 'shortcut' : source}_proj`);
    const lineStart = analysis.text.lastIndexOf('\n', statement.span.start - 1) + 1;
    const indent = /^[ \t]*/.exec(analysis.text.slice(lineStart))![0];
    fixes.push({
      title: fixTitles.projection(source, projection),
      changes: [
        { span: { start: lineStart, end: lineStart }, newText: `${indent}${name} = ${source} | ${projection}\n` },
        { span: arg.value.span, newText: name },
      ],
    });
  });
  return fixes;
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

function freshName(analysis: Analysis, base: string): string {
  const taken = new Set(analysis.symbols.map((s) => s.name));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  return name;
}

function errorsUpTo(analysis: Analysis, offset: number): number {
  return analysis.diagnostics.filter((d) => d.severity === 'error' && d.span.start <= offset).length;
}

export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, c.span.start) + c.newText + out.slice(c.span.end);
  return out;
}

export const codeActionsFeature: Feature = {
  capabilities: () => ({ codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } }),
  register(context) {
    context.connection.onCodeAction((params, token) =>
      context.answer('codeAction', params.textDocument.uri, token, [] as CodeAction[], (doc) => {
        const actions: CodeAction[] = [];
        for (const lsp of params.context.diagnostics) {
          const diagnostic = matching(doc.analysis, lsp, doc.lines.span(lsp.range));
          if (!diagnostic) continue;
          for (const fix of quickFixes(doc.analysis, diagnostic, context.analyze)) {
            actions.push({
              title: fix.title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [lsp],
              isPreferred: fix.preferred,
              edit: { changes: { [doc.uri]: fix.changes.map((c) => ({ range: doc.lines.range(c.span), newText: c.newText })) } },
            });
          }
        }
        return actions;
      }),
    );
  },
};

function matching(analysis: Analysis, lsp: LspDiagnostic, span: Span): Diagnostic | undefined {
  return analysis.diagnostics.find((d) => d.code === lsp.code && d.span.start === span.start && d.span.end === span.end);
}
