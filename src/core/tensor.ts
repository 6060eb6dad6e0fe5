/**
 * Tensors for the numeric core: a shape and a flat Float32Array, row-major.
 *
 * Layout is channels first without a batch dimension: C×L, C×H×W or C×D×H×W.
 * Conv weights are [C_out, C_in/groups, k…]; transposed-conv weights are
 * [C_in, C_out/groups, k…], as in PyTorch.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Anything with a shape and float data; every kernel accepts it in place of a Tensor. */
export type TensorLike = { readonly shape: readonly number[]; readonly data: Float32Array | ArrayLike<number> };

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The most elements a tensor may have: a Float32Array's limit in every engine ConvLens runs on. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31;

/**
 * Throws unless `shape` is an array of whole numbers ≥ 0 whose product fits a
 * Float32Array: a TypeError for the wrong kind of value, a RangeError for a
 * wrong size, each naming `what`.
 */
export function checkShape(shape: unknown, what = 'tensor'): asserts shape is readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: shape must be an array of sizes, got ${describe(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number') throw new TypeError(`${what}: shape[${i}] must be a number, got ${describe(d)}`);
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`${what}: shape[${i}] must be a whole number ≥ 0, got ${d}`);
  }
  const n = numel(shape);
  if (n > MAX_TENSOR_ELEMENTS) throw new RangeError(`${what}: shape [${shape.join(', ')}] has ${n} elements, more than the limit of ${MAX_TENSOR_ELEMENTS}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * Builds a tensor. Without data it is zero-filled; plain number arrays are
 * copied into a Float32Array. Throws when the shape is not whole numbers ≥ 0
 * or the data length does not match.
 */
export function tensor(shape: readonly number[], data?: Float32Array | ArrayLike<number>, what = 'tensor'): Tensor {
  checkShape(shape, what);
  const n = numel(shape);
  if (data !== undefined && (data === null || typeof data !== 'object' || typeof (data as ArrayLike<number>).length !== 'number')) {
    throw new TypeError(`${what}: data must be a Float32Array or an array of numbers, got ${describe(data)}`);
  }
  if (data !== undefined && data.length !== n) throw new RangeError(`${what}: shape [${shape.join(', ')}] needs ${n} values, got ${data.length}`);
  const values = data === undefined ? new Float32Array(n) : data instanceof Float32Array ? data : Float32Array.from(data);
  return { shape: [...shape], data: values };
}

export function zeros(shape: readonly number[]): Tensor {
  return tensor(shape);
}

/**
 * Accepts a Tensor or `{shape, data}` with any numeric array data, after
 * checking that the shape is valid and the data exactly as long as it needs
 * (a shorter array would have a kernel read memory it does not own). `what`
 * names the argument in the error, e.g. `conv input`.
 */
export function asTensor(x: TensorLike, what = 'tensor'): Tensor {
  if (x === null || typeof x !== 'object') throw new TypeError(`${what}: expected { shape, data }, got ${describe(x)}`);
  if (!(x.data instanceof Float32Array)) return tensor(x.shape, x.data, what);
  checkShape(x.shape, what);
  const n = numel(x.shape);
  if (x.data.length !== n) throw new RangeError(`${what}: shape [${x.shape.join(', ')}] needs ${n} values, got ${x.data.length}`);
  return x as Tensor;
}

/** Same data, new shape (no copy). Throws if the element counts differ. */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x, 'reshape');
  checkShape(shape, 'reshape');
  if (numel(shape) !== t.data.length) {
    throw new Error(`reshape: cannot view [${t.shape.join(', ')}] as [${shape.join(', ')}]`);
  }
  return { shape: [...shape], data: t.data };
}

export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}
