/**
 * Which conv kernel runs when, and why: one table per operation, read top to
 * bottom. A call runs the first entry whose `when` holds and whose `run`
 * accepts it. WebAssembly entries decline (`run` returns false, leaving the
 * output untouched) when the wasm backend is off or cannot load, when the layer
 * would need more linear memory than the limit, and the depthwise one when a
 * weight is not finite; the next entry then runs. The last entry of each table
 * always runs. Every kernel reads the same `ConvCall` record.
 */
import { usePhaseWinograd, wasmConvGemm, wasmConvPhase, wasmDepthwise3x3, wasmWinograd, type KernelBackend } from '../../wasm';
import { convGemmShape } from '../window';
import type { ConvCall, ConvShape } from './call';
import { depthwise3x3, depthwiseRows, depthwiseTaps } from './depthwise';
import { gemmConv } from './gemm';
import { transposedGemm, transposedScatter } from './transposed';
import { winograd2x2, winograd4x4 } from './winograd';

export type ConvKernelName =
  | 'wasm-depthwise-3x3'
  | 'depthwise-3x3'
  | 'depthwise-rows'
  | 'depthwise-taps'
  | 'wasm-winograd-2x2'
  | 'wasm-phase-winograd'
  | 'wasm-gemm'
  | 'winograd-4x4'
  | 'winograd-2x2'
  | 'gemm-pointwise'
  | 'gemm-im2col';

export type ConvTransposeKernelName = 'transposed-gemm' | 'transposed-scatter';

export interface ConvKernel<Name extends string = string> {
  readonly name: Name;
  /** Runs in WebAssembly (src/core/wasm.ts, assembly/): skipped on the TypeScript backend. */
  readonly wasm: boolean;
  /** The shapes it is chosen for (given that no earlier entry ran). */
  readonly when: (shape: ConvShape) => boolean;
  readonly why: string;
  /** Writes `call.out` and returns true, or returns false to pass the call to the next entry. */
  readonly run: (call: ConvCall) => boolean;
}

/** A kernel that takes every call it is given. */
const always =
  (kernel: (call: ConvCall) => void) =>
  (call: ConvCall): true => {
    kernel(call);
    return true;
  };

/** The conv kernels in the order they are tried (test/core/kernels/conv/dispatch.test.ts shows the choice for typical layers). */
export const CONV_KERNELS: readonly ConvKernel<ConvKernelName>[] = [
  {
    name: 'wasm-depthwise-3x3',
    wasm: true,
    // One depth slice in and out: it computes a single plane per channel.
    when: (s) => s.cInG === 1 && s.g.kD === 1 && s.g.inD === 1 && s.g.outD === 1 && s.g.kH === 3 && s.g.kW === 3 && s.g.sW === 1,
    why: 'MobileNet-style depthwise 3×3 with horizontal stride 1: SIMD across output columns',
    run: wasmDepthwise3x3,
  },
  {
    name: 'depthwise-3x3',
    wasm: false,
    when: (s) => s.cInG === 1 && s.g.kD === 1 && s.g.kH === 3 && s.g.kW === 3,
    why: 'depthwise 1×3×3: all nine taps of an output in registers, bounds checks only on border pixels',
    run: always(depthwise3x3),
  },
  {
    name: 'depthwise-rows',
    wasm: false,
    when: (s) => s.cInG === 1 && s.g.kD === 1 && s.g.inD === 1 && s.g.outD === 1,
    why: 'depthwise 1D/2D with any other kernel: a whole kernel row per output load/store (5 and 7 taps unrolled)',
    run: always(depthwiseRows),
  },
  {
    name: 'depthwise-taps',
    wasm: false,
    when: (s) => s.cInG === 1,
    why: 'depthwise 3D (and a one-slice input padded in depth): one tap at a time over runs of an output row; a depthwise conv never goes to GEMM',
    run: always(depthwiseTaps),
  },
  {
    name: 'wasm-winograd-2x2',
    wasm: true,
    when: useWasmWinograd,
    why: '3×3 stride-1 undilated 2D with ≥ 8 channels per group and ≥ 16 output tiles: 16 multiplies per 2×2 outputs instead of 36',
    run: wasmWinograd,
  },
  {
    name: 'wasm-phase-winograd',
    wasm: true,
    when: (s) => usePhaseWinograd(s.g, s.groups),
    why: 'ungrouped 2D with horizontal stride 2 and a wide kernel (the 7×7 stem): F(2, 3) per stride phase along rows',
    run: wasmConvPhase,
  },
  {
    name: 'wasm-gemm',
    wasm: true,
    when: () => true,
    why: 'everything else on WebAssembly: packed SIMD GEMM per group (im2col, or plain rows for a 1×1 stride-1 unpadded conv)',
    run: wasmConvGemm,
  },
  {
    name: 'winograd-4x4',
    wasm: false,
    when: (s) => useWinograd(s) && Math.ceil(s.g.outH / 4) * Math.ceil(s.g.outW / 4) >= 32,
    // F(4×4) transforms each filter into 36 values on every call; with few tiles that dominates.
    why: '3×3 stride-1 undilated 2D with ≥ 8 channels per group on a map of ≥ 32 4×4 tiles: 36 multiplies per 16 outputs instead of 144',
    run: always(winograd4x4),
  },
  {
    name: 'winograd-2x2',
    wasm: false,
    when: useWinograd,
    why: '3×3 stride-1 undilated 2D with ≥ 8 channels per group on a small map: F(2×2, 3×3), whose filter transform is cheaper (measured)',
    run: always(winograd2x2),
  },
  {
    name: 'gemm-pointwise',
    wasm: false,
    when: (s) => convGemmShape(s.g, s.cIn, s.cOut, s.groups).pointwise,
    why: '1×1 stride-1 unpadded: the input channels are the GEMM columns, packed by plain copies',
    run: always(gemmConv),
  },
  {
    name: 'gemm-im2col',
    wasm: false,
    when: () => true,
    why: 'everything else: implicit GEMM per group on im2col columns built a chunk at a time',
    run: always(gemmConv),
  },
];

