/**
 * Where a layer's parameters come from: deterministic PyTorch-style init, hand-set
 * kernels from the spec (`weights=sobel_x`), or a `.safetensors` file.
 *
 * Every parameter has a key `<layer name>.<role>`, as in a PyTorch state dict
 * whose module attributes carry ConvLens's layer names: `conv1.weight`,
 * `conv1.bias`, `batchnorm1.running_mean`. Layer scale's γ is `<name>.weight`.
 */
import type { GraphLayer } from './graph';
import { NAMED_KERNELS, isNamedKernel } from './named-kernels';
import { Random } from './prng';
import { READABLE_DTYPES, SafetensorsError, SafetensorsFile } from './safetensors';
import { formatShape, numel } from './tensor';

export type ParamRole = 'weight' | 'bias' | 'running_mean' | 'running_var';

/** PyTorch's default initialisation of one parameter. */
export type ParamInit =
  /** U(−bound, bound): kaiming-uniform with a=√5 gives bound = 1/√fan_in, for weights and biases alike. */
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'constant'; readonly value: number };

export interface ParamSpec {
  /** `<layer name>.<role>`, the tensor name in a weights file. */
  readonly key: string;
  readonly role: ParamRole;
  readonly shape: readonly number[];
  readonly init: ParamInit;
}

/** Thrown when a weight source cannot provide a parameter; the runner reports it as where and why it stopped. */
export class WeightError extends Error {
  override readonly name = 'WeightError';
}

/** A parameter of `layer`, keyed `<layer name>.<role>`. */
export function paramSpec(layer: GraphLayer, role: ParamRole, shape: readonly number[], init: ParamInit): ParamSpec {
  return { key: `${layer.name}.${role}`, role, shape, init };
}

/** PyTorch's kaiming-uniform(a=√5) init: U(−1/√fan_in, 1/√fan_in), for weights and biases alike. */
export function uniformInit(fanIn: number): ParamInit {
  return { kind: 'uniform', bound: fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0 };
}

export function constantInit(value: number): ParamInit {
  return { kind: 'constant', value };
}

/**
 * The parameters a layer needs, with their shapes and PyTorch's default init;
 * empty for parameter-free layers and while the input shape is unknown. Each
 * kind says what its parameters are (`LayerOp.params`).
 */
export function layerParams(layer: GraphLayer): ParamSpec[] {
  const input = layer.inputShapes[0];
  return input && layer.op.params ? layer.op.params(layer, input) : [];
}

/** Supplies parameter values; `get` throws `WeightError` when it cannot. */
export interface WeightSource {
  /** Float32 values for `param` (exactly `numel(param.shape)` of them, row-major). */
  get(param: ParamSpec, layer: GraphLayer): Float32Array;
  /**
   * Optional: the same values as `get`, in consecutive blocks of `rowsPerBlock`
   * rows (first axis; the last block may be shorter), so that a huge weight
   * (VGG-16's 25088×4096 linear) never exists whole.
   */
  blocks?(param: ParamSpec, layer: GraphLayer, rowsPerBlock: number): Iterable<Float32Array>;
  /** Optional: whether `get` would succeed, without reading (lets `fallbackWeights` pick a source to stream from). */
  has?(param: ParamSpec, layer: GraphLayer): boolean;
}

/**
 * Deterministic init from PyTorch's default distributions, seeded by the model
 * name and the parameter key (so by the layer name): the same file gives the
 * same weights every time, in every runtime.
 */
export function initWeights(modelName: string): WeightSource {
  return {
    has: () => true,
    get(param) {
      const out = new Float32Array(numel(param.shape));
      if (param.init.kind === 'constant') return out.fill(param.init.value);
      return new Random(`${modelName}/${param.key}`).fillUniform(out, param.init.bound);
    },
    *blocks(param, _layer, rowsPerBlock) {
      const rows = param.shape[0] ?? 1;
      const rowSize = numel(param.shape.slice(1));
      const random = param.init.kind === 'uniform' ? new Random(`${modelName}/${param.key}`) : null;
      for (let r = 0; r < rows; r += rowsPerBlock) {
        const out = new Float32Array(Math.min(rowsPerBlock, rows - r) * rowSize);
        if (param.init.kind === 'constant') yield out.fill(param.init.value);
        else yield random!.fillUniform(out, param.init.bound);
      }
    },
  };
}

/** Shapes match when equal, or equal once axes of size 1 are dropped (a C×1×1 scale for a [C] one). */
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  const sa = a.filter((d) => d !== 1);
  const sb = b.filter((d) => d !== 1);
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]);
}

export interface SafetensorsWeights extends WeightSource {
  readonly file: SafetensorsFile;
  /** Keys read so far; names in the file but never read are `unused()`. */
  readonly used: ReadonlySet<string>;
  unused(): string[];
}

