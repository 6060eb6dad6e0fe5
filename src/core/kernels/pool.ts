/**
 * Pooling over 1–3 spatial axes (CHW layout), PyTorch semantics.
 *
 * Window sizes come from `windowGeometry`; padding is never materialised.
 */
import { asTensor, type Tensor, type TensorLike } from '../tensor';
import type { WindowGeometry } from '../geometry';
import { resolveWindow, type Geometry3, type PaddingOption, type PerAxis } from './window';

/** The window as a record computed before (the analysis keeps one per layer, `GraphLayer.window`). */
export interface PoolGeometryOptions {
  readonly geometry: WindowGeometry;
}

/** The window as options, normalised and checked here. */
export interface PoolOptions {
  readonly kernel: PerAxis;
  /** Defaults to the kernel, as in PyTorch. */
  readonly stride?: PerAxis;
  /** A number, per-axis numbers or [before, after] pairs per axis. Default 0. */
  readonly padding?: PaddingOption;
  readonly ceilMode?: boolean;
}

export type MaxPoolOptions = (PoolOptions & { readonly dilation?: PerAxis }) | PoolGeometryOptions;

export type AvgPoolOptions = (PoolOptions | PoolGeometryOptions) & {
  /** Count padded taps in the divisor (PyTorch's default, true). */
  readonly countIncludePad?: boolean;
};

function poolGeometry(what: string, x: Tensor, options: MaxPoolOptions | AvgPoolOptions): Geometry3 {
  if (x.shape.length < 2 || x.shape.length > 4) throw new Error(`${what}: input must be C×L, C×H×W or C×D×H×W, got [${x.shape.join(', ')}]`);
  const inSize = x.shape.slice(1);
  const g =
    'geometry' in options
      ? resolveWindow({ inSize, geometry: options.geometry, what })
      : resolveWindow({
          inSize,
          kernel: options.kernel,
          stride: options.stride ?? options.kernel,
          dilation: 'dilation' in options ? options.dilation : undefined,
          padding: options.padding,
          ceilMode: options.ceilMode,
          what,
        });
  // PyTorch's rule: a window that could lie wholly in the padding would pool nothing (−∞ or 0/0).
  for (const a of g.geometry.axes) {
    const half = Math.floor(a.effectiveKernel / 2);
    if (a.padBefore > half || a.padAfter > half) throw new RangeError(`${what} padding: ${Math.max(a.padBefore, a.padAfter)} is more than half the window (${a.effectiveKernel})`);
  }
  return g;
}

/** Max pooling; padded taps never win (they count as −∞). NaN propagates, as in PyTorch. */
export function maxPool(input: TensorLike, options: MaxPoolOptions): Tensor {
  const x = asTensor(input);
  const g = poolGeometry('maxPool', x, options);
  const channels = x.shape[0];
  const inSlice = g.inH * g.inW;
  const inPlane = g.inD * inSlice;
  const outPlane = g.outD * g.outH * g.outW;
  const out = new Float32Array(channels * outPlane);
  const xd = x.data;
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const base = c * inPlane;
    for (let od = 0; od < g.outD; od++) {
      const id0 = od * g.sD - g.pD;
      for (let oh = 0; oh < g.outH; oh++) {
        const ih0 = oh * g.sH - g.pH;
        for (let ow = 0; ow < g.outW; ow++, o++) {
          const iw0 = ow * g.sW - g.pW;
          let best = -Infinity;
          for (let kd = 0; kd < g.kD; kd++) {
            const id = id0 + kd * g.dD;
            if (id < 0 || id >= g.inD) continue;
            for (let kh = 0; kh < g.kH; kh++) {
              const ih = ih0 + kh * g.dH;
              if (ih < 0 || ih >= g.inH) continue;
              const row = base + id * inSlice + ih * g.inW;
              for (let kw = 0; kw < g.kW; kw++) {
                const iw = iw0 + kw * g.dW;
                if (iw < 0 || iw >= g.inW) continue;
                const v = xd[row + iw];
                if (v > best || Number.isNaN(v)) best = v;
              }
            }
          }
          out[o] = best;
        }
      }
    }
  }
  return { shape: [channels, ...g.geometry.outSize], data: out };
}

/**
 * Average pooling. PyTorch's divisor: with countIncludePad the window is
 * clipped to the padded input (so in ceil mode a window hanging past the right
 * padding counts only what lies inside input + padding); without it, only the
 * real input samples count. Asymmetric [before, after] padding (which PyTorch's
 * pooling does not have) follows the same rule with each side's own padding.
 */
