/**
 * WebAssembly SIMD kernels (built from `assembly/` by esbuild.mjs) and the host
 * side of their memory: buffers are copied into the module's linear memory,
 * the kernel runs there, and the result is copied out.
 *
 * The module's bytes are embedded in each bundle as base64 through esbuild's
 * `define`, so nothing here imports a file and a bundle built without them
 * simply runs the TypeScript kernels. There are two builds of it: with relaxed
 * SIMD (fused multiply-add; Chromium ≥ 114, so the preview's worker) and with
 * plain SIMD (Node 20); the first that validates is used. It is compiled
 * synchronously on first use (allowed in Node and in Web Workers).
 * Everything falls back to the TypeScript kernels when WebAssembly or its SIMD
 * proposal is missing, when compiling or instantiating throws (a CSP without
 * 'wasm-unsafe-eval'), or when a layer would need more memory than the limit
 * (`setWasmMemoryLimit`) or the memory cannot grow.
 */
import {
  DEPTHWISE_EXTRA_COLUMNS, GEO_BYTES, GEO_C_IN, GEO_D_D, GEO_D_H, GEO_D_W, GEO_IN_D, GEO_IN_H, GEO_IN_W, GEO_K_D, GEO_K_H, GEO_K_W,
  GEO_OUT_D, GEO_OUT_H, GEO_OUT_W, GEO_P_D, GEO_P_H, GEO_P_W, GEO_S_D, GEO_S_H, GEO_S_W, MR, NR,
} from '../../assembly/layout';
import type { ConvCall } from './kernels/conv/call';
import { convGemmShape, type Geometry3 } from './kernels/window';

declare const __CONVLENS_KERNELS_WASM__: string | undefined;
declare const __CONVLENS_KERNELS_RELAXED_WASM__: string | undefined;

/** Which implementation the conv and linear kernels use. */
export type KernelBackend = 'wasm' | 'js';

interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  packA(w: number, ldw: number, a: number, M: number, K: number): void;
  padInput(x: number, xp: number, C: number, inD: number, inH: number, inW: number, pD: number, pH: number, pW: number, Dp: number, Hp: number, Wp: number): void;
  convGemm(x: number, geo: number, a: number, bias: number, out: number, M: number, K: number, P: number, pointwise: number, bbuf: number, chunk: number): void;
  gemv(w: number, x: number, y: number, O: number, F: number, bias: number): void;
  sameBits(a: number, b: number, n: number): number;
  winogradFilters(w: number, U: number, uStride: number, M: number, C: number): void;
  winogradInputs(xp: number, V: number, vStride: number, C: number, Hp: number, Wp: number, tilesW: number, t0: number, width: number): void;
  winogradGemms(U: number, uStride: number, V: number, vStride: number, Mx: number, mStride: number, ldm: number, M: number, C: number, width: number): void;
  winogradOutputs(Mx: number, mStride: number, ldm: number, yp: number, M: number, tilesH: number, tilesW: number, t0: number, width: number, bias: number): void;
  winogradCrop(yp: number, out: number, M: number, Hy: number, Wy: number, H: number, W: number): void;
  phaseSplit(x: number, P: number, geo: number, Hp: number, Wq: number): void;
  phaseInputs(P: number, b0: number, b1: number, b2: number, b3: number, K03: number, K12: number, geo: number, Hp: number, Wq: number, tilesWp: number, n0: number, width: number): void;
  phaseGemms(
    a0: number, a1: number, a2: number, a3: number, b0: number, b1: number, b2: number, b3: number,
    m0: number, m1: number, m2: number, m3: number, ldm: number, M: number, K03: number, K12: number, width: number, bias: number, negBias: number,
  ): void;
  phaseOutputs(m0: number, m1: number, m2: number, m3: number, ldm: number, out: number, M: number, geo: number, tilesWp: number, n0: number, width: number): void;
  depthwise3x3(x: number, w: number, bias: number, out: number, cOut: number, multiplier: number, geo: number, scratch: number): void;
}

