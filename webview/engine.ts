/**
 * The one place the worker touches the model runner and image preprocessing.
 * INTERIM: until src/core/execute.ts lands, this fakes layer outputs with
 * the right shapes so the UI can be built; it is replaced by the core runner.
 */
import type { Tensor } from '../src/core/tensor';
import type { Analysis, Layer } from '../src/language/types';
import type { RgbaImage, WeightSource } from '../src/protocol/webview';

export interface EngineLayer {
  /** Index into analysis.layers. */
  readonly index: number;
  readonly output: Tensor;
  /** Conv weights [C_out, C_in/groups, k…], when the layer has them. */
  readonly weight?: Tensor;
}

export interface EngineOptions {
  readonly seed: number;
  readonly weights?: Uint8Array;
  /** Run layers [0, stopBefore). */
  readonly stopBefore: number;
  readonly isCancelled: () => boolean;
}

/** Runs the model layer by layer, yielding each output as soon as it exists. */
export async function* runLayers(analysis: Analysis, input: Tensor, options: EngineOptions): AsyncGenerator<EngineLayer> {
  for (let index = 0; index < options.stopBefore; index++) {
    if (options.isCancelled()) return;
    const layer = analysis.layers[index];
    const shape = layer.outputShape ?? [];
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.sin(i * 0.05 + index) * (layer.kind === 'relu' ? 0.5 : 1) + (layer.kind === 'relu' ? 0.5 : 0);
    yield { index, output: { shape: [...shape], data } };
  }
  void input;
}

/** Resizes (bilinear), converts channels and scales pixels to [0, 1], then applies the spec's normalisation. */
export function preprocess(image: RgbaImage, shape: readonly number[], normalize: string | undefined): Tensor {
  const [channels, height, width] = shape;
  const out = new Float32Array(channels * height * width);
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, ((y + 0.5) * image.height) / height - 0.5));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, ((x + 0.5) * image.width) / width - 0.5));
      const rgb = [0, 1, 2].map((c) => bilinear(image, sx, sy, c) / 255);
      for (let c = 0; c < channels; c++) {
        let v = channels === 3 ? rgb[c] : 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        if (normalize === 'imagenet' && channels === 3) v = (v - mean[c]) / std[c];
        out[(c * height + y) * width + x] = v;
      }
    }
  }
  return { shape: [...shape], data: out };
}

function bilinear(image: RgbaImage, x: number, y: number, c: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(image.width - 1, x0 + 1);
  const y1 = Math.min(image.height - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => image.data[(yy * image.width + xx) * 4 + c];
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

/** Where each layer's weights come from. */
export function weightSource(layer: Layer, fileLoaded: boolean): WeightSource {
  if (layer.params === 0 && !('weights' in layer.args)) return 'none';
  const w = layer.args.weights;
  if (w !== undefined && w !== false && w !== '') return typeof w === 'string' || (Array.isArray(w) && w.every((v) => typeof v === 'string')) ? 'named' : 'literal';
  return fileLoaded ? 'file' : 'random';
}
