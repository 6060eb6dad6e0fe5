import { afterEach, describe, expect, it } from 'vitest';
import type { ConvCall, ConvShape } from '../../../../src/core/kernels/conv/call';
import { chooseConvKernel, CONV_KERNELS, CONV_TRANSPOSE_KERNELS, runConvKernel, type ConvKernel } from '../../../../src/core/kernels/conv/dispatch';
import { resolveWindow } from '../../../../src/core/kernels/window';
import { kernelBackend, setKernelBackend, setWasmMemoryLimit } from '../../../../src/core/wasm';

// Which kernel the dispatch tables pick for representative layers, and that a
// call runs the kernel the table names (falling through when a wasm kernel declines).

interface Case {
  /** Input C×spatial, output channels, kernel, stride, padding, groups. */
  readonly x: readonly number[];
  readonly out: number;
  readonly k: number | readonly number[];
  readonly stride?: number | readonly number[];
  readonly padding?: number | readonly number[];
  readonly groups?: number;
  readonly transposed?: boolean;
}

function shapeOf(c: Case): ConvShape {
  const groups = c.groups ?? 1;
  const g = resolveWindow({ inSize: c.x.slice(1), kernel: c.k, stride: c.stride, padding: c.padding, transposed: c.transposed, what: 'test' });
  return { g, cIn: c.x[0], cOut: c.out, groups, cInG: c.x[0] / groups, cOutG: c.out / groups };
}

function callOf(c: Case, weight = (i: number) => Math.sin(i)): ConvCall {
  const s = shapeOf(c);
  const taps = s.g.kD * s.g.kH * s.g.kW;
  const fill = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  return {
    ...s,
    x: fill(s.cIn * s.g.inD * s.g.inH * s.g.inW, (i) => Math.cos(i)),
    w: fill(c.transposed ? s.cIn * s.cOutG * taps : s.cOut * s.cInG * taps, weight),
    bias: null,
    out: new Float32Array(s.cOut * s.g.outD * s.g.outH * s.g.outW),
  };
}

const name = (c: Case) =>
  `x=[${c.x.join(',')}] out=${c.out} k=${typeof c.k === 'number' ? c.k : c.k.join('×')} s=${c.stride ?? 1} p=${c.padding ?? 0} g=${c.groups ?? 1}`;

const CONV_CASES: readonly (readonly [Case, string, string])[] = [
  // [layer, on wasm, on the TypeScript backend]
  [{ x: [32, 28, 28], out: 32, k: 3, padding: 1, groups: 32 }, 'wasm-depthwise-3x3', 'depthwise-3x3'],
  [{ x: [16, 28, 28], out: 32, k: 3, padding: 1, groups: 16 }, 'wasm-depthwise-3x3', 'depthwise-3x3'],
  [{ x: [32, 28, 28], out: 32, k: 3, stride: [1, 2], padding: 1, groups: 32 }, 'depthwise-3x3', 'depthwise-3x3'],
  [{ x: [8, 4, 9, 9], out: 8, k: 3, padding: 1, groups: 8 }, 'depthwise-taps', 'depthwise-taps'],
  // One input slice padded in depth: three output slices, which the one-plane kernels do not compute.
  [{ x: [8, 1, 9, 9], out: 8, k: [1, 3, 3], padding: 1, groups: 8 }, 'depthwise-3x3', 'depthwise-3x3'],
  [{ x: [8, 1, 9, 9], out: 8, k: [1, 5, 5], padding: 1, groups: 8 }, 'depthwise-taps', 'depthwise-taps'],
  [{ x: [8, 1, 9, 9], out: 8, k: [1, 5, 5], padding: [0, 2, 2], groups: 8 }, 'depthwise-rows', 'depthwise-rows'],
  [{ x: [32, 28, 28], out: 32, k: 5, padding: 2, groups: 32 }, 'depthwise-rows', 'depthwise-rows'],
  [{ x: [32, 100], out: 32, k: 7, padding: 3, groups: 32 }, 'depthwise-rows', 'depthwise-rows'],
  [{ x: [64, 56, 56], out: 64, k: 3, padding: 1 }, 'wasm-winograd-2x2', 'winograd-4x4'],
  [{ x: [64, 24, 24], out: 64, k: 3, padding: 1 }, 'wasm-winograd-2x2', 'winograd-4x4'],
  [{ x: [64, 14, 14], out: 64, k: 3, padding: 1 }, 'wasm-winograd-2x2', 'winograd-2x2'],
  [{ x: [64, 10, 10], out: 64, k: 3, padding: 1 }, 'wasm-winograd-2x2', 'winograd-2x2'],
  [{ x: [64, 6, 6], out: 64, k: 3, padding: 1 }, 'wasm-gemm', 'winograd-2x2'],
  [{ x: [4, 56, 56], out: 64, k: 3, padding: 1 }, 'wasm-gemm', 'gemm-im2col'],
  [{ x: [64, 28, 28], out: 64, k: 3, padding: 1, groups: 8 }, 'wasm-winograd-2x2', 'winograd-4x4'],
  [{ x: [64, 28, 28], out: 64, k: 3, padding: 1, groups: 16 }, 'wasm-gemm', 'gemm-im2col'],
  [{ x: [64, 28, 28], out: 64, k: 3, stride: 2, padding: 1 }, 'wasm-gemm', 'gemm-im2col'],
  [{ x: [3, 64, 64], out: 16, k: 7, stride: 2, padding: 3 }, 'wasm-phase-winograd', 'gemm-im2col'],
  [{ x: [3, 64, 64], out: 16, k: 5, stride: 2, padding: 2 }, 'wasm-gemm', 'gemm-im2col'],
  [{ x: [64, 28, 28], out: 128, k: 1 }, 'wasm-gemm', 'gemm-pointwise'],
  [{ x: [64, 28, 28], out: 128, k: 1, stride: 2 }, 'wasm-gemm', 'gemm-im2col'],
  [{ x: [8, 6, 10, 10], out: 8, k: 3, padding: 1 }, 'wasm-gemm', 'gemm-im2col'],
];