/** The subset of the WebAssembly JS API used here (not in the ES2022 lib). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/** Linear memory never grows past this by default (wasm32 allows 4 GiB; browsers often fail well before). */
const DEFAULT_MEMORY_LIMIT = 1024 * 1024 * 1024;
let memoryLimit = DEFAULT_MEMORY_LIMIT;
const PAGE = 65536;
/** Floats of one packed column chunk (K × chunk): 384 KB, within L2. */
const CHUNK_FLOATS = 96 * 1024;
/** Floats of one Winograd chunk's transformed inputs and products (16·(C + M) × tiles): 1 MB. */
const WINOGRAD_CHUNK_FLOATS = 256 * 1024;

let requested: KernelBackend | 'auto' = 'auto';
let loaded: KernelExports | null | undefined;

/**
 * Forces a backend: 'js' always runs the TypeScript kernels, 'wasm' and 'auto'
 * use WebAssembly when it loads (falling back to TypeScript when it cannot).
 */
export function setKernelBackend(backend: KernelBackend | 'auto'): void {
  requested = backend;
}

/**
 * Caps the module's linear memory (default 1 GiB): a layer that needs more runs
 * on the TypeScript kernels instead. `undefined` restores the default.
 */
export function setWasmMemoryLimit(bytes: number | undefined): void {
  memoryLimit = bytes ?? DEFAULT_MEMORY_LIMIT;
}

/** The backend conv and linear will use for the next call. */
export function kernelBackend(): KernelBackend {
  return kernels() === null ? 'js' : 'wasm';
}

/** The instantiated module, or null when the TypeScript kernels must be used. */
function kernels(): KernelExports | null {
  if (requested === 'js') return null;
  if (loaded === undefined) loaded = instantiate();
  return loaded;
}

let variant: WasmVariant | null = null;

/** Which build of the module is loaded: with relaxed SIMD (fused multiply-add) or plain SIMD; null before the first kernel or when none loads. */
export type WasmVariant = 'relaxed-simd' | 'simd';

export function wasmVariant(): WasmVariant | null {
  kernels();
  return variant;
}

function instantiate(): KernelExports | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return null;
  const builds: [WasmVariant, string | undefined][] = [
    ['relaxed-simd', typeof __CONVLENS_KERNELS_RELAXED_WASM__ === 'string' ? __CONVLENS_KERNELS_RELAXED_WASM__ : undefined],
    ['simd', typeof __CONVLENS_KERNELS_WASM__ === 'string' ? __CONVLENS_KERNELS_WASM__ : undefined],
  ];
  for (const [name, base64] of builds) {
    if (base64 === undefined) continue;
    try {
      const bytes = decodeBase64(base64);
      // Each build uses its features throughout: validating it is the feature test.
      if (!api.validate(bytes)) continue;
      const instance = new api.Instance(new api.Module(bytes), {});
      variant = name;
      return instance.exports as KernelExports;
    } catch {
      // Compiling was refused (a CSP without 'wasm-unsafe-eval'): the other build would be too.
      return null;
    }
  }
  return null;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeBase64(text: string): Uint8Array {
  const value = new Uint8Array(128);
  for (let i = 0; i < BASE64.length; i++) value[BASE64.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let nbits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    bits = (bits << 6) | value[clean.charCodeAt(i)];
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out[o++] = (bits >> nbits) & 0xff;
    }
  }
  return out;
}

/**
 * Lays out buffers of the given float counts (each 64-byte aligned, with 64
 * bytes of slack after it for kernels that read a vector past the end) and
 * grows the memory to hold them. Returns their byte offsets, or null when the
 * total exceeds the memory limit or growing fails.
 */
function reserve(k: KernelExports, floats: readonly number[]): number[] | null {
  let offset = cacheEnd(k);
  const offsets: number[] = [];
  for (const n of floats) {
    offsets.push(offset);
    offset = align(offset + 4 * n + 64);
    if (!Number.isFinite(offset) || offset > memoryLimit) return null;
  }
  const have = k.memory.buffer.byteLength;
  if (offset > have) {
    try {
      k.memory.grow(Math.ceil((offset - have) / PAGE));
    } catch {
      return null;
    }
  }
  return offsets;
}

