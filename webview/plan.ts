/**
 * What the worker tells the UI before running: each layer's header numbers,
 * where a run with errors has to stop, and the summary table. Pure.
 */
import { LineIndex } from '../src/language/line-index';
import { summaryTable } from '../src/language/summary';
import type { Analysis } from '../src/language/types';
import type { LayerInfo, PlanMessage, ShapeNotation, StopInfo, WeightOrigin } from '../src/protocol/webview';
import { fieldStarts } from './receptive-field';

export interface PlanOptions {
  readonly runId: number;
  readonly seed: number;
  /** The `.safetensors` path whose bytes this run has, if any. */
  readonly weightsLoaded: string | null;
  /** Why the weights file could not be used, if it could not. */
  readonly weightsError?: string | null;
  readonly weightOrigin: (index: number) => WeightOrigin;
  readonly notation?: ShapeNotation;
}

/**
 * The first layer not to run: the first whose shape is unknown, or which
 * comes at or after the first error in the text. Layers are run in order,
 * and everything before this one has a known shape.
 */
export function stopInfo(analysis: Analysis, lines: LineIndex): StopInfo | null {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').sort((a, b) => a.span.start - b.span.start);
  const first = errors[0];
  const layers = analysis.layers;
  let stop = layers.findIndex((l) => l.outputShape === null || l.inputShapes.some((s) => s === null));
  if (first) {
    const at = layers.findIndex((l) => overlapsOrFollows(l.span, first.span.start) || l.callStack.some((s) => overlapsOrFollows(s, first.span.start)));
    if (at >= 0 && (stop < 0 || at < stop)) stop = at;
  }
  if (stop < 0 && !first) return null;
  if (stop < 0) stop = layers.length;
  const culprit = first ?? null;
  const position = lines.positionAt(culprit ? culprit.span.start : layers[stop]?.span.start ?? 0);
  return {
    layer: stop,
    line: position.line,
    column: position.character,
    code: culprit?.code ?? 'unknown-shape',
    message: culprit?.message ?? `the shape of \`${layers[stop]?.name ?? '?'}\` is unknown`,
  };
}

function overlapsOrFollows(span: { readonly start: number; readonly end: number }, offset: number): boolean {
  return span.end > offset;
}

export function buildPlan(analysis: Analysis, options: PlanOptions): PlanMessage {
  const lines = new LineIndex(analysis.text);
  const starts = fieldStarts(analysis.layers);
  const layers: LayerInfo[] = analysis.layers.map((layer, index) => ({
    id: layer.id,
    name: layer.name,
    kind: layer.kind,
    line: lines.positionAt(layer.span.start).line,
    callLines: layer.callStack.map((s) => lines.positionAt(s.start).line),
    offset: layer.span.start,
    outputShape: layer.outputShape ? [...layer.outputShape] : null,
    params: layer.params,
    macs: layer.macs,
    receptiveField: layer.receptiveField ? [...layer.receptiveField] : null,
    jump: layer.jump ? [...layer.jump] : null,
    fieldStart: starts[index],
    weightOrigin: options.weightOrigin(index),
  }));
  const model = analysis.model;
  const weightsPath = model?.weightsPath ?? null;
  const random = layers.some((l) => l.weightOrigin === 'random');
  const notes: string[] = [];
  if (weightsPath) {
    notes.push(options.weightsLoaded === weightsPath ? `trained, from ${weightsPath}` : `${weightsPath} ${options.weightsError ? `unusable (${options.weightsError})` : 'not loaded yet'}`);
  }
  if (layers.some((l) => l.weightOrigin === 'named' || l.weightOrigin === 'literal')) notes.push('hand-set kernels');
  if (random) notes.push(`RANDOM init (seed ${options.seed}) for ${layers.filter((l) => l.weightOrigin === 'random').length} layer(s)`);
  return {
    type: 'plan',
    runId: options.runId,
    model: model?.name ?? null,
    inputShape: model?.inputShape ? [...model.inputShape] : null,
    layers,
    stop: stopInfo(analysis, lines),
    summary: summaryTable(analysis, { notation: options.notation ?? '×' }),
    weightsPath,
    weightsNote: notes.length > 0 ? notes.join('; ') : 'no weights',
    totalParams: model?.totalParams ?? 0,
  };
}

/** Layer index for an editor line: the layer called on it, else the first layer of a block call on it. */
export function layerAtLine(layers: readonly Pick<LayerInfo, 'line' | 'callLines'>[], line: number): number {
  const direct = layers.findIndex((l) => l.line === line && l.callLines.length === 0);
  if (direct >= 0) return direct;
  const viaCall = layers.findIndex((l) => l.callLines.includes(line));
  if (viaCall >= 0) return viaCall;
  return layers.findIndex((l) => l.line === line);
}
