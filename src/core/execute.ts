/**
 * Runs a model graph layer by layer, yielding each layer's output as soon as it
 * is computed. Pure: runs in Node and in a browser Web Worker.
 *
 * Memory: an activation is dropped as soon as every layer that reads it has run
 * (reference counts from the graph), and a layer's parameters exist only while
 * that layer runs. What the caller keeps of the yielded tensors is up to it.
 *
 * A spec with errors still runs up to the first layer whose shape is unknown;
 * `planRun` tells in advance where it will stop, and the run's summary says
 * where and why it stopped.
 *
 * Each layer runs through its kind's `op` (see layer-op.ts): the runner names
 * no kind.
 */
import type { GraphLayer, ModelGraph } from './graph';
import type { KernelContext } from './layer-op';
import { formatShape, type Tensor } from './tensor';
import { handKernelWeight, initWeights, layerParams, WeightError, type ParamRole, type WeightSource } from './weights';

/** Anything with an `aborted` flag: an `AbortSignal`, or a plain object a worker flips on a cancel message. */
export interface CancelSignal {
  readonly aborted: boolean;
}

export interface RunProgress {
  /** Layers finished so far (1 after the first). */
  readonly done: number;
  /** Layers that will run (the runnable prefix, see `planRun`). */
  readonly total: number;
  readonly layerId: number;
  readonly layerName: string;
}

export interface RunOptions {
  /** Where parameters come from; default `initWeights(graph.name)`. Hand-set `weights=` kernels always win. */
  readonly weights?: WeightSource;
  /** Checked before every layer; once aborted the run ends with status `cancelled`. */
  readonly signal?: CancelSignal;
  /** Called after every layer. */
  readonly onProgress?: (progress: RunProgress) => void;
}

export interface AsyncRunOptions extends RunOptions {
  /**
   * Give the event loop a turn before each layer (default true), so a worker's
   * cancel message can set the signal mid-run. Off, the run only yields to
   * microtasks between layers.
   */
  readonly yieldToEventLoop?: boolean;
}

/** One layer's result. */
export interface LayerOutput {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  /** The output; for split/chunk, the first part. */
  readonly tensor: Tensor;
  /** Every output: one tensor, or one per part for split/chunk. */
  readonly outputs: readonly Tensor[];
  /** 0-based position in the run. */
  readonly index: number;
  /** Layers that will run. */
  readonly total: number;
  /** Ids of the layers whose outputs the runner still holds after this one (what later layers will read). */
  readonly held: readonly number[];
}

/** Where a run stops early, and why. `layerId` is -1 when the model input itself is the problem. */
export interface StopReason {
  readonly layerId: number;
  readonly layerName: string;
  readonly message: string;
}

export interface RunPlan {
  /** Layers 0 … runnable−1 will run. */
  readonly runnable: number;
  /** Null when the whole graph can run. */
  readonly stop: StopReason | null;
}

export interface RunSummary {
  /**
   * `complete`: every layer ran; `stopped`: the spec has an error at `stop`;
   * `failed`: a layer could not run (e.g. a missing tensor in the weights file);
   * `cancelled`: the signal was aborted.
   */
  readonly status: 'complete' | 'stopped' | 'failed' | 'cancelled';
  readonly layersRun: number;
  /** The model's output (the last layer's) when complete, else null. */
  readonly output: Tensor | null;
  readonly stop: StopReason | null;
}

export interface PlanRunOptions {
  /**
   * The source offset of the spec's first error. The run then also stops at
   * the first layer whose call, or a block call that led to it, ends after
   * that offset, even when its shapes are known: past an error the spec is
   * not yet what its author means. The preview passes it; `convlens run` runs
   * as far as the shapes go.
   */
  readonly firstError?: number;
}

/**
 * Where a run of this graph will stop: at the first layer whose output shape is
 * unknown (an error in the spec), or that comes at or after `firstError`.
 */