const TRANSPOSED_CASES: readonly (readonly [Case, string])[] = [
  [{ x: [8, 14, 14], out: 4, k: 2, stride: 2, transposed: true }, 'transposed-gemm'],
  [{ x: [4, 14, 14], out: 8, k: 3, stride: 2, padding: 1, transposed: true }, 'transposed-gemm'],
  [{ x: [3, 14, 14], out: 8, k: 2, stride: 2, transposed: true }, 'transposed-scatter'],
  [{ x: [8, 14, 14], out: 8, k: 2, stride: 2, groups: 4, transposed: true }, 'transposed-scatter'],
];

afterEach(() => {
  setKernelBackend('auto');
  setWasmMemoryLimit(undefined);
});

describe('conv dispatch table', () => {
  for (const [c, wasm, js] of CONV_CASES) {
    it(`${name(c)}: ${wasm} on wasm, ${js} on TypeScript`, () => {
      expect(chooseConvKernel(CONV_KERNELS, shapeOf(c), 'wasm')).toBe(wasm);
      expect(chooseConvKernel(CONV_KERNELS, shapeOf(c), 'js')).toBe(js);
    });
  }

  it('a call runs the kernel the table names, on each backend', () => {
    for (const backend of ['wasm', 'js'] as const) {
      setKernelBackend(backend);
      expect(kernelBackend()).toBe(backend);
      for (const [c, wasm, js] of CONV_CASES) expect(runConvKernel(CONV_KERNELS, callOf(c)), `${backend} ${name(c)}`).toBe(backend === 'wasm' ? wasm : js);
    }
  });

  it('a wasm kernel that declines passes the call on: over the memory limit, and non-finite depthwise weights', () => {
    setKernelBackend('wasm');
    setWasmMemoryLimit(64 * 1024);
    expect(runConvKernel(CONV_KERNELS, callOf({ x: [64, 28, 28], out: 128, k: 1 }))).toBe('gemm-pointwise');
    setWasmMemoryLimit(undefined);
    const dw: Case = { x: [8, 12, 12], out: 8, k: 3, padding: 1, groups: 8 };
    expect(runConvKernel(CONV_KERNELS, callOf(dw, (i) => (i === 5 ? Infinity : 1)))).toBe('depthwise-3x3');
    expect(runConvKernel(CONV_KERNELS, callOf(dw))).toBe('wasm-depthwise-3x3');
  });
});

describe('conv transpose dispatch table', () => {
  for (const [c, kernel] of TRANSPOSED_CASES) {
    it(`${name(c)} transposed: ${kernel}`, () => {
      for (const backend of ['wasm', 'js'] as const) expect(chooseConvKernel(CONV_TRANSPOSE_KERNELS, shapeOf(c), backend)).toBe(kernel);
      expect(runConvKernel(CONV_TRANSPOSE_KERNELS, callOf(c))).toBe(kernel);
    });
  }
});

describe('the tables themselves', () => {
  const tables: readonly (readonly ConvKernel[])[] = [CONV_KERNELS, CONV_TRANSPOSE_KERNELS];
  it('name each kernel once, say why, and end with a TypeScript kernel that takes every shape', () => {
    for (const table of tables) {
      expect(new Set(table.map((k) => k.name)).size).toBe(table.length);
      for (const k of table) expect(k.why.length).toBeGreaterThan(20);
      const last = table[table.length - 1];
      expect(last.wasm).toBe(false);
      for (const [c] of CONV_CASES) expect(last.when(shapeOf(c))).toBe(true);
    }
  });

  it('every conv kernel is chosen by some case above', () => {
    const chosen = new Set(CONV_CASES.flatMap(([, wasm, js]) => [wasm, js]));
    expect(CONV_KERNELS.map((k) => k.name).filter((n) => !chosen.has(n))).toEqual([]);
  });
});
