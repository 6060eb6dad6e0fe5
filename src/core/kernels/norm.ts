/** Normalisation layers (inference), CHW layout. */
import { asTensor, type Tensor, type TensorLike } from '../tensor';

type Vec = Float32Array | ArrayLike<number>;

export interface BatchNormOptions {
  readonly mean: Vec;
  readonly variance: Vec;
  /** Scale γ; omitted means 1. */
  readonly gamma?: Vec | null;
  /** Shift β; omitted means 0. */
  readonly beta?: Vec | null;
  /** Default 1e-5, as in PyTorch. */
  readonly eps?: number;
}

function checkLength(what: string, name: string, v: Vec | null | undefined, n: number): void {
  if (v !== null && v !== undefined && v.length !== n) throw new Error(`${what}: ${name} has ${v.length} values, expected ${n}`);
}

/** Inference batch norm with running statistics: y = (x − μ)/√(σ² + ε)·γ + β per channel. */
export function batchNorm(input: TensorLike, options: BatchNormOptions): Tensor {
  const x = asTensor(input);
  const channels = x.shape[0];
  const eps = options.eps ?? 1e-5;
  for (const [name, v] of [['mean', options.mean], ['variance', options.variance], ['gamma', options.gamma], ['beta', options.beta]] as const) {
    checkLength('batchNorm', name, v, channels);
  }
  const plane = channels === 0 ? 0 : x.data.length / channels;
  const out = new Float32Array(x.data.length);
  for (let c = 0; c < channels; c++) {
    const scale = (options.gamma ? options.gamma[c] : 1) / Math.sqrt(options.variance[c] + eps);
    const shift = (options.beta ? options.beta[c] : 0) - options.mean[c] * scale;
    for (let i = c * plane, end = i + plane; i < end; i++) out[i] = x.data[i] * scale + shift;
  }
  return { shape: [...x.shape], data: out };
}

export interface LayerNormOptions {
  readonly gamma?: Vec | null;
  readonly beta?: Vec | null;
  /**
   * `channels`: normalise over C at every position (ConvNeXt's LayerNorm2d);
   * `last`: over the last axis. Default: `last` for a vector, `channels` otherwise.
   */
  readonly axis?: 'channels' | 'last';
  /** Default 1e-6 over channels (ConvNeXt), 1e-5 over the last axis (PyTorch's nn.LayerNorm). */
  readonly eps?: number;
}

/** Layer norm with biased variance, as PyTorch. γ and β have one value per normalised element. */
export function layerNorm(input: TensorLike, options: LayerNormOptions = {}): Tensor {
  const x = asTensor(input);
  const axis = options.axis ?? (x.shape.length === 1 ? 'last' : 'channels');
  const out = new Float32Array(x.data.length);
  const xd = x.data;
  const { gamma, beta } = options;
  if (axis === 'last') {
    const eps = options.eps ?? 1e-5;
    const n = x.shape[x.shape.length - 1];
    checkLength('layerNorm', 'gamma', gamma, n);
    checkLength('layerNorm', 'beta', beta, n);
    for (let base = 0; base < xd.length; base += n) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += xd[base + i];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) {
        const d = xd[base + i] - mean;
        v += d * d;
      }
      const inv = 1 / Math.sqrt(v / n + eps);
      for (let i = 0; i < n; i++) {
        out[base + i] = (xd[base + i] - mean) * inv * (gamma ? gamma[i] : 1) + (beta ? beta[i] : 0);
      }
    }
  } else {
    const eps = options.eps ?? 1e-6;
    const channels = x.shape[0];
    checkLength('layerNorm', 'gamma', gamma, channels);
    checkLength('layerNorm', 'beta', beta, channels);
    const plane = channels === 0 ? 0 : xd.length / channels;
    const mean = new Float64Array(plane);
    const sq = new Float64Array(plane);
    for (let c = 0; c < channels; c++) {
      for (let p = 0, i = c * plane; p < plane; p++, i++) mean[p] += xd[i];
    }
    for (let p = 0; p < plane; p++) mean[p] /= channels;
    for (let c = 0; c < channels; c++) {
      for (let p = 0, i = c * plane; p < plane; p++, i++) {
        const d = xd[i] - mean[p];
        sq[p] += d * d;
      }
    }
    for (let p = 0; p < plane; p++) sq[p] = 1 / Math.sqrt(sq[p] / channels + eps);
    for (let c = 0; c < channels; c++) {
      const gc = gamma ? gamma[c] : 1;
      const bc = beta ? beta[c] : 0;
      for (let p = 0, i = c * plane; p < plane; p++, i++) out[i] = (xd[i] - mean[p]) * sq[p] * gc + bc;
    }
  }
  return { shape: [...x.shape], data: out };
}

export interface GroupNormOptions {
  readonly groups: number;
  /** Per-channel affine parameters; omitted means γ = 1, β = 0. */
  readonly gamma?: Vec | null;
  readonly beta?: Vec | null;
  /** Default 1e-5, as in PyTorch. */
  readonly eps?: number;
}

/** Group norm: statistics over each group of C/groups channels and all positions (biased variance). */
export function groupNorm(input: TensorLike, options: GroupNormOptions): Tensor {
  const x = asTensor(input);
  const channels = x.shape[0];
  const { groups, gamma, beta } = options;
  if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
    throw new Error(`groupNorm: ${channels} channels are not divisible into ${groups} groups`);
  }
  checkLength('groupNorm', 'gamma', gamma, channels);
  checkLength('groupNorm', 'beta', beta, channels);
  const eps = options.eps ?? 1e-5;
  const plane = channels === 0 ? 0 : x.data.length / channels;
  const perGroup = channels / groups;
  const n = perGroup * plane;
  const out = new Float32Array(x.data.length);
  const xd = x.data;
  for (let grp = 0; grp < groups; grp++) {
    const start = grp * n;
    let mean = 0;
    for (let i = start; i < start + n; i++) mean += xd[i];
    mean /= n;
    let v = 0;
    for (let i = start; i < start + n; i++) {
      const d = xd[i] - mean;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / n + eps);
    for (let cg = 0; cg < perGroup; cg++) {
      const c = grp * perGroup + cg;
      const scale = inv * (gamma ? gamma[c] : 1);
      const shift = (beta ? beta[c] : 0) - mean * scale;
      for (let i = c * plane, end = i + plane; i < end; i++) out[i] = xd[i] * scale + shift;
    }
  }
  return { shape: [...x.shape], data: out };
}