export function planRun(graph: ModelGraph, options: PlanRunOptions = {}): RunPlan {
  if (!graph.inputShape) {
    return { runnable: 0, stop: { layerId: -1, layerName: 'input', message: 'the model input has no known shape' } };
  }
  const error = options.firstError;
  const reaches = (span: { readonly end: number }) => error !== undefined && span.end > error;
  for (const layer of graph.layers) {
    const shapes = layer.outputShapes ?? [layer.outputShape];
    if (!layer.outputShape || shapes.some((s) => !s) || layer.inputShapes.some((s) => !s)) {
      return { runnable: layer.id, stop: { layerId: layer.id, layerName: layer.name, message: `\`${layer.name}\` (${layer.kind}) has an error in the spec, so its output shape is unknown` } };
    }
    if ((layer.span && reaches(layer.span)) || layer.callStack?.some(reaches)) {
      return { runnable: layer.id, stop: { layerId: layer.id, layerName: layer.name, message: `\`${layer.name}\` (${layer.kind}) comes at or after an error in the spec` } };
    }
  }
  return { runnable: graph.layers.length, stop: null };
}

/**
 * For every layer, the last layer among the first `runnable` that reads its
 * output (any slot), or -1 when none does: the runner frees an output right
 * after its last reader has run.
 */
export function lastReaders(graph: ModelGraph, runnable = graph.layers.length): number[] {
  const last = new Array<number>(graph.layers.length).fill(-1);
  for (let id = 0; id < runnable; id++) {
    for (const producer of graph.layers[id].inputs) if (producer >= 0) last[producer] = id;
  }
  return last;
}

/**
 * Runs the graph synchronously, one layer per `next()`: yields each layer's
 * output and returns a `RunSummary`. Throws only for a misuse (an input tensor
 * of the wrong shape); everything else ends the run with a summary.
 */
export function* runModelSync(graph: ModelGraph, input: Tensor, options: RunOptions = {}): Generator<LayerOutput, RunSummary, void> {
  const plan = planRun(graph);
  if (graph.inputShape && !sameShape(input.shape, graph.inputShape)) {
    throw new Error(`runModel: the input is ${formatShape(input.shape)}, the model takes ${formatShape(graph.inputShape)}`);
  }
  const total = plan.runnable;
  const source = options.weights ?? initWeights(graph.name);
  const lastId = graph.layers.length - 1;

  const lastReader = lastReaders(graph, total);
  const live = new Map<number, Tensor[]>();
  let layersRun = 0;

  for (let id = 0; id < total; id++) {
    if (options.signal?.aborted) return { status: 'cancelled', layersRun, output: null, stop: null };
    const layer = graph.layers[id];
    const inputs = layer.inputs.map((producer, i) => (producer < 0 ? input : live.get(producer)?.[layer.inputSlots[i] ?? 0]));
    if (inputs.some((t) => t === undefined)) throw new Error(`runModel: \`${layer.name}\` reads an output that was freed or never computed`);
    let outputs: Tensor[];
    try {
      const param = paramGetter(layer, source);
      const stream = (role: ParamRole, rowsPerBlock: number) => {
        const spec = layerParams(layer).find((p) => p.role === role);
        return spec && source.blocks && layer.args.weights === undefined ? finiteBlocks(source.blocks(spec, layer, rowsPerBlock), spec.key, layer) : null;
      };
      const result = layer.op.run({ layer, inputs: inputs as Tensor[], x: inputs[0] as Tensor, param, stream });
      outputs = Array.isArray(result) ? result : [result];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'failed', layersRun, output: null, stop: { layerId: id, layerName: layer.name, message } };
    }
    layersRun++;

    // Drop inputs nobody else reads; keep this output while someone will.
    for (const producer of layer.inputs) if (producer >= 0 && lastReader[producer] === id) live.delete(producer);
    if (lastReader[id] > id || id === lastId) live.set(id, outputs);

    options.onProgress?.({ done: layersRun, total, layerId: id, layerName: layer.name });
    yield { id, name: layer.name, kind: layer.kind, tensor: outputs[0], outputs, index: id, total, held: [...live.keys()] };
  }
  if (plan.stop) return { status: 'stopped', layersRun, output: null, stop: plan.stop };
  const output = lastId >= 0 ? live.get(lastId)?.[0] ?? null : input;
  return { status: 'complete', layersRun, output, stop: null };
}

