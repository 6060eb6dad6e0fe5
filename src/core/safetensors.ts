/**
 * A `.safetensors` reader over a Uint8Array (no file I/O: callers read the bytes).
 *
 * Layout: an unsigned 64-bit little-endian header length N, N bytes of UTF-8
 * JSON mapping each tensor name to `{dtype, shape, data_offsets: [begin, end]}`
 * (offsets relative to the end of the header; an optional `__metadata__` entry
 * maps strings to strings), then the raw little-endian tensor bytes.
 *
 * Floats in F32, F16, BF16 and F64 are read as float32; other dtypes are
 * listed but refuse conversion with a clear error.
 */

/** Thrown for a malformed file, or a missing, misshapen or unreadable tensor. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
}

export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Byte range within the data section (after the header). */
  readonly begin: number;
  readonly end: number;
}

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};

/** Float dtypes `SafetensorsFile.float32` converts. */
export const READABLE_DTYPES: readonly string[] = ['F32', 'F16', 'BF16', 'F64'];

/** Headers above this are refused: a header is JSON metadata, not data. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** A parsed file: the header is checked up front, tensors are converted on request. */
export class SafetensorsFile {
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  readonly metadata: Readonly<Record<string, string>>;
  private readonly data: Uint8Array;

  /** Parses and validates the header; throws `SafetensorsError` when the file is malformed or truncated. */
  constructor(bytes: Uint8Array) {
    if (bytes.length < 8) throw new SafetensorsError(`not a safetensors file: ${bytes.length} bytes, shorter than the 8-byte header length`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
    if (headerLength > MAX_HEADER_BYTES) throw new SafetensorsError(`not a safetensors file: header length ${headerLength} is implausibly large`);
    if (8 + headerLength > bytes.length) {
      throw new SafetensorsError(`truncated file: the header needs ${headerLength} bytes but only ${bytes.length - 8} follow`);
    }
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
    } catch (error) {
      throw new SafetensorsError(`not a safetensors file: the header is not valid JSON (${(error as Error).message})`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('not a safetensors file: the header is not a JSON object');
    this.data = bytes.subarray(8 + headerLength);
    const entries = new Map<string, SafetensorsEntry>();
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
      if (name === '__metadata__') {
        if (typeof raw === 'object' && raw !== null) metadata = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
        continue;
      }
      entries.set(name, parseEntry(name, raw, this.data.length));
    }
    this.entries = entries;
    this.metadata = metadata;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * The tensor as float32 with its stored shape. F32 data is a view when it is
   * 4-byte aligned, otherwise a copy; other float types are converted.
   */
  float32(name: string): { readonly shape: readonly number[]; readonly data: Float32Array } {
    const entry = this.entries.get(name);
    if (!entry) throw new SafetensorsError(`missing tensor \`${name}\``);
    const bytes = this.data.subarray(entry.begin, entry.end);
    const n = entry.shape.reduce((a, b) => a * b, 1);
    return { shape: entry.shape, data: toFloat32(entry, bytes, n) };
  }
}

function parseEntry(name: string, raw: unknown, dataLength: number): SafetensorsEntry {
  const bad = (why: string) => new SafetensorsError(`tensor \`${name}\`: ${why}`);
  if (typeof raw !== 'object' || raw === null) throw bad('its header entry is not an object');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in BYTES_PER_ELEMENT)) throw bad(`unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw bad(`invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0) || offsets[1] < offsets[0]) {
    throw bad(`invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = (shape as number[]).reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[dtype];
  if (end - begin !== expected) throw bad(`holds ${end - begin} bytes, but ${dtype} [${shape.join(', ')}] needs ${expected}`);
  if (end > dataLength) throw new SafetensorsError(`truncated file: tensor \`${name}\` ends at byte ${end} of the data, which has only ${dataLength}`);
  return { name, dtype, shape: shape as number[], begin, end };
}

function toFloat32(entry: SafetensorsEntry, bytes: Uint8Array, n: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (entry.dtype) {
    case 'F32': {
      if (bytes.byteOffset % 4 === 0 && littleEndianHost()) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return new Float32Array(bits.buffer);
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    }
    default:
      throw new SafetensorsError(`tensor \`${entry.name}\` has dtype ${entry.dtype}; weights must be ${READABLE_DTYPES.join(', ')}`);
  }
}

/** IEEE 754 binary16 → number (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

let littleEndian: boolean | undefined;
function littleEndianHost(): boolean {
  littleEndian ??= new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  return littleEndian;
}

/** Tensors for `encodeSafetensors`: float32 data written as F32, or F16 when asked. */
export interface SafetensorsInput {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly dtype?: 'F32' | 'F16';
}

/**
 * Writes a `.safetensors` file (names sorted, data 8-byte aligned). Used by
 * tests and tools; F16 rounds to nearest even.
 */
export function encodeSafetensors(tensors: Readonly<Record<string, SafetensorsInput>>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const t = tensors[name];
    const size = t.data.length * (t.dtype === 'F16' ? 2 : 4);
    header[name] = { dtype: t.dtype ?? 'F32', shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  if (metadata) header.__metadata__ = metadata;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name];
    for (let i = 0; i < t.data.length; i++) {
      if (t.dtype === 'F16') {
        view.setUint16(pos, floatToHalf(t.data[i]), true);
        pos += 2;
      } else {
        view.setFloat32(pos, t.data[i], true);
        pos += 4;
      }
    }
  }
  return out;
}

/** number → IEEE 754 binary16 bits, rounding to nearest even. */
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let h = sign | (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
  return h;
}