/**
 * Weights from a `.safetensors` file, by key (`conv1.weight`, …). A missing
 * tensor, a wrong shape or a dtype that is not a float is a `WeightError` naming
 * the tensor and the layer. `num_batches_tracked` and other extras are ignored.
 * Throws `SafetensorsError` at once when the bytes are not a valid file.
 */
export function safetensorsWeights(source: Uint8Array | SafetensorsFile): SafetensorsWeights {
  const file = source instanceof SafetensorsFile ? source : new SafetensorsFile(source);
  const used = new Set<string>();
  return {
    file,
    used,
    unused: () => [...file.entries.keys()].filter((k) => !used.has(k) && !k.endsWith('num_batches_tracked')),
    has(param) {
      const entry = file.entries.get(param.key);
      return entry !== undefined && sameShape(entry.shape, param.shape) && READABLE_DTYPES.includes(entry.dtype);
    },
    get(param, layer) {
      const entry = file.entries.get(param.key);
      if (!entry) {
        throw new WeightError(`the weights file has no tensor \`${param.key}\` for layer \`${layer.name}\` (${layer.kind}, expects ${formatShape(param.shape)})`);
      }
      if (!sameShape(entry.shape, param.shape)) {
        throw new WeightError(`tensor \`${param.key}\` is ${formatShape(entry.shape)} in the weights file, but layer \`${layer.name}\` needs ${formatShape(param.shape)}`);
      }
      try {
        const t = file.float32(param.key);
        used.add(param.key);
        return t.data;
      } catch (error) {
        if (error instanceof SafetensorsError) throw new WeightError(error.message);
        throw error;
      }
    },
  };
}

/**
 * Tries each source in turn: e.g. a file first, then init for what it lacks.
 * Streams (`blocks`) from the first source that `has` the parameter, when that
 * source can stream.
 */
export function fallbackWeights(...sources: WeightSource[]): WeightSource {
  const combined: WeightSource = {
    has: (param, layer) => sources.some((s) => s.has?.(param, layer) ?? true),
    *blocks(param, layer, rowsPerBlock) {
      const source = sources.find((s) => s.has?.(param, layer) ?? true);
      if (source?.blocks) yield* source.blocks(param, layer, rowsPerBlock);
      else yield combined.get(param, layer);
    },
    get(param, layer) {
      let last: unknown;
      for (const s of sources) {
        try {
          return s.get(param, layer);
        } catch (error) {
          if (!(error instanceof WeightError)) throw error;
          last = error;
        }
      }
      throw last ?? new WeightError(`no weight source for \`${param.key}\``);
    },
  };
  return combined;
}

/**
 * A conv's hand-set kernels (`weights=` in the spec) as a full weight tensor
 * [C_out, C_in/groups, k…]: a name or literal fills every filter, a list gives
 * one kernel per output channel, and each filter applies its kernel to every
 * input channel it sees. Null when the layer has no `weights=`.
 */
export function handKernelWeight(layer: GraphLayer, shape: readonly number[]): Float32Array | null {
  const value = layer.args.weights;
  if (value === undefined) return null;
  const [out, inPerGroup, ...k] = shape;
  const taps = numel(k);
  const kernels = isKernel(value, k.length) ? [value] : (value as readonly unknown[]);
  if (kernels.length !== 1 && kernels.length !== out) {
    throw new WeightError(`\`${layer.name}\`: ${kernels.length} hand-set kernels for ${out} output channels`);
  }
  const weight = new Float32Array(out * inPerGroup * taps);
  for (let o = 0; o < out; o++) {
    const kernel = kernelValues(kernels.length === 1 ? kernels[0] : kernels[o], taps, layer);
    for (let i = 0; i < inPerGroup; i++) weight.set(kernel, (o * inPerGroup + i) * taps);
  }
  return weight;
}

function isKernel(v: unknown, rank: number): boolean {
  if (typeof v === 'string') return true;
  let depth = 0;
  let cur = v;
  while (Array.isArray(cur)) {
    depth++;
    cur = cur[0];
  }
  return typeof cur === 'number' && depth === rank;
}

function kernelValues(v: unknown, taps: number, layer: GraphLayer): number[] {
  if (typeof v === 'string') {
    if (!isNamedKernel(v)) throw new WeightError(`\`${layer.name}\`: \`${v}\` is not a named kernel`);
    const values = NAMED_KERNELS[v];
    if (values.length !== taps) throw new WeightError(`\`${layer.name}\`: \`${v}\` has ${values.length} taps, the kernel ${taps}`);
    return [...values];
  }
  const flat = (v as unknown[]).flat(Infinity as 1) as unknown[];
  if (flat.length !== taps || flat.some((x) => typeof x !== 'number')) {
    throw new WeightError(`\`${layer.name}\`: a hand-set kernel must have ${taps} numbers`);
  }
  return flat as number[];
}
