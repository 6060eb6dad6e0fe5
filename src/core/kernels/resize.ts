/** Upsampling (F.interpolate) over 1–3 spatial axes, PyTorch semantics. */
import { asTensor, type Tensor, type TensorLike } from '../tensor';

export interface UpsampleOptions {
  /** `nearest` (PyTorch's legacy nearest, not nearest-exact) or `linear` (bilinear/trilinear), align_corners=false. */
  readonly mode: 'nearest' | 'linear' | 'bilinear' | 'trilinear';
  /** Scale factor per spatial axis (or one for all). Give this or `size`. */
  readonly scale?: number | readonly number[];
  /** Output spatial size per axis (or one for all). */
  readonly size?: number | readonly number[];
}

/**
 * PyTorch's F.interpolate without the batch axis. With a scale factor the
 * source coordinate uses 1/scale (PyTorch's default, recompute_scale_factor
 * unset); with a size it uses in/out. Linear modes map dst → (dst + ½)·r − ½,
 * clamped at 0; nearest maps dst → ⌊dst·r⌋.
 */
export function upsample(input: TensorLike, options: UpsampleOptions): Tensor {
  const x = asTensor(input);
  const rank = x.shape.length - 1;
  if (rank < 1 || rank > 3) throw new Error(`upsample: input must be C×L, C×H×W or C×D×H×W, got [${x.shape.join(', ')}]`);
  const inSize = x.shape.slice(1);
  const everyAxis = (v: number | readonly number[]) => (typeof v === 'number' ? new Array<number>(rank).fill(v) : [...v]);
  let outSize: number[];
  let ratio: number[];
  if (options.size !== undefined) {
    outSize = everyAxis(options.size);
    ratio = outSize.map((o, i) => inSize[i] / o);
  } else if (options.scale !== undefined) {
    const scale = everyAxis(options.scale);
    outSize = inSize.map((n, i) => Math.floor(n * scale[i]));
    ratio = scale.map((s) => 1 / s);
  } else {
    throw new Error('upsample: give a scale or a size');
  }
  if (outSize.length !== rank || outSize.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`upsample: output size [${outSize.join(', ')}] is not valid for a ${rank}D input`);
  }
  const linear = options.mode !== 'nearest';
  // Resample one axis at a time; linear interpolation is separable, nearest trivially so.
  let cur: Tensor = x;
  for (let axis = 0; axis < rank; axis++) {
    if (outSize[axis] === cur.shape[axis + 1] && ratio[axis] === 1) continue;
    cur = resampleAxis(cur, axis + 1, outSize[axis], ratio[axis], linear);
  }
  return cur === x ? { shape: [...x.shape], data: x.data.slice() } : cur;
}

function resampleAxis(x: Tensor, axis: number, outN: number, ratio: number, linear: boolean): Tensor {
  const inN = x.shape[axis];
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= x.shape[i];
  let inner = 1;
  for (let i = axis + 1; i < x.shape.length; i++) inner *= x.shape[i];
  const i0 = new Int32Array(outN);
  const i1 = new Int32Array(outN);
  const l1 = new Float64Array(outN);
  for (let o = 0; o < outN; o++) {
    if (linear) {
      const src = Math.max((o + 0.5) * ratio - 0.5, 0);
      const lo = Math.min(Math.floor(src), inN - 1);
      i0[o] = lo;
      i1[o] = Math.min(lo + 1, inN - 1);
      l1[o] = src - lo;
    } else {
      // PyTorch computes this index in float32; matching it keeps ⌊·⌋ on the same side of an integer.
      i0[o] = Math.min(Math.floor(Math.fround(o * Math.fround(ratio))), inN - 1);
      i1[o] = i0[o];
      l1[o] = 0;
    }
  }
  const shape = [...x.shape];
  shape[axis] = outN;
  const out = new Float32Array(outer * outN * inner);
  const xd = x.data;
  for (let a = 0; a < outer; a++) {
    const src = a * inN * inner;
    const dst = a * outN * inner;
    for (let o = 0; o < outN; o++) {
      const r0 = src + i0[o] * inner;
      const r1 = src + i1[o] * inner;
      const w1 = l1[o];
      const w0 = 1 - w1;
      const d = dst + o * inner;
      for (let j = 0; j < inner; j++) out[d + j] = w0 * xd[r0 + j] + w1 * xd[r1 + j];
    }
  }
  return { shape, data: out };
}