/**
 * Weights prepared for a kernel (packed GEMM panels, Winograd-transformed
 * filters) stay in linear memory between calls, at the bottom of it, below every
 * call's scratch, with a copy of the weights they came from: a model run again with the same weight
 * arrays (a benchmark loop; onnxruntime likewise pre-packs at session creation)
 * skips the preparation. An entry is keyed by the weight array and used only if
 * the array still holds the same bits (compared in wasm), so weights changed in
 * place are prepared again. When the cache would pass CACHE_BYTES it is emptied.
 */
interface PreparedEntry {
  readonly epoch: number;
  readonly kind: string;
  readonly offset: number;
  readonly source: number;
}

const CACHE_BYTES = 192 * 1024 * 1024;
let cacheEpoch = 0;
let cacheTop = 0;
let prepared = new WeakMap<Float32Array, PreparedEntry>();

function cacheEnd(k: KernelExports): number {
  return cacheTop === 0 ? align(k.heapBase()) : cacheTop;
}

function dropCache(): void {
  cacheEpoch++;
  cacheTop = 0;
  prepared = new WeakMap();
}

/**
 * The byte offset of `w` prepared as `kind` (`floats` values, written by
 * `prepare(dst, wOffset)` from a copy of `w` in linear memory), from the cache
 * or prepared now; null when it does not fit the cache.
 */
function preparedWeights(k: KernelExports, w: Float32Array, kind: string, floats: number, prepare: (dst: number, wOffset: number) => void): number | null {
  const hit = prepared.get(w);
  if (hit !== undefined && hit.epoch === cacheEpoch && hit.kind === kind) {
    const at = reserve(k, [w.length]);
    if (at === null) return null;
    new Float32Array(k.memory.buffer).set(w, at[0] / 4);
    if (k.sameBits(hit.source, at[0], w.length)) return hit.offset;
  }
  const bytes = align(4 * floats) + align(4 * w.length);
  if (bytes > CACHE_BYTES / 4) return null;
  const base = align(k.heapBase());
  if (cacheEnd(k) - base + bytes > CACHE_BYTES) dropCache();
  const offset = cacheEnd(k);
  const source = offset + align(4 * floats);
  const previous = cacheTop;
  cacheTop = offset + bytes;
  // Grow the memory over the new entry (reserve lays out from the new top).
  if (reserve(k, []) === null) {
    cacheTop = previous;
    return null;
  }
  new Float32Array(k.memory.buffer).set(w, source / 4);
  prepare(offset, source);
  prepared.set(w, { epoch: cacheEpoch, kind, offset, source });
  return offset;
}

/** `reserve`, emptying the weight cache and trying again when memory runs out. */
function reserveScratch(k: KernelExports, floats: readonly number[]): number[] | null {
  const at = reserve(k, floats);
  if (at !== null || cacheTop === 0) return at;
  dropCache();
  return null;
}

function align(n: number): number {
  return Math.ceil(n / 64) * 64;
}

/**
 * One conv (every group) as packed GEMM in WebAssembly: im2col, or plain row
 * packing for a 1×1 stride-1 unpadded conv. Writes `out` and returns true, or
 * returns false (leaving `out` untouched) when the wasm backend is unavailable.
 */