/**
 * Runs the graph asynchronously: an async generator yielding each layer's output
 * and returning a `RunSummary`. Between layers it gives the event loop a turn, so
 * a worker can abort through `signal` mid-run.
 *
 * ```ts
 * const run = runModel(graph, input, { weights, signal, onProgress });
 * for await (const layer of run) post(layer.name, layer.tensor);
 * ```
 * To read the summary, iterate by hand: `let r; while (!(r = await run.next()).done) …; r.value`.
 */
export async function* runModel(graph: ModelGraph, input: Tensor, options: AsyncRunOptions = {}): AsyncGenerator<LayerOutput, RunSummary, void> {
  const steps = runModelSync(graph, input, options);
  for (;;) {
    if (options.yieldToEventLoop !== false) await nextTask();
    const step = steps.next();
    if (step.done) return step.value;
    yield step.value;
  }
}

/** Runs to the end and returns the summary with every layer's output (for tests and small models). */
export function runAll(graph: ModelGraph, input: Tensor, options: RunOptions = {}): { readonly layers: LayerOutput[]; readonly summary: RunSummary } {
  const layers: LayerOutput[] = [];
  const steps = runModelSync(graph, input, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return { layers, summary: step.value };
    layers.push(step.value);
  }
}

function paramGetter(layer: GraphLayer, source: WeightSource): KernelContext['param'] {
  let specs: ReturnType<typeof layerParams> | undefined;
  return (role) => {
    specs ??= layerParams(layer);
    const spec = specs.find((p) => p.role === role);
    if (!spec) return null;
    if (layer.op.handKernels && layer.args.weights !== undefined) {
      // Hand-set kernels: the spec's filters, with zero bias.
      return role === 'weight' ? handKernelWeight(layer, spec.shape) : new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    }
    return finiteParam(source.get(spec, layer), spec.key, layer);
  };
}

/**
 * The values, after checking that all are finite: a NaN or an infinity in a
 * weights file would otherwise flow silently into every later layer.
 */
function finiteParam(values: Float32Array, key: string, layer: GraphLayer, streamedFrom?: number): Float32Array {
  if (checkedFinite.has(values)) return values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v === 0) continue;
    let count = 0;
    for (let j = i; j < values.length; j++) if (!(values[j] - values[j] === 0)) count++;
    // A streamed tensor is checked one block at a time, so its count would be the block's.
    const how = streamedFrom === undefined ? `${count.toLocaleString('en-US')} non-finite value${count === 1 ? '' : 's'}` : 'non-finite values';
    const first = v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    throw new WeightError(`tensor \`${key}\` of layer \`${layer.name}\` holds ${how} (NaN or ±Infinity), the first (${first}) at index ${((streamedFrom ?? 0) + i).toLocaleString('en-US')}`);
  }
  checkedFinite.add(values);
  return values;
}

/**
 * Parameter arrays already found finite. A caller that runs the same weight
 * arrays again (the preview's repeated runs, a benchmark's steady state) does
 * not pay the scan again: 11.7M values of ResNet-18 take about 13 ms. A file's
 * weights are fresh arrays on every read, so they are always checked.
 */
const checkedFinite = new WeakSet<Float32Array>();

function* finiteBlocks(blocks: Iterable<Float32Array>, key: string, layer: GraphLayer): Iterable<Float32Array> {
  let offset = 0;
  for (const block of blocks) {
    yield finiteParam(block, key, layer, offset);
    offset += block.length;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

interface MinimalChannel {
  readonly port1: { onmessage: ((event: unknown) => void) | null; close(): void };
  readonly port2: { postMessage(message: unknown): void };
}

/** Resolves after the event loop has had a turn (not just the microtask queue). */
function nextTask(): Promise<void> {
  const g = globalThis as unknown as { setImmediate?: (f: () => void) => unknown; MessageChannel?: new () => MinimalChannel };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  if (g.MessageChannel) {
    // Unlike setTimeout, a message is not clamped to 4 ms when chained.
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
