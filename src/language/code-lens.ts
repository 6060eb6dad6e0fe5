/**
 * Code lenses: the model's totals above it (opening the summary), and above
 * each block how often the model calls it.
 */
import type { Span } from './ast';
import { formatShape, type ShapeNotation } from './notation';
import { formatMacsTotal, formatParamsTotal, modelTotals, type TotalFormat } from './totals';
import type { Analysis } from './types';

export interface Lens {
  /** The model's or block's name, which the lens sits above. */
  readonly span: Span;
  readonly title: string;
  /** The model's lens opens the model summary; a block's is a plain label. */
  readonly opensSummary: boolean;
}

const COMPACT: TotalFormat = { style: 'compact' };

/** The lenses of an analysed document, in source order. */
export function codeLenses(analysis: Analysis, notation: ShapeNotation): Lens[] {
  const lenses: Lens[] = [];
  for (const item of analysis.program.items) {
    if (item.kind === 'model') {
      const model = analysis.model;
      if (!model || model.name !== item.name.name) continue;
      // Past an error the totals are lower bounds, and say so.
      const totals = modelTotals(analysis);
      const title = `${formatShape(model.inputShape, notation)} → ${formatShape(model.outputShape, notation)} · ${formatParamsTotal(totals, COMPACT)} · ${formatMacsTotal(totals, COMPACT)}`;
      lenses.push({ span: item.name.span, title, opensSummary: true });
    } else {
      const calls = analysis.calls.filter((c) => c.block === item.name.name);
      const runs = calls.reduce((n, c) => n + c.expansions, 0);
      const title = calls.length === 0 ? 'not called' : `${calls.length} call site${calls.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'}`;
      lenses.push({ span: item.name.span, title, opensSummary: false });
    }
  }
  return lenses;
}