export function wasmConvGemm(call: ConvCall): boolean {
  const k = kernels();
  if (k === null) return false;
  const { x, w, bias, out, g, cIn, cOut, groups } = call;
  const { cInG, cOutG, K, P, inPlane, pointwise } = convGemmShape(g, cIn, cOut, groups);
  let chunk = Math.max(4 * NR, Math.floor(CHUNK_FLOATS / K / NR) * NR);
  chunk = Math.min(chunk, Math.ceil(P / NR) * NR);
  const aFloats = Math.ceil(cOutG / MR) * MR * K;
  const packAll = (dst: number, wOffset: number): void => {
    for (let grp = 0; grp < groups; grp++) k.packA(wOffset + grp * cOutG * K * 4, K, dst + grp * aFloats * 4, cOutG, K);
  };
  let packed = preparedWeights(k, w, `gemm ${cOutG}×${K}`, groups * aFloats, packAll);
  // A padded conv runs on a zero-bordered copy of the input (padInput), unpadded.
  const padded = !pointwise && (g.pD > 0 || g.pH > 0 || g.pW > 0);
  const Dp = (g.outD - 1) * g.sD + (g.kD - 1) * g.dD + 1;
  const Hp = (g.outH - 1) * g.sH + (g.kH - 1) * g.dH + 1;
  const Wp = (g.outW - 1) * g.sW + (g.kW - 1) * g.dW + 1;
  const paddedFloats = padded ? cInG * Dp * Hp * Wp : 0;
  const scratch = [x.length, cOut, out.length, K * chunk, GEO_BYTES / 4, paddedFloats];
  let at = reserveScratch(k, [...scratch, packed === null ? groups * aFloats + w.length : 0]);
  if (at === null) {
    packed = null;
    at = reserve(k, [...scratch, groups * aFloats + w.length]);
  }
  if (at === null) return false;
  const [xp, bp, op, colp, geo, pp, local] = at;
  const f32 = new Float32Array(k.memory.buffer);
  if (packed === null) {
    packed = local;
    const wOffset = local + groups * aFloats * 4;
    f32.set(w, wOffset / 4);
    packAll(packed, wOffset);
  }
  f32.set(x, xp / 4);
  if (bias !== null) f32.set(bias, bp / 4);
  writeGeometry(new Int32Array(k.memory.buffer, geo, GEO_BYTES / 4), padded ? { ...g, inD: Dp, inH: Hp, inW: Wp, pD: 0, pH: 0, pW: 0 } : g, cInG);
  for (let grp = 0; grp < groups; grp++) {
    const oBase = op + grp * cOutG * P * 4;
    let xg = xp + grp * cInG * inPlane * 4;
    if (padded) {
      k.padInput(xg, pp, cInG, g.inD, g.inH, g.inW, g.pD, g.pH, g.pW, Dp, Hp, Wp);
      xg = pp;
    }
    k.convGemm(xg, geo, packed + grp * aFloats * 4, bias === null ? 0 : bp + grp * cOutG * 4, oBase, cOutG, K, P, pointwise ? 1 : 0, colp, chunk);
  }
  out.set(new Float32Array(k.memory.buffer, op, out.length));
  return true;
}

/**
 * Taps of each horizontal stride phase of a kW-wide kernel at stride S: F(2, 3)
 * groups (three taps each) and taps left over, summed over the phases.
 */
function phaseTaps(kW: number, S: number): { groups: number; leftover: number } {
  let groups = 0;
  let leftover = 0;
  for (let s = 0; s < S; s++) {
    const taps = Math.ceil((kW - s) / S);
    groups += Math.floor(taps / 3);
    leftover += taps % 3;
  }
  return { groups, leftover };
}

/**
 * Whether `wasmConvPhase` takes this conv: 2D, ungrouped, horizontal stride 2,
 * undilated horizontally, and its four GEMMs at most 3/4 as deep as im2col's
 * (7×7: 10/14; 5×5 and 9×9 save less and stay on im2col).
 */
export function usePhaseWinograd(g: Geometry3, groups: number): boolean {
  if (groups !== 1 || g.kD !== 1 || g.inD !== 1 || g.outD !== 1 || g.sW !== 2 || g.dW !== 1 || g.outW < 2 || g.kW > 255) return false;
  const { groups: G, leftover: D } = phaseTaps(g.kW, g.sW);
  return 4 * G + 2 * D <= 0.75 * 2 * g.kW;
}

/**
 * A 2D conv with horizontal stride 2 by stride-phase Winograd F(2, 3) along rows
 * (assembly/phase.ts): four GEMMs on the transformed inputs of output pairs.
 * Returns false when the wasm backend is unavailable.
 */
