/**
 * Images in and out of the model, without decoding (that is the caller's: the
 * CLI uses pngjs/jpeg-js, a webview can use ImageData from a canvas; both give
 * an `RgbaImage`).
 *
 * In: RGBA bytes → channels the model takes (grayscale ↔ RGB) → resized to its
 * H×W → pixels in [0, 1] → optionally ImageNet-normalised.
 * Out: a feature map's channels tiled into one grayscale grid, per-channel
 * statistics, and the top classes of a classifier.
 */
import { numel, type Tensor } from './tensor';

/** 8-bit RGBA pixels, row-major, like the DOM's ImageData and pngjs/jpeg-js output. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

export type ResizeMethod = 'bilinear' | 'area';

/** Normalisations a spec can ask for of its input (`input x: 3×224×224, normalize=imagenet`). */
export type InputNormalization = 'none' | 'imagenet';

/** ImageNet's per-channel mean and standard deviation (RGB), as torchvision uses them. */
export const IMAGENET_MEAN: readonly number[] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly number[] = [0.229, 0.224, 0.225];

export interface ImageToTensorOptions {
  /** The model input C×H×W. */
  readonly shape: readonly number[];
  readonly normalize?: InputNormalization | string;
  /** Default `area` (averages when shrinking; bilinear when enlarging). */
  readonly resize?: ResizeMethod;
  /**
   * `cover` (default): crop the centre to the input's aspect ratio, then resize,
   * as torchvision's Resize + CenterCrop does; `stretch`: resize the whole image.
   */
  readonly fit?: 'cover' | 'stretch';
}

/**
 * An image as the model's input: 1 channel is luma (BT.601: 0.299 R + 0.587 G +
 * 0.114 B, as PIL's `convert("L")`), 3 are RGB, any other count repeats the luma.
 * Alpha composites over black. Pixels become [0, 1], then are cropped to the
 * input's aspect ratio (unless `fit: 'stretch'`), resized to H×W and normalised
 * when asked.
 */
export function imageToTensor(image: RgbaImage, options: ImageToTensorOptions): Tensor {
  if (options.shape.length !== 3) throw new Error(`imageToTensor: the model input must be C×H×W, got ${options.shape.join('×')}`);
  const [channels, height, width] = options.shape;
  const full = rgbaToTensor(image);
  const rgb = options.fit === 'stretch' ? full : centerCrop(full, width / height);
  const converted = convertChannels(rgb, channels);
  const resized = resize(converted, { height, width, method: options.resize ?? 'area' });
  return options.normalize === 'imagenet' ? normalizeImageNet(resized) : resized;
}

/** RGBA bytes → 3×H×W floats in [0, 1], alpha composited over black. */
export function rgbaToTensor(image: RgbaImage): Tensor {
  const { width, height, data } = image;
  if (data.length < width * height * 4) throw new Error(`rgbaToTensor: ${width}×${height} RGBA needs ${width * height * 4} bytes, got ${data.length}`);
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    const alpha = data[4 * p + 3] / 255;
    out[p] = (data[4 * p] / 255) * alpha;
    out[plane + p] = (data[4 * p + 1] / 255) * alpha;
    out[2 * plane + p] = (data[4 * p + 2] / 255) * alpha;
  }
  return { shape: [3, height, width], data: out };
}

/** The largest centred C×h×w window with w/h = aspect (whole pixels). */
export function centerCrop(x: Tensor, aspect: number): Tensor {
  const [channels, inH, inW] = x.shape;
  let h = inH;
  let w = Math.round(inH * aspect);
  if (w > inW) {
    w = inW;
    h = Math.round(inW / aspect);
  }
  h = Math.max(1, Math.min(h, inH));
  w = Math.max(1, Math.min(w, inW));
  if (h === inH && w === inW) return x;
  const top = Math.floor((inH - h) / 2);
  const left = Math.floor((inW - w) / 2);
  const out = new Float32Array(channels * h * w);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < h; y++) {
      const src = (c * inH + top + y) * inW + left;
      out.set(x.data.subarray(src, src + w), (c * h + y) * w);
    }
  }
  return { shape: [channels, h, w], data: out };
}