export function avgPool(input: TensorLike, options: AvgPoolOptions): Tensor {
  const x = asTensor(input);
  const g = poolGeometry('avgPool', x, options);
  const includePad = options.countIncludePad ?? true;
  const channels = x.shape[0];
  const inSlice = g.inH * g.inW;
  const inPlane = g.inD * inSlice;
  const outPlane = g.outD * g.outH * g.outW;
  const out = new Float32Array(channels * outPlane);
  const xd = x.data;
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const base = c * inPlane;
    for (let od = 0; od < g.outD; od++) {
      let d0 = od * g.sD - g.pD;
      let d1 = Math.min(d0 + g.kD, g.inD + g.qD);
      const padD = d1 - d0;
      d0 = Math.max(d0, 0);
      d1 = Math.min(d1, g.inD);
      for (let oh = 0; oh < g.outH; oh++) {
        let h0 = oh * g.sH - g.pH;
        let h1 = Math.min(h0 + g.kH, g.inH + g.qH);
        const padH = h1 - h0;
        h0 = Math.max(h0, 0);
        h1 = Math.min(h1, g.inH);
        for (let ow = 0; ow < g.outW; ow++, o++) {
          let w0 = ow * g.sW - g.pW;
          let w1 = Math.min(w0 + g.kW, g.inW + g.qW);
          const padW = w1 - w0;
          w0 = Math.max(w0, 0);
          w1 = Math.min(w1, g.inW);
          let sum = 0;
          for (let id = d0; id < d1; id++) {
            for (let ih = h0; ih < h1; ih++) {
              const row = base + id * inSlice + ih * g.inW;
              for (let iw = w0; iw < w1; iw++) sum += xd[row + iw];
            }
          }
          const count = includePad ? padD * padH * padW : (d1 - d0) * (h1 - h0) * (w1 - w0);
          out[o] = count > 0 ? sum / count : 0;
        }
      }
    }
  }
  return { shape: [channels, ...g.geometry.outSize], data: out };
}

/** Output size per spatial axis for adaptive pooling: one number for all axes or one per axis. */
export type AdaptiveSize = number | readonly number[];

function adaptive(what: string, input: TensorLike, outputSize: AdaptiveSize, reduce: 'avg' | 'max'): Tensor {
  const x = asTensor(input);
  const rank = x.shape.length - 1;
  if (rank < 1 || rank > 3) throw new Error(`${what}: input must be C×L, C×H×W or C×D×H×W, got [${x.shape.join(', ')}]`);
  const outSize = typeof outputSize === 'number' ? new Array<number>(rank).fill(outputSize) : [...outputSize];
  if (outSize.length !== rank || outSize.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${what}: output size [${outSize.join(', ')}] does not fit a ${rank}D input`);
  }
  const inSize = x.shape.slice(1);
  const lift = (a: number[], fill: number) => [...new Array<number>(3 - rank).fill(fill), ...a];
  const [inD, inH, inW] = lift(inSize, 1);
  const [outD, outH, outW] = lift(outSize, 1);
  // PyTorch: bin i covers [⌊i·N/out⌋, ⌈(i+1)·N/out⌉).
  const start = (i: number, n: number, m: number) => Math.floor((i * n) / m);
  const end = (i: number, n: number, m: number) => Math.ceil(((i + 1) * n) / m);
  const channels = x.shape[0];
  const inSlice = inH * inW;
  const inPlane = inD * inSlice;
  const out = new Float32Array(channels * outD * outH * outW);
  const xd = x.data;
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const base = c * inPlane;
    for (let od = 0; od < outD; od++) {
      const d0 = start(od, inD, outD), d1 = end(od, inD, outD);
      for (let oh = 0; oh < outH; oh++) {
        const h0 = start(oh, inH, outH), h1 = end(oh, inH, outH);
        for (let ow = 0; ow < outW; ow++, o++) {
          const w0 = start(ow, inW, outW), w1 = end(ow, inW, outW);
          let acc = reduce === 'avg' ? 0 : -Infinity;
          for (let id = d0; id < d1; id++) {
            for (let ih = h0; ih < h1; ih++) {
              const row = base + id * inSlice + ih * inW;
              for (let iw = w0; iw < w1; iw++) {
                const v = xd[row + iw];
                if (reduce === 'avg') acc += v;
                else if (v > acc || Number.isNaN(v)) acc = v;
              }
            }
          }
          out[o] = reduce === 'avg' ? acc / ((d1 - d0) * (h1 - h0) * (w1 - w0)) : acc;
        }
      }
    }
  }
  return { shape: [channels, ...outSize], data: out };
}

/** PyTorch's `adaptive_avg_pool{1,2,3}d`. */
export function adaptiveAvgPool(input: TensorLike, outputSize: AdaptiveSize): Tensor {
  return adaptive('adaptiveAvgPool', input, outputSize, 'avg');
}

/** PyTorch's `adaptive_max_pool{1,2,3}d` (values only). */
export function adaptiveMaxPool(input: TensorLike, outputSize: AdaptiveSize): Tensor {
  return adaptive('adaptiveMaxPool', input, outputSize, 'max');
}

/** Mean over every spatial position: C×… → C×1×…×1 (keeps the rank, like adaptive pooling to 1). */
export function globalAvgPool(input: TensorLike): Tensor {
  const x = asTensor(input);
  const channels = x.shape[0];
  const plane = x.data.length / Math.max(channels, 1);
  const out = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let i = c * plane, end = i + plane; i < end; i++) sum += x.data[i];
    out[c] = sum / plane;
  }
  return { shape: [channels, ...x.shape.slice(1).map(() => 1)], data: out };
}
