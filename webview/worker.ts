/**
 * The preview's Web Worker: analyses the spec, runs the model layer by layer
 * and posts each output as it is computed. A new run cancels the one in
 * progress between layers.
 */
import type { Tensor } from '../src/core/tensor';
import { kernelBackend } from '../src/core/wasm';
import { analyze } from '../src/language/analyze';
import type { Analysis } from '../src/language/types';
import type { RgbaImage } from '../src/core/image';
import type { RunRequest, TensorSlice, UiToWorker, WorkerToUi } from '../src/protocol/webview';
import { decodeImage } from './decode-image';
import { preprocess, runLayers, RunWeights } from './engine';
import { imageRefusal } from './inputs';
import { makePattern } from './patterns';
import { buildPlan } from './plan';
import { sliceChannels } from './slice';
import { minMax } from './normalise';
import { isMapShape, isTiles, makeTiles } from './tiles';

interface WorkerScope {
  onmessage: ((event: MessageEvent<UiToWorker>) => void) | null;
  postMessage(message: WorkerToUi, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

/**
 * Outputs kept for "show all", hover values and the enlarged view, up to this
 * many floats in total; past it, a layer keeps only the channels the page was
 * sent (a copy), for hover and zoom.
 */
const RETAIN_BUDGET = 48_000_000;

interface Retained {
  readonly tensor: Tensor;
  /** Channels [0, channels) are in `tensor.data` (all of them unless the budget was spent). */
  readonly channels: number;
}

let current: { runId: number; cancelled: boolean } | null = null;
let retained = new Map<number, Retained>();
let retainedFloats = 0;
/** The run whose outputs `retained` holds. */
let retainedRun = 0;
const decoded = new Map<string, RgbaImage>();
/** The analysis a `prepare` made, used once by a run of the same text. */
let prepared: { readonly text: string; readonly analysis: Analysis } | null = null;

function post(message: WorkerToUi): void {
  const transfer: Transferable[] = [];
  if (message.type === 'layer' || message.type === 'channels') {
    const output = message.output;
    if (isTiles(output)) transfer.push(output.indices.buffer, output.ranges.buffer);
    else transfer.push(output.data.buffer);
    if (message.type === 'layer' && message.kernels) transfer.push(message.kernels.data.buffer);
  } else if (message.type === 'input') transfer.push(message.tensor.data.buffer);
  else if (message.type === 'values' && message.data) transfer.push(message.data.buffer);
  scope.postMessage(message, transfer);
}

/** Lets queued messages (a cancel, a newer run) in between layers. */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** An image by id, decoded once. */
async function decode(id: string, bytes: Uint8Array): Promise<RgbaImage> {
  const cached = decoded.get(id);
  if (cached) return cached;
  const image = await decodeImage(bytes);
  decoded.set(id, image);
  return image;
}

async function run(request: RunRequest): Promise<void> {
  const token = { runId: request.runId, cancelled: false };
  if (current) current.cancelled = true;
  current = token;
  retained = new Map();
  retainedRun = request.runId;
  retainedFloats = 0;
  const started = performance.now();
  try {
    const analysis = prepared?.text === request.text ? prepared.analysis : analyze(request.text);
    prepared = null;
    const fileBytes = request.weights && analysis.model?.weightsPath === request.weights.path ? request.weights.bytes : undefined;
    const weights = new RunWeights(analysis.model?.name ?? 'model', request.seed, fileBytes);
    const weightsLoaded = weights.file && request.weights ? request.weights.path : null;
    const plan = buildPlan(analysis, {
      runId: request.runId,
      seed: request.seed,
      weightsLoaded,
      weightsError: weights.fileError,
      notation: request.notation,
      weightOrigin: (index) => weights.originOf(analysis.layers[index]),
    });
    post(plan);
    const shape = plan.inputShape;
    if (!shape) {
      post({ type: 'done', runId: request.runId, ms: performance.now() - started, cancelled: false });
      return;
    }
    const refusal = request.input.kind === 'image' ? imageRefusal(shape, request.notation) : null;
    if (refusal) {
      post({ type: 'error', runId: request.runId, message: refusal });
      return;
    }
    let input: Tensor;
    if (request.input.kind === 'pattern') {
      input = { shape: [...shape], data: makePattern(request.input.pattern, shape, request.seed) };
    } else {
      try {
        const image = request.input.pixels ?? (await decode(request.input.id, request.input.bytes));
        input = preprocess(image, shape, analysis.model?.normalize);
      } catch (error) {
        post({ type: 'notice', runId: request.runId, message: `The image could not be decoded (${error instanceof Error ? error.message : String(error)}); showing a checkerboard instead.` });
        input = { shape: [...shape], data: makePattern('checkerboard', shape) };
      }
    }
    if (token.cancelled) return;
    post({ type: 'input', runId: request.runId, tensor: sliceChannels(input.shape, input.data, 0, input.shape[0]) });
    await yieldToEvents();
    let layerStart = performance.now();
    const stopBefore = plan.stop ? plan.stop.layer : analysis.layers.length;
    const layers = runLayers(analysis, input, {
      weights,
      stopBefore,
      signal: { get aborted() { return token.cancelled; } },
    });
    for (;;) {
      const step = await layers.next();
      if (token.cancelled) break;
      if (step.done) {
        const summary = step.value;
        if (summary && summary.status === 'failed' && summary.stop) {
          post({ type: 'error', runId: request.runId, layer: summary.stop.layerId, message: summary.stop.message });
        }
        break;
      }
      const result = step.value;
      const { output } = result;
      const stats = minMax(output.data);
      // A pooled C×1×1 map is a vector: send all of it, it is drawn as one plot.
      const pooled = output.shape.slice(1).every((d) => d === 1);
      // Maps go as display tiles; the full-resolution values stay here until the page asks for a channel.
      const first = isMapShape(output.shape)
        ? makeTiles(output.shape, output.data, 0, request.channels, stats)
        : sliceChannels(output.shape, output.data, 0, pooled ? output.shape[0] : request.channels, stats);
      const kernels = result.weight ? kernelSlice(result.weight) : undefined;
      retain(result.index, output, first.to);
      post({ type: 'layer', runId: request.runId, index: result.index, output: first, kernels, ms: performance.now() - layerStart });
      await yieldToEvents();
      layerStart = performance.now();
    }
    post({ type: 'done', runId: request.runId, ms: performance.now() - started, cancelled: token.cancelled });
  } catch (error) {
    post({ type: 'error', runId: request.runId, message: error instanceof Error ? error.message : String(error) });
  } finally {
    if (current === token) current = null;
  }
}

function retain(index: number, output: Tensor, sent: number): void {
  const channels = output.shape.length <= 1 ? 1 : output.shape[0];
  if (retainedFloats + output.data.length <= RETAIN_BUDGET) {
    retained.set(index, { tensor: output, channels });
    retainedFloats += output.data.length;
  } else {
    const size = output.data.length / Math.max(1, channels);
    retained.set(index, { tensor: { shape: output.shape, data: output.data.slice(0, sent * size) }, channels: sent });
  }
}

/**
 * Up to 64 filters for display: [F, k…] from the first input channel, or
 * [F, 3, kh, kw] when a 2D conv reads three channels (an RGB image), shown in colour.
 */
function kernelSlice(weight: Tensor): TensorSlice | undefined {
  const [filters, perFilter, ...kernel] = weight.shape;
  if (filters === undefined || perFilter === undefined || kernel.length === 0) return undefined;
  const size = kernel.reduce((a, b) => a * b, 1);
  const channels = perFilter === 3 && kernel.length === 2 ? 3 : 1;
  const count = Math.min(filters, 64);
  const data = new Float32Array(count * channels * size);
  for (let f = 0; f < count; f++) data.set(weight.data.subarray(f * perFilter * size, (f * perFilter + channels) * size), f * channels * size);
  const stats = minMax(data);
  const shape = channels === 3 ? [count, 3, ...kernel] : [count, ...kernel];
  return { shape, from: 0, to: count, data, min: stats.min, max: stats.max };
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'run':
      post({ type: 'started', runId: message.runId });
      void run(message);
      break;
    case 'prepare':
      if (!current && prepared?.text !== message.text) prepared = { text: message.text, analysis: analyze(message.text) };
      break;
    case 'cancel':
      if (current?.runId === message.runId) current.cancelled = true;
      break;
    case 'channels': {
      const kept = retained.get(message.layer);
      if (!kept || kept.channels < Math.min(message.to, kept.tensor.shape[0] ?? 1)) {
        post({ type: 'error', runId: message.runId, layer: message.layer, message: 'That layer is no longer in memory; re-run to see all its channels.' });
        break;
      }
      const { shape, data } = kept.tensor;
      const stats = minMax(data);
      const output = isMapShape(shape) ? makeTiles(shape, data, message.from, message.to, stats) : sliceChannels(shape, data, message.from, message.to, stats);
      post({ type: 'channels', runId: message.runId, index: message.layer, output });
      break;
    }
    case 'values': {
      const kept = retainedRun === message.runId ? retained.get(message.layer) : undefined;
      const { channel } = message;
      const size = kept ? kept.tensor.data.length / Math.max(1, kept.channels) : 0;
      const data = kept && channel >= 0 && channel < kept.channels ? kept.tensor.data.slice(channel * size, (channel + 1) * size) : undefined;
      post({ type: 'values', runId: message.runId, index: message.layer, channel, ...(data ? { data } : {}) });
      break;
    }
  }
};

// Compile the WebAssembly kernels while the UI is still gathering the first run's inputs, not in its first conv.
setTimeout(() => kernelBackend(), 0);