/** 1 ↔ 3 channels: luma from RGB, RGB by repeating gray; other counts repeat the luma. */
export function convertChannels(x: Tensor, channels: number): Tensor {
  const [c, ...spatial] = x.shape;
  if (c === channels) return x;
  const plane = numel(spatial);
  let gray: Float32Array;
  if (c === 1) gray = x.data;
  else if (c === 3) {
    gray = new Float32Array(plane);
    for (let p = 0; p < plane; p++) gray[p] = 0.299 * x.data[p] + 0.587 * x.data[plane + p] + 0.114 * x.data[2 * plane + p];
  } else {
    gray = new Float32Array(plane);
    for (let ch = 0; ch < c; ch++) for (let p = 0; p < plane; p++) gray[p] += x.data[ch * plane + p] / c;
  }
  const out = new Float32Array(channels * plane);
  for (let ch = 0; ch < channels; ch++) out.set(gray, ch * plane);
  return { shape: [channels, ...spatial], data: out };
}

/**
 * (x − mean)/std per channel with ImageNet's statistics. One channel uses the
 * means of the three (0.449, 0.226); more than three cycle through R, G, B.
 */
export function normalizeImageNet(x: Tensor): Tensor {
  const channels = x.shape[0];
  const plane = channels === 0 ? 0 : x.data.length / channels;
  const out = new Float32Array(x.data.length);
  for (let c = 0; c < channels; c++) {
    const mean = channels === 1 ? 0.449 : IMAGENET_MEAN[c % 3];
    const std = channels === 1 ? 0.226 : IMAGENET_STD[c % 3];
    for (let i = c * plane; i < (c + 1) * plane; i++) out[i] = (x.data[i] - mean) / std;
  }
  return { shape: [...x.shape], data: out };
}

export interface ResizeOptions {
  readonly height: number;
  readonly width: number;
  /**
   * `bilinear`: interpolate at pixel centres (PyTorch's align_corners=False, no
   * antialiasing). `area`: each output pixel averages the input it covers
   * (exact box filter) when shrinking, bilinear when enlarging.
   */
  readonly method?: ResizeMethod;
}

/** Resizes the last two axes of a C×H×W tensor. Separable: rows, then columns. */
export function resize(x: Tensor, options: ResizeOptions): Tensor {
  if (x.shape.length !== 3) throw new Error(`resize: expected C×H×W, got ${x.shape.join('×')}`);
  const [channels, inH, inW] = x.shape;
  const { height, width } = options;
  if (!(height >= 1 && width >= 1)) throw new Error(`resize: target ${height}×${width} is empty`);
  if (inH === height && inW === width) return x;
  const method = options.method ?? 'area';
  const rows = axisWeights(inH, height, method);
  const cols = axisWeights(inW, width, method);
  // Columns first (C×inH×inW → C×inH×W), then rows.
  const tmp = new Float32Array(channels * inH * width);
  for (let r = 0; r < channels * inH; r++) {
    const src = r * inW;
    const dst = r * width;
    for (let o = 0; o < width; o++) {
      let acc = 0;
      for (const [i, w] of cols[o]) acc += w * x.data[src + i];
      tmp[dst + o] = acc;
    }
  }
  const out = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c++) {
    for (let o = 0; o < height; o++) {
      const dst = (c * height + o) * width;
      for (const [i, w] of rows[o]) {
        const src = (c * inH + i) * width;
        for (let j = 0; j < width; j++) out[dst + j] += w * tmp[src + j];
      }
    }
  }
  return { shape: [channels, height, width], data: out };
}

