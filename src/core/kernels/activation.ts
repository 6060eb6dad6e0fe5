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

/**
 * erf by piecewise Taylor polynomials, for speed (GELU calls it per element).
 * Centres c = k/32 on [0, 6]; around each, erf(c + t) = Σ_j a_j t^j (j ≤ 8) with
 * a_0 = erf(c) from the series and, for j ≥ 1, a_j = erf⁽ʲ⁾(c)/j! where
 * erf⁽ʲ⁾(c) = (2/√π)(−1)^{j−1} H_{j−1}(c) e^{−c²} (physicists' Hermite
 * polynomials). With |t| ≤ 1/64 the truncation error is below 1e-16; beyond 6,
 * erf = ±1 to double precision (erfc(6) ≈ 2e-17).
 */
const ERF_STEPS = 32;
const ERF_DEGREE = 8;
const ERF_LIMIT = 6;
const ERF_TABLE = buildErfTable();

function buildErfTable(): Float64Array {
  const centres = ERF_LIMIT * ERF_STEPS + 1;
  const table = new Float64Array(centres * (ERF_DEGREE + 1));
  for (let k = 0; k < centres; k++) {
    const c = k / ERF_STEPS;
    const base = k * (ERF_DEGREE + 1);
    table[base] = erfSeriesOrTail(c);
    const g = TWO_OVER_SQRT_PI * Math.exp(-c * c);
    let hPrev = 0; // H_{n−1}
    let h = 1; // H_n, starting at n = 0
    let factorial = 1;
    for (let j = 1; j <= ERF_DEGREE; j++) {
      const n = j - 1;
      factorial *= j;
      table[base + j] = ((n % 2 === 0 ? 1 : -1) * h * g) / factorial;
      const next = 2 * c * h - 2 * n * hPrev;
      hPrev = h;
      h = next;
    }
  }
  return table;
}

function erfSeriesOrTail(x: number): number {
  return Math.abs(x) < 2.5 ? erfSeries(x) : 1 - erfc(x);
}

/** Error function, within about 2e-15 absolute (and relative near 0); see ERF_TABLE. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < ERF_LIMIT)) return Number.isNaN(x) ? NaN : x > 0 ? 1 : -1;
  const k = Math.round(ax * ERF_STEPS);
  const t = ax - k / ERF_STEPS;
  const b = k * (ERF_DEGREE + 1);
  const T = ERF_TABLE;
  const v = T[b] + t * (T[b + 1] + t * (T[b + 2] + t * (T[b + 3] + t * (T[b + 4] + t * (T[b + 5] + t * (T[b + 6] + t * (T[b + 7] + t * T[b + 8])))))));
  return x < 0 ? -v : v;
}

function unary(input: TensorLike): { x: Tensor; out: Float32Array } {
  const x = asTensor(input);
  return { x, out: new Float32Array(x.data.length) };
}

// Each activation has its own loop (not `map`) so that V8 inlines the arithmetic.

export function relu(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) {
    const v = d[i];
    // Branch-free (signs are unpredictable, a branch mispredicts half the time); exact for finite v.
    const r = 0.5 * (v + Math.abs(v));
    out[i] = r === r ? r : v === v ? 0 : v; // −∞ + ∞ = NaN: fix up rare non-finite inputs
  }
  return { shape: [...x.shape], data: out };
}

export function relu6(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) out[i] = clamp6(d[i]);
  return { shape: [...x.shape], data: out };
}

/** max(0, x) + slope·min(0, x); PyTorch's default slope is 0.01. */
export function leakyRelu(input: TensorLike, options: { readonly slope?: number } = {}): Tensor {
  const slope = options.slope ?? 0.01;
  const { x, out } = unary(input);
  const d = x.data;
  const up = 0.5 * (1 + slope);
  const down = 0.5 * (1 - slope);
  for (let i = 0; i < out.length; i++) {
    const v = d[i];
    // max(0, v) + slope·min(0, v) = ½(1+slope)·v + ½(1−slope)·|v|, branch-free.
    const r = up * v + down * Math.abs(v);
    out[i] = r === r ? r : v === v ? (v > 0 ? v : v * slope) : v;
  }
  return { shape: [...x.shape], data: out };
}