export function wasmConvPhase(call: ConvCall): boolean {
  const k = kernels();
  if (k === null) return false;
  const { x, w, bias, out, g, cIn, cOut } = call;
  const { outH, outW, kH, kW, sH, sW: S, dH } = g;
  const C = cIn;
  const M = cOut;
  const { groups: G, leftover: D } = phaseTaps(kW, S);
  const K12 = C * kH * G;
  const K03 = K12 + C * kH * D;
  const tilesWp = Math.ceil(Math.ceil(outW / 2) / NR) * NR;
  const N = outH * tilesWp;
  const Hp = (outH - 1) * sH + (kH - 1) * dH + 1;
  const Wq = tilesWp + Math.ceil((kW + 2 * S) / (2 * S)) + 2;
  let chunk = Math.floor(CHUNK_FLOATS / (2 * (K03 + K12)) / NR) * NR;
  chunk = Math.max(NR, Math.min(chunk, N));
  const mp = Math.ceil(M / MR) * MR;
  const a03 = mp * K03;
  const a12 = mp * K12;
  const packedFloats = 2 * (a03 + a12);
  const transform = (dst: number, wOffset: number): void => {
    // U for each point, row-major [M × K] after the packed panels, in double and rounded once.
    const f32 = new Float32Array(k.memory.buffer);
    const src = f32.subarray(wOffset / 4, wOffset / 4 + w.length);
    const raw = dst + packedFloats * 4;
    const U = [0, 1, 2, 3].map((p) => raw / 4 + (p === 0 ? 0 : p === 1 ? M * K03 : p === 2 ? M * (K03 + K12) : M * (K03 + 2 * K12)));
    for (let m = 0; m < M; m++) {
      const r = [m * K03, m * K12, m * K12, m * K03];
      for (let c = 0; c < C; c++) {
        for (let kh = 0; kh < kH; kh++) {
          const tap = (kw: number): number => src[((m * C + c) * kH + kh) * kW + kw];
          for (let s = 0; s < S; s++) {
            const taps = Math.ceil((kW - s) / S);
            for (let j0 = 0; j0 + 3 <= taps; j0 += 3) {
              const g0 = tap(S * j0 + s), g1 = tap(S * (j0 + 1) + s), g2 = tap(S * (j0 + 2) + s);
              f32[U[0] + r[0]++] = g0;
              f32[U[1] + r[1]++] = (g0 + g1 + g2) / 2;
              f32[U[2] + r[2]++] = (g0 - g1 + g2) / 2;
              f32[U[3] + r[3]++] = g2;
            }
          }
          for (let s = 0; s < S; s++) {
            const taps = Math.ceil((kW - s) / S);
            for (let j = taps - (taps % 3); j < taps; j++) {
              f32[U[0] + r[0]++] = tap(S * j + s);
              f32[U[3] + r[3]++] = -tap(S * j + s);
            }
          }
        }
      }
    }
    k.packA(U[0] * 4, K03, dst, M, K03);
    k.packA(U[1] * 4, K12, dst + a03 * 4, M, K12);
    k.packA(U[2] * 4, K12, dst + (a03 + a12) * 4, M, K12);
    k.packA(U[3] * 4, K03, dst + (a03 + 2 * a12) * 4, M, K03);
  };
  const unpacked = 2 * M * (K03 + K12);
  let packed = preparedWeights(k, w, `phase ${M}×${C}×${kH}×${kW}/${S}`, packedFloats + unpacked, transform);
  const scratch = [x.length, 2 * M, C * Hp * 2 * S * Wq, 2 * (K03 + K12) * chunk, 4 * M * chunk, out.length, GEO_BYTES / 4];
  let at = reserveScratch(k, [...scratch, packed === null ? packedFloats + unpacked + w.length : 0]);
  if (at === null) {
    packed = null;
    at = reserve(k, [...scratch, packedFloats + unpacked + w.length]);
  }
  if (at === null) return false;
  const [xp, bp, P, B, Mx, op, geo, local] = at;
  let f32 = new Float32Array(k.memory.buffer);
  if (packed === null) {
    packed = local;
    const wOffset = local + (packedFloats + unpacked) * 4;
    f32.set(w, wOffset / 4);
    transform(packed, wOffset);
    f32 = new Float32Array(k.memory.buffer);
  }
  f32.set(x, xp / 4);
  if (bias !== null) {
    f32.set(bias, bp / 4);
    for (let m = 0; m < M; m++) f32[bp / 4 + M + m] = -bias[m];
  }
  const b0 = B, b1 = b0 + K03 * chunk * 4, b2 = b1 + K12 * chunk * 4, b3 = b2 + K12 * chunk * 4;
  const m0 = Mx, m1 = m0 + M * chunk * 4, m2 = m1 + M * chunk * 4, m3 = m2 + M * chunk * 4;
  const a0 = packed, a1 = a0 + a03 * 4, a2 = a1 + a12 * 4, a3 = a2 + a12 * 4;
  writeGeometry(new Int32Array(k.memory.buffer, geo, GEO_BYTES / 4), g, C);
  k.phaseSplit(xp, P, geo, Hp, Wq);
  for (let n0 = 0; n0 < N; n0 += chunk) {
    const width = Math.min(chunk, N - n0);
    k.phaseInputs(P, b0, b1, b2, b3, K03, K12, geo, Hp, Wq, tilesWp, n0, width);
    k.phaseGemms(a0, a1, a2, a3, b0, b1, b2, b3, m0, m1, m2, m3, chunk, M, K03, K12, width, bias === null ? 0 : bp, bias === null ? 0 : bp + M * 4);
    k.phaseOutputs(m0, m1, m2, m3, chunk, op, M, geo, tilesWp, n0, width);
  }
  out.set(new Float32Array(k.memory.buffer, op, out.length));
  return true;
}