/** For each output index, the input indices it reads and their weights (summing to 1). */
function axisWeights(inN: number, outN: number, method: ResizeMethod): Array<Array<[number, number]>> {
  const scale = inN / outN;
  const result: Array<Array<[number, number]>> = [];
  for (let o = 0; o < outN; o++) {
    if (method === 'area' && scale > 1) {
      const start = o * scale;
      const end = (o + 1) * scale;
      const taps: Array<[number, number]> = [];
      for (let i = Math.floor(start); i < Math.min(inN, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 0) taps.push([i, overlap / scale]);
      }
      result.push(taps);
    } else {
      const src = Math.max((o + 0.5) * scale - 0.5, 0);
      const lo = Math.min(Math.floor(src), inN - 1);
      const hi = Math.min(lo + 1, inN - 1);
      const t = src - lo;
      result.push(hi === lo || t === 0 ? [[lo, 1]] : [[lo, 1 - t], [hi, t]]);
    }
  }
  return result;
}

export interface ChannelStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** min, max and mean of each channel (axis 0); a flat vector counts as one channel. */
export function channelStats(x: Tensor): ChannelStats[] {
  const channels = x.shape.length <= 1 ? 1 : x.shape[0];
  const plane = channels === 0 ? 0 : x.data.length / channels;
  const stats: ChannelStats[] = [];
  for (let c = 0; c < channels; c++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = c * plane; i < (c + 1) * plane; i++) {
      const v = x.data[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    stats.push({ min, max, mean: plane === 0 ? 0 : sum / plane });
  }
  return stats;
}

export interface GridOptions {
  /** Cells are magnified by a whole factor until their longer side reaches this (default 48). */
  readonly minCell?: number;
  /** The grid is shrunk (area) so that its longer side stays within this (default 2048). */
  readonly maxSide?: number;
  /** Gap between cells in pixels (default 1). */
  readonly gap?: number;
}

/**
 * Tiles a feature map's channels into one grayscale image, each channel scaled
 * to its own min..max (a constant channel is mid-gray). C×H×W shows H×W per
 * channel; C×L a strip per channel; C×D×H×W the middle depth slice; a flat
 * vector one near-square cell.
 */
export function featureGrid(x: Tensor, options: GridOptions = {}): RgbaImage {
  const gap = options.gap ?? 1;
  let maps: Tensor;
  if (x.shape.length <= 1) {
    const n = x.data.length;
    const side = Math.max(1, Math.ceil(Math.sqrt(n)));
    const rows = Math.max(1, Math.ceil(n / side));
    const data = new Float32Array(side * rows).fill(NaN);
    data.set(x.data);
    maps = { shape: [1, rows, side], data };
  } else if (x.shape.length === 2) {
    maps = { shape: [x.shape[0], 1, x.shape[1]], data: x.data };
  } else if (x.shape.length === 4) {
    const [c, d, h, w] = x.shape;
    const mid = Math.floor(d / 2);
    const data = new Float32Array(c * h * w);
    for (let ch = 0; ch < c; ch++) data.set(x.data.subarray((ch * d + mid) * h * w, (ch * d + mid + 1) * h * w), ch * h * w);
    maps = { shape: [c, h, w], data };
  } else {
    maps = x;
  }
  const [channels, h0, w0] = maps.shape;
  // A 1-row strip (C×L) is stretched to be visible.
  const stretchH = h0 === 1 && w0 > 8 ? 8 : 1;
  const minCell = options.minCell ?? 48;
  const zoom = Math.max(1, Math.floor(minCell / Math.max(h0 * stretchH, w0)));
  let cellH = h0 * stretchH * zoom;
  let cellW = w0 * zoom;
  const columns = Math.max(1, Math.ceil(Math.sqrt((channels * cellH) / cellW)));
  const gridRows = Math.ceil(channels / columns);
  const maxSide = options.maxSide ?? 2048;
  const side = Math.max(columns * (cellW + gap), gridRows * (cellH + gap));
  if (side > maxSide) {
    const shrink = maxSide / side;
    cellH = Math.max(1, Math.floor(cellH * shrink));
    cellW = Math.max(1, Math.floor(cellW * shrink));
  }
  const width = columns * (cellW + gap) - gap;
  const height = gridRows * (cellH + gap) - gap;
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    out[4 * i] = 40;
    out[4 * i + 1] = 44;
    out[4 * i + 2] = 52;
    out[4 * i + 3] = 255;
  }
  const plane = h0 * w0;
  for (let c = 0; c < channels; c++) {
    const channel: Tensor = { shape: [1, h0, w0], data: maps.data.subarray(c * plane, (c + 1) * plane) };
    let min = Infinity;
    let max = -Infinity;
    for (const v of channel.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const range = max - min;
    const cell = cellH === h0 && cellW === w0 ? channel : resizeNearestOrArea(channel, cellH, cellW);
    const x0 = (c % columns) * (cellW + gap);
    const y0 = Math.floor(c / columns) * (cellH + gap);
    for (let y = 0; y < cellH; y++) {
      for (let xx = 0; xx < cellW; xx++) {
        const v = cell.data[y * cellW + xx];
        const level = Number.isNaN(v) ? 0 : range > 0 && Number.isFinite(range) ? Math.round(((v - min) / range) * 255) : 128;
        const o = 4 * ((y0 + y) * width + x0 + xx);
        out[o] = out[o + 1] = out[o + 2] = Number.isNaN(v) ? 40 : level;
      }
    }
  }
  return { width, height, data: out };
}

/** Enlarging by nearest neighbour keeps pixels crisp; shrinking averages. */
function resizeNearestOrArea(x: Tensor, height: number, width: number): Tensor {
  const [, inH, inW] = x.shape;
  if (height <= inH && width <= inW) return resize(x, { height, width, method: 'area' });
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(inH - 1, Math.floor((y * inH) / height));
    for (let xx = 0; xx < width; xx++) out[y * width + xx] = x.data[sy * inW + Math.min(inW - 1, Math.floor((xx * inW) / width))];
  }
  return { shape: [1, height, width], data: out };
}

