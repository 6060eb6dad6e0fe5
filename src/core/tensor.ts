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

/**
 * Builds a tensor. Without data it is zero-filled; plain number arrays are
 * copied into a Float32Array. Throws when the data length does not match.
 */
export function tensor(shape: readonly number[], data?: Float32Array | ArrayLike<number>): Tensor {
  const n = numel(shape);
  const values = data === undefined ? new Float32Array(n) : data instanceof Float32Array ? data : Float32Array.from(data);
  if (values.length !== n) throw new Error(`tensor: shape [${shape.join(', ')}] needs ${n} values, got ${values.length}`);
  return { shape: [...shape], data: values };
}

export function zeros(shape: readonly number[]): Tensor {
  return tensor(shape);
}

/** Accepts a Tensor or `{shape, data}` with any numeric array data. */
export function asTensor(x: TensorLike): Tensor {
  return x.data instanceof Float32Array ? (x as Tensor) : tensor(x.shape, x.data);
}

/** Same data, new shape (no copy). Throws if the element counts differ. */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x);
  if (numel(shape) !== t.data.length) {
    throw new Error(`reshape: cannot view [${t.shape.join(', ')}] as [${shape.join(', ')}]`);
  }
  return { shape: [...shape], data: t.data };
}

export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}
