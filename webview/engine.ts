/**
 * The one place the worker touches the model runner (src/core/execute.ts)
 * and image preprocessing: which weights a run uses, and each layer's conv
 * kernels for display.
 */
import { runModel, type CancelSignal, type RunSummary } from '../src/core/execute';
import { imageToTensor } from '../src/core/image';
import type { GraphLayer } from '../src/core/graph';
import { SafetensorsFile } from '../src/core/safetensors';
import type { Tensor } from '../src/core/tensor';
import { fallbackWeights, handKernelWeight, initWeights, layerParams, safetensorsWeights, type SafetensorsWeights, type WeightSource } from '../src/core/weights';
import { getLayerSpec } from '../src/language/catalogue';
import type { Analysis, Layer } from '../src/language/types';
import type { RgbaImage } from '../src/core/image';
import type { WeightOrigin } from '../src/protocol/webview';

export interface EngineLayer {
  /** Index into analysis.layers. */
  readonly index: number;
  readonly output: Tensor;
  /** Conv weights [C_out, C_in/groups, k…], when the layer has them. */
  readonly weight?: Tensor;
}

export interface EngineOptions {
  readonly weights: RunWeights;
  /** Run layers [0, stopBefore). */
  readonly stopBefore: number;
  readonly signal: CancelSignal;
}

/**
 * A run's weights: the `.safetensors` file where it has a layer's tensors,
 * else the seeded init (seed 1 is the CLI's init). Remembers conv weights as
 * they are read, so the UI can draw the kernels.
 */
export class RunWeights {
  readonly file: SafetensorsFile | null;
  readonly fileError: string | null;
  private readonly init: WeightSource;
  private readonly fromFile: SafetensorsWeights | null;
  readonly convWeights = new Map<number, Tensor>();
  /**
   * The core's source (the file, then the init for what it lacks), as the CLI
   * reads it: a huge linear weight streams in row blocks. Conv weights are
   * kept as they are read, for the kernel view.
   */
  readonly source: WeightSource;

  constructor(modelName: string, seed: number, fileBytes: Uint8Array | undefined) {
    this.init = initWeights(seed === 1 ? modelName : `${modelName}#${seed}`);
    let file: SafetensorsFile | null = null;
    let error: string | null = null;
    if (fileBytes) {
      try {
        file = new SafetensorsFile(fileBytes);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    this.file = file;
    this.fileError = error;
    this.fromFile = file ? safetensorsWeights(file) : null;
    const combined = this.fromFile ? fallbackWeights(this.fromFile, this.init) : this.init;
    this.source = {
      has: combined.has,
      blocks: combined.blocks,
      get: (param, layer) => {
        const values = combined.get(param, layer);
        if (param.role === 'weight' && getLayerSpec(layer.kind)?.category === 'conv') this.convWeights.set(layer.id, { shape: param.shape, data: values });
        return values;
      },
    };
  }

  /** Where a layer's parameters will come from. */
  originOf(layer: Layer): WeightOrigin {
    if (layer.args.weights !== undefined) return typeof layer.args.weights === 'string' || (Array.isArray(layer.args.weights) && layer.args.weights.every((v) => typeof v === 'string')) ? 'named' : 'literal';
    let params: ReturnType<typeof layerParams>;
    try {
      params = layerParams(layer);
    } catch {
      // Arguments an error left unresolved (`k=size` with no `size`): the layer will not run.
      return layer.params > 0 ? 'random' : 'none';
    }
    if (params.length === 0) return 'none';
    const fromFile = this.fromFile;
    if (fromFile?.has && params.every((p) => fromFile.has!(p, layer) || p.init.kind === 'constant')) return 'file';
    return 'random';
  }

  /** A conv's weights, read while it ran (or its hand-set kernels). */
  kernelsOf(layer: GraphLayer): Tensor | undefined {
    const read = this.convWeights.get(layer.id);
    if (read) return read;
    if (!layer.op.handKernels || layer.args.weights === undefined) return undefined;
    const shape = layerParams(layer).find((p) => p.role === 'weight')?.shape;
    const data = shape ? handKernelWeight(layer, shape) : null;
    return shape && data ? { shape, data } : undefined;
  }
}

export type EngineSummary = RunSummary;

/** Runs the model layer by layer, yielding each output as soon as it exists; returns the runner's summary. */
export async function* runLayers(analysis: Analysis, input: Tensor, options: EngineOptions): AsyncGenerator<EngineLayer, EngineSummary | null> {
  const model = analysis.model;
  if (!model) return null;
  const run = runModel({ name: model.name, inputShape: model.inputShape, layers: analysis.layers }, input, {
    weights: options.weights.source,
    signal: options.signal,
  });
  for (;;) {
    const step = await run.next();
    if (step.done) return step.value;
    const layer = step.value;
    if (layer.id >= options.stopBefore) return null;
    const weight = options.weights.kernelsOf(analysis.layers[layer.id]);
    options.weights.convWeights.delete(layer.id);
    yield { index: layer.id, output: layer.tensor, ...(weight ? { weight } : {}) };
  }
}

/**
 * The model input from an image, as the CLI makes it (src/core/image.ts):
 * channels converted, centre-cropped to the input's aspect ratio, resized,
 * pixels in [0, 1], ImageNet-normalised when the spec asks.
 */
export function preprocess(image: RgbaImage, shape: readonly number[], normalize: string | undefined): Tensor {
  return imageToTensor(image, { shape, normalize });
}