/** Transposed convs with fewer input channels per group scatter directly; GEMM with K this small gains nothing. */
const TRANSPOSED_GEMM_MIN_CHANNELS = 4;

/** The transposed conv kernels in the order they are tried (TypeScript only). */
export const CONV_TRANSPOSE_KERNELS: readonly ConvKernel<ConvTransposeKernelName>[] = [
  {
    name: 'transposed-gemm',
    wasm: false,
    when: (s) => s.cInG >= TRANSPOSED_GEMM_MIN_CHANNELS,
    why: `≥ ${TRANSPOSED_GEMM_MIN_CHANNELS} input channels per group: GEMM over the input channels, then col2im`,
    run: always(transposedGemm),
  },
  {
    name: 'transposed-scatter',
    wasm: false,
    when: () => true,
    why: 'few input channels per group: each input sample scatters weight × x into its window',
    run: always(transposedScatter),
  },
];

/** Runs the first kernel of the table that takes the call; returns its name. */
export function runConvKernel<Name extends string>(table: readonly ConvKernel<Name>[], call: ConvCall): Name {
  for (const kernel of table) if (kernel.when(call) && kernel.run(call)) return kernel.name;
  throw new Error('conv: no kernel took the call (the last entry of a table must always run)');
}

/**
 * The kernel the table picks for this shape on this backend, assuming no
 * WebAssembly kernel declines at run time (memory, non-finite weights).
 */
export function chooseConvKernel<Name extends string>(table: readonly ConvKernel<Name>[], shape: ConvShape, backend: KernelBackend): Name {
  for (const kernel of table) if ((backend === 'wasm' || !kernel.wasm) && kernel.when(shape)) return kernel.name;
  throw new Error('conv: no kernel for this shape (the last entry of a table must always apply)');
}

/** Winograd pays off once the per-tile transforms are small next to the channel GEMMs. */
function useWinograd({ g, cInG, cOutG }: ConvShape): boolean {
  return (
    g.kD === 1 && g.inD === 1 && g.pD === 0 && g.kH === 3 && g.kW === 3 &&
    g.sH === 1 && g.sW === 1 && g.dH === 1 && g.dW === 1 &&
    cInG >= 8 && cOutG >= 8 && g.outH >= 2 && g.outW >= 2
  );
}

/**
 * The WebAssembly Winograd F(2×2, 3×3) transforms each filter into 16 values and
 * pads tile rows to a multiple of 4 tiles, so it needs enough tiles to pay that
 * back. Measured, ms, Winograd with fresh weights / cached transformed weights vs
 * im2col GEMM with cached packed weights: 64×56×56→64 3.1/2.9 vs 6.6,
 * 256×14×14→256 3.5/3.3 vs 6.9, 512×7×7→512 (16 tiles) 7.0/5.0 vs 9.3.
 */
function useWasmWinograd(s: ConvShape): boolean {
  const { g } = s;
  return useWinograd(s) && Math.ceil(g.outH / 2) * Math.ceil(g.outW / 2) >= 16;
}