/** A single-channel or RGB tensor in [0, 1] back to RGBA bytes (clamped). */
export function tensorToImage(x: Tensor): RgbaImage {
  const [c, height, width] = x.shape;
  const plane = height * width;
  const out = new Uint8Array(plane * 4);
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v * 255)));
  for (let p = 0; p < plane; p++) {
    out[4 * p] = byte(x.data[p]);
    out[4 * p + 1] = byte(x.data[(c >= 3 ? 1 : 0) * plane + p]);
    out[4 * p + 2] = byte(x.data[(c >= 3 ? 2 : 0) * plane + p]);
    out[4 * p + 3] = 255;
  }
  return { width, height, data: out };
}

export interface ClassScore {
  readonly index: number;
  readonly probability: number;
}

/**
 * The k most probable classes of a classifier's output vector. Softmax is
 * applied unless the values already are probabilities (in [0, 1], summing to 1
 * within 1e-4), e.g. after a `softmax` layer.
 */
export function topClasses(logits: ArrayLike<number>, k = 5): ClassScore[] {
  const n = logits.length;
  let sum = 0;
  let isProbability = true;
  for (let i = 0; i < n; i++) {
    sum += logits[i];
    if (!(logits[i] >= 0 && logits[i] <= 1)) isProbability = false;
  }
  let probs: Float64Array;
  if (isProbability && Math.abs(sum - 1) < 1e-4) probs = Float64Array.from(logits);
  else {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, logits[i]);
    probs = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += probs[i] = Math.exp(logits[i] - max);
    for (let i = 0; i < n; i++) probs[i] /= total;
  }
  return Array.from(probs, (probability, index) => ({ index, probability }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .slice(0, k);
}
