/**
 * What the worker tells the UI before running: each layer's header numbers,
 * where a run with errors has to stop, and the summary table. Pure.
 */
import { planRun } from '../src/core/execute';
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
 * Where a run with errors stops, as the user is told: the core's rule
 * (`planRun`: the first layer whose shape is unknown, or which comes at or
 * after the first error in the text), with the line, column, code and message
 * of that error. An error after the last layer stops the run after it.
 */
export function stopInfo(analysis: Analysis, lines: LineIndex): StopInfo | null {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').sort((a, b) => a.span.start - b.span.start);
  const first = errors[0];
  const layers = analysis.layers;
  const plan = planRun({ name: analysis.model?.name ?? '', inputShape: analysis.model?.inputShape ?? null, layers }, { firstError: first?.span.start });
  // The core stops before layer -1 when the model input is unknown: before the first layer, if there is one.
  const stop = plan.stop && layers.length > 0 ? Math.max(0, plan.stop.layerId) : first ? layers.length : null;
  if (stop === null) return null;
  const position = lines.positionAt(first ? first.span.start : (layers[stop]?.span.start ?? 0));
  return {
    layer: stop,
    line: position.line,
    column: position.character,
    code: first?.code ?? 'unknown-shape',
    message: first?.message ?? `the shape of \`${layers[stop]?.name ?? '?'}\` is unknown`,
  };
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
