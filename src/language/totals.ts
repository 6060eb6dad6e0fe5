/**
 * The model's totals and how complete they are. Past an error some layers'
 * parameters or MACs are unknown (or a call made no layer at all): then the
 * totals are lower bounds, and every place that shows them says so.
 */
import { formatCompact, formatCount } from './notation';
import type { Analysis } from './types';

export interface ModelTotals {
  readonly params: number;
  readonly macs: number;
  /** Layers whose parameter count is unknown. */
  readonly paramsUnknown: number;
  /** Layers whose output, and so MACs, is unknown. */
  readonly macsUnknown: number;
  /** Errors in the file: a call that failed may have made no layer, so totals are partial even when no layer is unknown. */
  readonly errors: number;
}

export function modelTotals(analysis: Analysis): ModelTotals {
  let paramsUnknown = 0;
  let macsUnknown = 0;
  for (const layer of analysis.layers) {
    if (layer.paramsUnknown) paramsUnknown++;
    if (layer.outputShape === null) macsUnknown++;
  }
  let errors = 0;
  for (const d of analysis.diagnostics) if (d.severity === 'error') errors++;
  return { params: analysis.model?.totalParams ?? 0, macs: analysis.model?.totalMacs ?? 0, paramsUnknown, macsUnknown, errors };
}

export interface TotalFormat {
  /** `compact`: `19.6K`; `count`: `19,612`. */
  readonly style: 'compact' | 'count';
  /** Whether to write the unit (`params`, `MACs`); default true. */
  readonly unit?: boolean;
}

/** `19.6K params`, or `≥ 19.6K params (partial: 3 layers unknown)` when some are unknown. */
export function formatParamsTotal(totals: ModelTotals, format: TotalFormat): string {
  return formatTotal(totals.params, 'params', totals.paramsUnknown, totals.errors, format);
}

/** `1.2M MACs`, or `≥ 1.2M MACs (partial: 3 layers unknown)`. */
export function formatMacsTotal(totals: ModelTotals, format: TotalFormat): string {
  return formatTotal(totals.macs, 'MACs', totals.macsUnknown, totals.errors, format);
}

function formatTotal(value: number, unit: string, unknown: number, errors: number, format: TotalFormat): string {
  const number = format.style === 'compact' ? formatCompact(value) : formatCount(value);
  const text = format.unit === false ? number : `${number} ${unit}`;
  if (unknown > 0) return `≥ ${text} (partial: ${unknown} ${unknown === 1 ? 'layer' : 'layers'} unknown)`;
  if (errors > 0) return `≥ ${text} (partial: ${errors} ${errors === 1 ? 'error' : 'errors'})`;
  return text;
}
