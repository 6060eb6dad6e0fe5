/** Shape and elementwise tensor operations (no batch axis). */
import { asTensor, numel, reshape, type Tensor, type TensorLike } from '../tensor';

/** All dimensions into one: C×H×W → [C·H·W] (row-major, like torch.flatten on one sample). No copy. */
export function flatten(input: TensorLike): Tensor {
  const x = asTensor(input);
  return reshape(x, [x.data.length]);
}

/**
 * NumPy broadcasting of two shapes (align trailing axes; a size 1 stretches).
 * Returns null when they do not broadcast.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Element strides of `shape` as seen from the broadcast `target` shape (0 on stretched axes). */
function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const t = target.length - shape.length + i;
    strides[t] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

type BinaryOp = 'add' | 'mul';

function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const shape = broadcastShapes(x.shape, y.shape);
  if (shape === null) throw new Error(`${op}: shapes [${x.shape.join(', ')}] and [${y.shape.join(', ')}] do not broadcast`);
  const n = numel(shape);
  const out = new Float32Array(n);
  const xd = x.data;
  const yd = y.data;
  if (xd.length === n && yd.length === n) {
    if (op === 'add') for (let i = 0; i < n; i++) out[i] = xd[i] + yd[i];
    else for (let i = 0; i < n; i++) out[i] = xd[i] * yd[i];
    return { shape, data: out };
  }
  // Walk the output with an odometer over all but the last axis; the last axis is the inner loop.
  // The op is chosen outside the inner loops so each loop stays monomorphic.
  const rank = shape.length;
  const sx = broadcastStrides(x.shape, shape);
  const sy = broadcastStrides(y.shape, shape);
  const inner = rank === 0 ? 1 : shape[rank - 1];
  const ix = rank === 0 ? 0 : sx[rank - 1];
  const iy = rank === 0 ? 0 : sy[rank - 1];
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let ox = 0;
  let oy = 0;
  for (let o = 0; o < n; o += inner) {
    if (op === 'add') for (let j = 0, px = ox, py = oy; j < inner; j++, px += ix, py += iy) out[o + j] = xd[px] + yd[py];
    else for (let j = 0, px = ox, py = oy; j < inner; j++, px += ix, py += iy) out[o + j] = xd[px] * yd[py];
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]++;
      ox += sx[axis];
      oy += sy[axis];
      if (index[axis] < shape[axis]) break;
      ox -= sx[axis] * shape[axis];
      oy -= sy[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return { shape, data: out };
}

/** Elementwise sum with NumPy broadcasting (e.g. C×1×1 + C×H×W). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary('add', a, b);
}

/** Elementwise product with NumPy broadcasting (e.g. a C×1×1 gate times C×H×W). */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', a, b);
}

/** Joins tensors along channels (axis 0); the other axes must match. */
export function concat(inputs: readonly TensorLike[]): Tensor {
  if (inputs.length === 0) throw new Error('concat: needs at least one tensor');
  const xs = inputs.map((t, i) => asTensor(t, `concat input ${i}`));
  const rest = xs[0].shape.slice(1);
  for (const x of xs) {
    if (x.shape.length !== rest.length + 1 || x.shape.slice(1).some((d, i) => d !== rest[i])) {
      throw new Error(`concat: shapes [${xs[0].shape.join(', ')}] and [${x.shape.join(', ')}] differ outside the channel axis`);
    }
  }
  const channels = xs.reduce((s, x) => s + x.shape[0], 0);
  const out = new Float32Array(xs.reduce((s, x) => s + x.data.length, 0));
  let offset = 0;
  for (const x of xs) {
    out.set(x.data, offset);
    offset += x.data.length;
  }
  return { shape: [channels, ...rest], data: out };
}

/** Splits channels into consecutive pieces of the given sizes (which must sum to C). */
export function split(input: TensorLike, sizes: readonly number[]): Tensor[] {
  const x = asTensor(input);
  const channels = x.shape[0];
  const total = sizes.reduce((s, n) => s + n, 0);
  if (total !== channels || sizes.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new Error(`split: sizes [${sizes.join(', ')}] do not add up to ${channels} channels`);
  }
  const plane = channels === 0 ? 0 : x.data.length / channels;
  const rest = x.shape.slice(1);
  const pieces: Tensor[] = [];
  let c0 = 0;
  for (const n of sizes) {
    pieces.push({ shape: [n, ...rest], data: x.data.slice(c0 * plane, (c0 + n) * plane) });
    c0 += n;
  }
  return pieces;
}

/**
 * torch.chunk along channels: pieces of ⌈C/n⌉ channels, the last one smaller;
 * like PyTorch it may return fewer than n pieces (chunk(5 channels, 4) gives 2+2+1).
 */
export function chunk(input: TensorLike, chunks: number): Tensor[] {
  const x = asTensor(input);
  if (!Number.isInteger(chunks) || chunks < 1) throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  const channels = x.shape[0];
  const size = Math.ceil(channels / chunks);
  const sizes: number[] = [];
  for (let c = 0; c < channels; c += size) sizes.push(Math.min(size, channels - c));
  return split(x, sizes);
}

/** ShuffleNet's channel shuffle: view C as [groups, C/groups], transpose, flatten. */
export function channelShuffle(input: TensorLike, groups: number): Tensor {
  const x = asTensor(input);
  const channels = x.shape[0];
  if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
    throw new Error(`channelShuffle: ${channels} channels are not divisible into ${groups} groups`);
  }
  const perGroup = channels / groups;
  const plane = channels === 0 ? 0 : x.data.length / channels;
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < perGroup; i++) {
    for (let g = 0; g < groups; g++) {
      const src = (g * perGroup + i) * plane;
      out.set(x.data.subarray(src, src + plane), (i * groups + g) * plane);
    }
  }
  return { shape: [...x.shape], data: out };
}

/** ConvNeXt's layer scale: every channel times its own γ. */
export function layerScale(input: TensorLike, gamma: Float32Array | ArrayLike<number>): Tensor {
  const x = asTensor(input);
  const channels = x.shape[0];
  if (gamma.length !== channels) throw new Error(`layerScale: gamma has ${gamma.length} values for ${channels} channels`);
  const plane = channels === 0 ? 0 : x.data.length / channels;
  const out = new Float32Array(x.data.length);
  for (let c = 0; c < channels; c++) {
    const s = gamma[c];
    for (let i = c * plane, end = i + plane; i < end; i++) out[i] = x.data[i] * s;
  }
  return { shape: [...x.shape], data: out };
}

/** Dropout and stochastic depth at inference: the identity (returns the input itself). */
export function dropout(input: TensorLike): Tensor {
  return asTensor(input);
}

/** Stochastic depth (drop path) at inference: the identity. */
export const stochasticDepth = dropout;
