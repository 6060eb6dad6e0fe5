/** Elementwise activations and channel softmax, PyTorch semantics. */
import { asTensor, type Tensor, type TensorLike } from '../tensor';

/** Applies f to every element into a new tensor of the same shape. */
export function map(input: TensorLike, f: (v: number) => number): Tensor {
  const x = asTensor(input);
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i]);
  return { shape: [...x.shape], data: out };
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/**
 * Complementary error function, accurate to about 1e-15 relative in double.
 *
 * For |x| < 2.5: erf(x) = (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)), a series of
 * positive terms (no cancellation). For x ≥ 2.5 the continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated
 * bottom-up; for x ≤ −2.5, erfc(x) = 2 − erfc(−x).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) return 1 - erfSeries(x);
  if (ax > 27) return x > 0 ? 0 : 2;
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f;
  const tail = (Math.exp(-ax * ax) * ONE_OVER_SQRT_PI) / f;
  return x > 0 ? tail : 2 - tail;
}

/** Error function; see `erfc` for the method. */
export function erf(x: number): number {
  if (Math.abs(x) < 2.5) return erfSeries(x);
  return 1 - erfc(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

export const relu = (x: TensorLike): Tensor => map(x, (v) => (v > 0 ? v : v === v ? 0 : v));
export const relu6 = (x: TensorLike): Tensor => map(x, (v) => (v !== v ? v : Math.min(Math.max(v, 0), 6)));
/** max(0, x) + slope·min(0, x); PyTorch's default slope is 0.01. */
export const leakyRelu = (x: TensorLike, options: { readonly slope?: number } = {}): Tensor => {
  const slope = options.slope ?? 0.01;
  return map(x, (v) => (v >= 0 ? v : v * slope));
};
/** Exact GELU, x·Φ(x) = x/2·erfc(−x/√2) (PyTorch's default, approximate='none'). */
export const gelu = (x: TensorLike): Tensor => map(x, (v) => 0.5 * v * erfc(-v * Math.SQRT1_2));
export const sigmoid = (x: TensorLike): Tensor => map(x, sigmoidScalar);
export const silu = (x: TensorLike): Tensor => map(x, (v) => v * sigmoidScalar(v));
/** x·relu6(x + 3)/6. */
export const hardswish = (x: TensorLike): Tensor => map(x, (v) => (v * clamp6(v + 3)) / 6);
/** relu6(x + 3)/6. */
export const hardsigmoid = (x: TensorLike): Tensor => map(x, (v) => clamp6(v + 3) / 6);
export const tanh = (x: TensorLike): Tensor => map(x, Math.tanh);
export const abs = (x: TensorLike): Tensor => map(x, Math.abs);

function clamp6(v: number): number {
  return v !== v ? v : Math.min(Math.max(v, 0), 6);
}

/** Written so that exp never overflows. */
function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * Softmax over dim 0: across channels at every position for C×…, and over the
 * whole vector for a flat [F] (where dim 0 is the only axis). Max-subtracted.
 */
export function softmax(input: TensorLike): Tensor {
  const x = asTensor(input);
  const n = x.shape.length === 0 ? 1 : x.shape[0];
  const plane = n === 0 ? 0 : x.data.length / n;
  const out = new Float32Array(x.data.length);
  const xd = x.data;
  for (let p = 0; p < plane; p++) {
    let max = -Infinity;
    for (let c = 0, i = p; c < n; c++, i += plane) if (xd[i] > max) max = xd[i];
    let sum = 0;
    const e = new Float64Array(n);
    for (let c = 0, i = p; c < n; c++, i += plane) {
      e[c] = Math.exp(xd[i] - max);
      sum += e[c];
    }
    for (let c = 0, i = p; c < n; c++, i += plane) out[i] = e[c] / sum;
  }
  return { shape: [...x.shape], data: out };
}

/** Names accepted by `activation`. */
export type ActivationName = 'relu' | 'relu6' | 'leakyRelu' | 'gelu' | 'silu' | 'sigmoid' | 'hardswish' | 'hardsigmoid' | 'tanh' | 'abs' | 'softmax';

/** Dispatch by name, for model execution. */
export function activation(name: ActivationName, x: TensorLike, options: { readonly slope?: number } = {}): Tensor {
  switch (name) {
    case 'relu': return relu(x);
    case 'relu6': return relu6(x);
    case 'leakyRelu': return leakyRelu(x, options);
    case 'gelu': return gelu(x);
    case 'silu': return silu(x);
    case 'sigmoid': return sigmoid(x);
    case 'hardswish': return hardswish(x);
    case 'hardsigmoid': return hardsigmoid(x);
    case 'tanh': return tanh(x);
    case 'abs': return abs(x);
    case 'softmax': return softmax(x);
  }
}