/** The geometry record `convGemm` reads, each field at its offset in assembly/layout.ts. */
function writeGeometry(v: Int32Array, g: Geometry3, cInG: number): void {
  v[GEO_IN_D >> 2] = g.inD; v[GEO_IN_H >> 2] = g.inH; v[GEO_IN_W >> 2] = g.inW;
  v[GEO_OUT_D >> 2] = g.outD; v[GEO_OUT_H >> 2] = g.outH; v[GEO_OUT_W >> 2] = g.outW;
  v[GEO_K_D >> 2] = g.kD; v[GEO_K_H >> 2] = g.kH; v[GEO_K_W >> 2] = g.kW;
  v[GEO_S_D >> 2] = g.sD; v[GEO_S_H >> 2] = g.sH; v[GEO_S_W >> 2] = g.sW;
  v[GEO_D_D >> 2] = g.dD; v[GEO_D_H >> 2] = g.dH; v[GEO_D_W >> 2] = g.dW;
  v[GEO_P_D >> 2] = g.pD; v[GEO_P_H >> 2] = g.pH; v[GEO_P_W >> 2] = g.pW;
  v[GEO_C_IN >> 2] = cInG;
}

/**
 * y = x·Wᵀ + b for `rows` rows of F features (weight [O, F]) in WebAssembly,
 * one SIMD matrix-vector product per row. Returns false when unavailable.
 */
export function wasmLinear(x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, rows: number, F: number, O: number): boolean {
  const k = kernels();
  if (k === null) return false;
  const at = reserve(k, [x.length, w.length, O, out.length]);
  if (at === null) return false;
  const [xp, wp, bp, op] = at;
  const f32 = new Float32Array(k.memory.buffer);
  f32.set(x, xp / 4);
  f32.set(w, wp / 4);
  if (bias !== null) f32.set(bias, bp / 4);
  for (let r = 0; r < rows; r++) k.gemv(wp, xp + r * F * 4, op + r * O * 4, O, F, bias === null ? 0 : bp);
  out.set(new Float32Array(k.memory.buffer, op, out.length));
  return true;
}

/**
 * A 3×3 stride-1 undilated 2D conv by Winograd F(2×2, 3×3) in WebAssembly
 * (assembly/winograd.ts). Returns false when the wasm backend is unavailable.
 */