/**
 * Parametric ReLU (`nn.PReLU`): `x` above 0, `a·x` otherwise, with learned
 * slopes `a`: one shared by every channel, or one per channel (axis 0; the
 * features of a flat vector). The same expression as PyTorch's, so NaN stays
 * NaN and −0 becomes `a·−0`.
 */
export function prelu(input: TensorLike, slopes: ArrayLike<number>): Tensor {
  const { x, out } = unary(input);
  const channels = x.shape[0] ?? 1;
  if (slopes.length !== 1 && slopes.length !== channels) {
    throw new Error(`prelu: ${slopes.length} slopes for ${channels} channels (give 1, or one per channel)`);
  }
  const d = x.data;
  const plane = channels > 0 ? d.length / channels : 0;
  for (let c = 0, i = 0; c < channels; c++) {
    const a = slopes.length === 1 ? slopes[0] : slopes[c];
    for (const end = i + plane; i < end; i++) {
      const v = d[i];
      out[i] = v > 0 ? v : a * v;
    }
  }
  return { shape: [...x.shape], data: out };
}

/** Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)) (PyTorch's default, approximate='none'). */
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU, x·Φ(x). `approximate: 'tanh'` is PyTorch's
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the form GPT-2-era models use.
 */
export function gelu(input: TensorLike, options: { readonly approximate?: 'none' | 'tanh' } = {}): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  if (options.approximate === 'tanh') {
    for (let i = 0; i < out.length; i++) {
      const v = d[i];
      out[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    }
  } else {
    for (let i = 0; i < out.length; i++) {
      const v = d[i];
      out[i] = 0.5 * v * (1 + erf(v * Math.SQRT1_2));
    }
  }
  return { shape: [...x.shape], data: out };
}

export function sigmoid(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) out[i] = sigmoidScalar(d[i]);
  return { shape: [...x.shape], data: out };
}

/** x·σ(x) (swish). */
export function silu(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) {
    const v = d[i];
    out[i] = v * sigmoidScalar(v);
  }
  return { shape: [...x.shape], data: out };
}

/** x·relu6(x + 3)/6. */
export function hardswish(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) {
    const v = d[i];
    // PyTorch forms x·relu6(x + 3) in float32 before dividing; fround keeps its overflow to ∞ for huge x.
    out[i] = Math.fround(v * clamp6(v + 3)) / 6;
  }
  return { shape: [...x.shape], data: out };
}

/** relu6(x + 3)/6. */
export function hardsigmoid(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) out[i] = clamp6(d[i] + 3) / 6;
  return { shape: [...x.shape], data: out };
}

export function tanh(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(d[i]);
  return { shape: [...x.shape], data: out };
}

export function abs(input: TensorLike): Tensor {
  const { x, out } = unary(input);
  const d = x.data;
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(d[i]);
  return { shape: [...x.shape], data: out };
}

/**
 * min(max(v, 0), 6), keeping NaN. Branch-free for ordinary v: ½(|v| − |v − 6|) + 3,
 * which is off by at most ~4e-16 absolute (when v − 6 rounds, e.g. for tiny v).
 * Huge and non-finite v take the (rare, well-predicted) exact branch.
 */
function clamp6(v: number): number {
  if (!(Math.abs(v) < 1e7)) return v !== v ? v : v > 0 ? 6 : 0;
  return 0.5 * (Math.abs(v) - Math.abs(v - 6)) + 3;
}

/** For very negative v, exp(−v) overflows to ∞ and 1/∞ = 0 is the right answer; no branch needed. */
function sigmoidScalar(v: number): number {
  return 1 / (1 + Math.exp(-v));
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
