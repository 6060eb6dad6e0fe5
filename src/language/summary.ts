/**
 * The model summary, as a torchinfo-style text table and as JSON. The CLI, the
 * server's summary request and the preview's Summary tab all render this.
 */
import { LineIndex } from './line-index';
import { formatCount, formatShape, type ShapeNotation } from './notation';
import { formatParamsTotal, modelTotals } from './totals';
import type { Analysis, Severity, Shape } from './types';

export interface SummaryLayer {
  readonly name: string;
  readonly kind: string;
  /** 1-based line of the layer's call. */
  readonly line: number;
  readonly inputShape: readonly number[] | null;
  readonly outputShape: readonly number[] | null;
  readonly params: number;
  readonly macs: number;
  readonly receptiveField: readonly number[] | null;
}

export interface SummaryDiagnostic {
  readonly severity: Severity;
  readonly code: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly message: string;
}

export interface SummaryJson {
  readonly model: string | null;
  readonly input: readonly number[] | null;
  readonly output: readonly number[] | null;
  readonly totalParams: number;
  readonly totalMacs: number;
  readonly layers: readonly SummaryLayer[];
  readonly diagnostics: readonly SummaryDiagnostic[];
}

export function summaryJson(analysis: Analysis, lines = new LineIndex(analysis.text)): SummaryJson {
  const toArray = (s: Shape) => (s ? [...s] : null);
  return {
    model: analysis.model?.name ?? null,
    input: toArray(analysis.model?.inputShape ?? null),
    output: toArray(analysis.model?.outputShape ?? null),
    totalParams: analysis.model?.totalParams ?? 0,
    totalMacs: analysis.model?.totalMacs ?? 0,
    layers: analysis.layers.map((layer) => ({
      name: layer.name,
      kind: layer.kind,
      line: lines.lineAt(layer.span.start) + 1,
      inputShape: toArray(layer.inputShapes[0] ?? null),
      outputShape: toArray(layer.outputShape),
      params: layer.params,
      macs: layer.macs,
      receptiveField: layer.receptiveField ? [...layer.receptiveField] : null,
    })),
    diagnostics: analysis.diagnostics.map((d) => {
      const position = lines.positionAt(d.span.start);
      return { severity: d.severity, code: d.code, line: position.line + 1, column: position.character + 1, message: d.message };
    }),
  };
}

export interface TableOptions {
  readonly notation?: ShapeNotation;
}

/** A fixed-width table: one row per layer, then the totals. */
export function summaryTable(analysis: Analysis, options: TableOptions = {}): string {
  const notation = options.notation ?? '×';
  const model = analysis.model;
  if (!model) return 'No model in this file.\n';
  const header = ['Layer', 'Kind', 'Output shape', 'Params', 'MACs'];
  const rows = analysis.layers.map((l) => [l.name, l.kind, formatShape(l.outputShape, notation), formatCount(l.params), formatCount(l.macs)]);
  // A loop, not `Math.max(...rows)`: a spread of a few hundred thousand rows overflows the stack.
  const widths = header.map((h, i) => rows.reduce((width, r) => Math.max(width, r[i].length), h.length));
  const rightAligned = [false, false, false, true, true];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const out = [
    `${model.name}: input ${model.inputName} ${formatShape(model.inputShape, notation)}`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${formatParamsTotal(modelTotals(analysis), { style: 'count', unit: false })}`,
    `Total MACs:   ${formatCount(model.totalMacs)}${shortCount(model.totalMacs)}`,
    `Output:       ${formatShape(model.outputShape, notation)}`,
  ];
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) out.push(`(${errors} error${errors === 1 ? '' : 's'}: figures after the first error are incomplete)`);
  return `${out.join('\n')}\n`;
}

/** ` (417 K)`, ` (4.09 G)`: three significant digits in the largest unit that fits; empty below a thousand. */
function shortCount(n: number): string {
  const units: ReadonlyArray<readonly [number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, unit] of units) if (n >= size) return ` (${(n / size).toPrecision(3)} ${unit})`;
  return '';
}