export function wasmWinograd(call: ConvCall): boolean {
  const k = kernels();
  if (k === null) return false;
  const { x, w, bias, out, g, cIn, cOut, groups } = call;
  const { inH, inW, outH, outW, pH, pW } = g;
  const C = cIn / groups;
  const M = cOut / groups;
  const tile = 2;
  const count = 16;
  const tilesH = Math.ceil(outH / tile);
  // Tile rows a multiple of 4 wide: the transforms take four adjacent tiles per vector.
  const tilesW = Math.ceil(outW / (4 * tile)) * 4;
  // The last tiles' windows, plus four columns for the vector loads past them.
  const Hp = tile * tilesH + 2;
  const Wp = tile * tilesW + 6;
  const N = tilesH * tilesW;
  // The 16 planes of U, V and M are 64 bytes longer than needed: planes a power of two
  // apart share cache sets, and the transforms write all 16 at once (512×512 filters:
  // 8.2 → 2.1 ms).
  const uStride = Math.ceil(M / MR) * MR * C + 16;
  let chunk = Math.floor(WINOGRAD_CHUNK_FLOATS / (count * (C + M)) / NR) * NR;
  chunk = Math.max(NR, Math.min(chunk, Math.ceil(N / NR) * NR));
  const vStride = chunk * C + 16;
  const mStride = M * chunk + 16;
  const yPlane = tile * tile * N;
  const uFloats = count * uStride;
  const transformAll = (dst: number, wOffset: number): void => {
    for (let grp = 0; grp < groups; grp++) k.winogradFilters(wOffset + grp * M * C * 9 * 4, dst + grp * uFloats * 4, uStride, M, C);
  };
  let transformed = preparedWeights(k, w, `winograd ${M}×${C}`, groups * uFloats, transformAll);
  const scratch = [x.length, cOut, C * Hp * Wp, count * vStride, count * mStride, M * yPlane, out.length];
  let at = reserveScratch(k, [...scratch, transformed === null ? groups * uFloats + w.length : 0]);
  if (at === null) {
    transformed = null;
    at = reserve(k, [...scratch, groups * uFloats + w.length]);
  }
  if (at === null) return false;
  const [xp, bp, padded, V, Mx, yp, op, local] = at;
  const f32 = new Float32Array(k.memory.buffer);
  if (transformed === null) {
    transformed = local;
    const wOffset = local + groups * uFloats * 4;
    f32.set(w, wOffset / 4);
    transformAll(transformed, wOffset);
  }
  f32.set(x, xp / 4);
  if (bias !== null) f32.set(bias, bp / 4);
  for (let grp = 0; grp < groups; grp++) {
    const U = transformed + grp * uFloats * 4;
    k.padInput(xp + grp * C * inH * inW * 4, padded, C, 1, inH, inW, 0, pH, pW, 1, Hp, Wp);
    for (let t0 = 0; t0 < N; t0 += chunk) {
      const width = Math.min(chunk, N - t0);
      k.winogradInputs(padded, V, vStride, C, Hp, Wp, tilesW, t0, width);
      k.winogradGemms(U, uStride, V, vStride, Mx, mStride, chunk, M, C, width);
      k.winogradOutputs(Mx, mStride, chunk, yp, M, tilesH, tilesW, t0, width, bias === null ? 0 : bp + grp * M * 4);
    }
    k.winogradCrop(yp, op + grp * M * outH * outW * 4, M, tile * tilesH, tile * tilesW, outH, outW);
  }
  out.set(new Float32Array(k.memory.buffer, op, out.length));
  return true;
}

/**
 * A 2D depthwise conv with 3×3 kernels and horizontal stride 1 in WebAssembly
 * (assembly/depthwise.ts); the dispatch table calls it only for those shapes.
 * Returns false when the wasm backend is unavailable, and when a weight is not
 * finite (the wasm kernel multiplies padding taps by zero rather than skipping
 * them, and 0·∞ is NaN).
 */
export function wasmDepthwise3x3(call: ConvCall): boolean {
  const k = kernels();
  if (k === null) return false;
  const { x, w, bias, out, g, cIn, cOutG: multiplier } = call;
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i])) return false;
  const cOut = cIn * multiplier;
  const planeFloats = ((g.outH - 1) * g.sH + 2 * g.dH + 1) * (g.outW + 2 * g.dW + DEPTHWISE_EXTRA_COLUMNS);
  const at = reserve(k, [x.length, w.length, cOut, out.length, planeFloats, GEO_BYTES / 4]);
  if (at === null) return false;
  const [xp, wp, bp, op, scratchPlane, geo] = at;
  const f32 = new Float32Array(k.memory.buffer);
  f32.set(x, xp / 4);
  f32.set(w, wp / 4);
  if (bias !== null) f32.set(bias, bp / 4);
  writeGeometry(new Int32Array(k.memory.buffer, geo, GEO_BYTES / 4), g, 1);
  k.depthwise3x3(xp, wp, bias === null ? 0 : bp, op, cOut, multiplier, geo, scratchPlane);
  out.set(new Float32Array(k.memory.buffer, op, out.length));
  return true;
}
