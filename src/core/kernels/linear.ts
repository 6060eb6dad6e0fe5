/** Fully connected layer. */
import { asTensor, type Tensor, type TensorLike } from '../tensor';
import { wasmLinear } from '../wasm';

/**
 * y = x·Wᵀ + b over the last axis: input [..., F], weight [O, F], bias [O] or
 * null; output [..., O]. WebAssembly SIMD when available (float32, four lanes);
 * otherwise dot products accumulate in double, four lanes at a time.
 */
export function linear(input: TensorLike, weight: TensorLike, bias: TensorLike | null): Tensor {
  const x = asTensor(input, 'linear input');
  const w = asTensor(weight, 'linear weight');
  const b = bias == null ? null : asTensor(bias, 'linear bias');
  if (x.shape.length < 1) throw new Error('linear: input must have at least one axis');
  const F = x.shape[x.shape.length - 1];
  if (w.shape.length !== 2 || w.shape[1] !== F) {
    throw new Error(`linear: weight [${w.shape.join(', ')}] does not take ${F} input features`);
  }
  const O = w.shape[0];
  if (b !== null && b.data.length !== O) throw new Error(`linear: bias has ${b.data.length} values for ${O} outputs`);
  const rows = F === 0 ? 0 : x.data.length / F;
  const out = new Float32Array(rows * O);
  if (wasmLinear(x.data, w.data, b?.data ?? null, out, rows, F, O)) return { shape: [...x.shape.slice(0, -1), O], data: out };
  const xd = x.data;
  const wd = w.data;
  const F4 = F - (F % 4);
  for (let r = 0; r < rows; r++) {
    const xr = r * F;
    for (let o = 0; o < O; o++) {
      const wr = o * F;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let f = 0;
      for (; f < F4; f += 4) {
        s0 += xd[xr + f] * wd[wr + f];
        s1 += xd[xr + f + 1] * wd[wr + f + 1];
        s2 += xd[xr + f + 2] * wd[wr + f + 2];
        s3 += xd[xr + f + 3] * wd[wr + f + 3];
      }
      for (; f < F; f++) s0 += xd[xr + f] * wd[wr + f];
      out[r * O + o] = s0 + s1 + s2 + s3 + (b === null ? 0 : b.data[o]);
    }
  }
  return { shape: [...x.shape.slice(0, -1), O], data: out };
}
