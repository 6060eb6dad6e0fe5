/**
 * How much memory running a model takes, estimated from the analysis alone:
 * float32 activations and parameters, as the runner (src/core/execute.ts)
 * holds them. At each layer it holds the model input, every earlier output a
 * later layer still reads, this layer's inputs and output, and this layer's
 * parameters (a huge linear weight only one row block at a time). The peak
 * over the layers is the estimate. Kernel scratch space and the caller's own
 * copies are not counted, so a real run takes somewhat more.
 */
import { numel } from '../core/tensor';
import { getLayerSpec, type LayerSpec } from './catalogue';
import { CODES, messages } from './messages';
import type { Diagnostic, Layer, ModelSummary, Shape } from './types';

/** Above this estimate the editor warns and `convlens run` refuses unless given a larger `--max-memory`. */
export const RUN_MEMORY_LIMIT_BYTES = 4 * 1024 ** 3;

const FLOAT_BYTES = 4;

export interface RunMemory {
  /** Estimated peak bytes of a run. */
  readonly peakBytes: number;
  /** The layer running at the peak (-1: the input alone). */
  readonly peakLayer: number;
}

function elements(shape: Shape): number {
  return shape ? numel(shape) : 0;
}

function outputElements(layer: Layer): number {
  if (!layer.outputShapes) return elements(layer.outputShape);
  let n = 0;
  for (const shape of layer.outputShapes) n += elements(shape);
  return n;
}

/** Whether a run gets past this layer: its output and every input shape are known. */
function runs(layer: Layer): boolean {
  if (!layer.outputShape) return false;
  const shapes = layer.inputShapes;
  for (let i = 0; i < shapes.length; i++) if (!shapes[i]) return false;
  return true;
}

/**
 * The estimated peak memory of running the layers in order from an input of
 * `inputShape`, up to the first layer whose shape is unknown (where a run
 * stops). Null when the input shape is unknown.
 */
export function estimateRunMemory(inputShape: Shape, layers: readonly Layer[]): RunMemory | null {
  if (!inputShape) return null;
  let runnable = 0;
  while (runnable < layers.length && runs(layers[runnable])) runnable++;
  // Runs on every analysis of a model of thousands of layers: one pass for sizes and last readers, one for the peak.
  const outputs = new Float64Array(runnable);
  const lastReader = new Int32Array(runnable).fill(-1);
  for (let id = 0; id < runnable; id++) {
    const layer = layers[id];
    outputs[id] = outputElements(layer);
    const inputs = layer.inputs;
    for (let i = 0; i < inputs.length; i++) if (inputs[i] >= 0) lastReader[inputs[i]] = id;
  }
  const input = elements(inputShape);
  let held = 0;
  let peak = input;
  let peakLayer = -1;
  let kind: string | undefined;
  let spec: LayerSpec | undefined;
  for (let id = 0; id < runnable; id++) {
    const layer = layers[id];
    const output = outputs[id];
    if (layer.kind !== kind) {
      kind = layer.kind;
      spec = getLayerSpec(kind);
    }
    // Parameter floats that exist at once while the layer runs (fewer than all when its kind streams a weight).
    const params = spec?.residentParams?.(layer) ?? layer.params;
    const now = input + held + output + params;
    if (now > peak) {
      peak = now;
      peakLayer = id;
    }
    const inputs = layer.inputs;
    for (let i = 0; i < inputs.length; i++) if (inputs[i] >= 0 && lastReader[inputs[i]] === id) held -= outputs[inputs[i]];
    if (lastReader[id] > id || id === layers.length - 1) held += output;
  }
  return { peakBytes: peak * FLOAT_BYTES, peakLayer };
}

/** Bytes as the messages give them: `4 GiB`, `7.5 GiB`, `273 MiB`. */
export function formatMemory(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * The estimate for an analysed model, and the `run-memory` warning when it is
 * above `RUN_MEMORY_LIMIT_BYTES`, at the model-level statement that runs at
 * the peak (the block call, for a layer inside a block).
 */
export function checkRunMemory(model: ModelSummary | null, layers: readonly Layer[]): { readonly peakMemoryBytes: number | null; readonly diagnostic: Diagnostic | null } {
  const memory = model ? estimateRunMemory(model.inputShape, layers) : null;
  if (!model || !memory) return { peakMemoryBytes: null, diagnostic: null };
  if (memory.peakBytes <= RUN_MEMORY_LIMIT_BYTES) return { peakMemoryBytes: memory.peakBytes, diagnostic: null };
  const layer = memory.peakLayer >= 0 ? layers[memory.peakLayer] : null;
  const span = layer ? layer.callStack[0] ?? layer.span : model.nameSpan;
  const diagnostic: Diagnostic = {
    code: 'run-memory',
    severity: CODES['run-memory'],
    span,
    message: messages.runMemory(formatMemory(memory.peakBytes), formatMemory(RUN_MEMORY_LIMIT_BYTES), layer?.name ?? null),
  };
  return { peakMemoryBytes: memory.peakBytes, diagnostic };
}
