import { afterEach, describe, expect, it, vi } from 'vitest';
import { conv, conv2d } from '../../src/core/kernels/conv';
import { linear } from '../../src/core/kernels/linear';
import { tensor, type Tensor } from '../../src/core/tensor';
import { kernelBackend, setKernelBackend, setWasmMemoryLimit, wasmVariant } from '../../src/core/wasm';
import { expectClose } from './golden';

// WebAssembly vs TypeScript kernels: relative 1e-4, |a − b| ≤ 1e-4·max(1, |b|).
const RTOL = 1e-4;

let seed = 4242;
function rand(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
function randomTensor(shape: number[]): Tensor {
  return tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1));
}

function onBoth<T>(run: () => T): { wasm: T; js: T } {
  setKernelBackend('wasm');
  const wasm = run();
  setKernelBackend('js');
  const js = run();
  setKernelBackend('auto');
  return { wasm, js };
}

afterEach(() => {
  setKernelBackend('auto');
  setWasmMemoryLimit(undefined);
});

describe('kernel backend selection', () => {
  it('loads the SIMD module under Node 20 (the build embeds it)', () => {
    setKernelBackend('wasm');
    expect(kernelBackend()).toBe('wasm');
  });

  it('picks the relaxed-SIMD build where it validates, else plain SIMD (Node 20 without flags)', () => {
    setKernelBackend('wasm');
    expect(['relaxed-simd', 'simd']).toContain(wasmVariant());
    // vitest.relaxed.config.mts runs the goldens with V8's relaxed-SIMD flag: they must run on that build.
    const expected = process.env.CONVLENS_EXPECT_WASM_VARIANT;
    if (expected) expect(wasmVariant()).toBe(expected);
    else expect(wasmVariant()).toBe('simd');
  });

  it("'js' forces the TypeScript kernels", () => {
    setKernelBackend('js');
    expect(kernelBackend()).toBe('js');
  });

  for (const [what, api] of [
    ['without WebAssembly', undefined],
    ['when compiling is refused (a CSP without wasm-unsafe-eval)', { validate: () => true, Module: class { constructor() { throw new Error('CompileError: refused by CSP'); } }, Instance: class {} }],
  ] as const) {
    it(`${what}, conv and linear run on TypeScript`, async () => {
      vi.resetModules();
      vi.stubGlobal('WebAssembly', api);
      try {
        const fresh = await import('../../src/core/wasm');
        const kernels = await import('../../src/core/kernels/conv');
        const fc = await import('../../src/core/kernels/linear');
        expect(fresh.kernelBackend()).toBe('js');
        expect(fresh.wasmVariant()).toBeNull();
        const x = randomTensor([8, 12, 12]);
        const w = randomTensor([6, 8, 3, 3]);
        expect(kernels.conv2d(x, w, null, { padding: 1 }).shape).toEqual([6, 12, 12]);
        expect(fc.linear(randomTensor([2, 5]), randomTensor([3, 5]), null).shape).toEqual([2, 3]);
      } finally {
        vi.unstubAllGlobals();
        vi.resetModules();
      }
    });
  }

  it('a layer larger than the memory limit falls back to TypeScript with the same result', () => {
    const x = randomTensor([16, 20, 20]);
    const w = randomTensor([8, 16, 3, 3]);
    const { js } = onBoth(() => conv2d(x, w, null, { padding: 1, stride: 2 }));
    setWasmMemoryLimit(1024);
    setKernelBackend('wasm');
    const limited = conv2d(x, w, null, { padding: 1, stride: 2 });
    expect(Array.from(limited.data)).toEqual(Array.from(js.data));
  });
});

describe('stride-phase Winograd (7×7 stride 2)', () => {
  it('a stem larger than the memory limit falls back to TypeScript with the same result', () => {
    const x = randomTensor([3, 40, 40]);
    const w = randomTensor([16, 3, 7, 7]);
    const { js } = onBoth(() => conv2d(x, w, null, { padding: 3, stride: 2 }));
    setWasmMemoryLimit(1024);
    setKernelBackend('wasm');
    expect(Array.from(conv2d(x, w, null, { padding: 3, stride: 2 }).data)).toEqual(Array.from(js.data));
  });
  it('weights changed in place give the new result; repeated calls agree', () => {
    const x = randomTensor([3, 40, 38]);
    const w = randomTensor([10, 3, 7, 7]);
    const b = randomTensor([10]);
    setKernelBackend('wasm');
    const first = conv2d(x, w, b, { stride: 2, padding: 3 });
    expectClose(conv2d(x, w, b, { stride: 2, padding: 3 }), first, 0);
    w.data[100] += 1;
    const changed = conv2d(x, w, b, { stride: 2, padding: 3 });
    setKernelBackend('js');
    expectClose(changed, conv2d(x, w, b, { stride: 2, padding: 3 }), RTOL);
  });
});

describe('prepared weights are cached by array and checked by value', () => {
  for (const [name, wShape, opts] of [
    ['GEMM x=[8,12,12] k=3 s=2', [10, 8, 3, 3], { stride: 2, padding: 1 }],
    ['Winograd x=[8,30,30] k=3 s=1', [10, 8, 3, 3], { padding: 1 }],
  ] as const) {
    it(`${name}: weights changed in place give the new result`, () => {
      const x = randomTensor([8, name.startsWith('GEMM') ? 12 : 30, name.startsWith('GEMM') ? 12 : 30]);
      const w = randomTensor([...wShape]);
      setKernelBackend('wasm');
      const first = conv2d(x, w, null, opts);
      expectClose(conv2d(x, w, null, opts), first, 0);
      w.data[5] += 1;
      const changed = conv2d(x, w, null, opts);
      setKernelBackend('js');
      expectClose(changed, conv2d(x, w, null, opts), RTOL);
    });
  }
});

describe('Winograd on small maps', () => {
  it('x=[16,8,9] k=3 s=1 p=1 g=1 (20 tiles, one row of four padded): repeated calls agree with TypeScript', () => {
    const x = randomTensor([16, 8, 9]);
    const w = randomTensor([12, 16, 3, 3]);
    const b = randomTensor([12]);
    setKernelBackend('js');
    const js = conv2d(x, w, b, { padding: 1 });
    setKernelBackend('wasm');
    expectClose(conv2d(x, w, b, { padding: 1 }), js, RTOL);
    expectClose(conv2d(x, w, b, { padding: 1 }), js, RTOL);
    expectClose(conv2d(x, w, b, { padding: 1 }), js, RTOL);
  });
});

describe('conv: WebAssembly agrees with TypeScript where every dimension has a remainder (rtol 1e-4)', () => {
  const cases: { name: string; x: number[]; w: number[]; opts: Parameters<typeof conv>[3] }[] = [
    { name: 'x=[19,37,41] k=[3,5] s=[1,2] d=1 p=((1,2),(0,3)) g=1', x: [19, 37, 41], w: [13, 19, 3, 5], opts: { stride: [1, 2], padding: [[1, 2], [0, 3]] } },
    { name: 'x=[12,29,31] k=3 s=1 d=2 p=2 g=3', x: [12, 29, 31], w: [9, 4, 3, 3], opts: { dilation: 2, padding: 2, groups: 3 } },
    { name: 'x=[3,45,47] k=7 s=2 d=1 p=3 g=1 (stem)', x: [3, 45, 47], w: [11, 3, 7, 7], opts: { stride: 2, padding: 3 } },
    { name: 'x=[3,46,45] k=7 s=2 d=1 p=((3,2),(3,0)) g=1 (stride-phase Winograd, M = 64, odd output width 21)', x: [3, 46, 45], w: [64, 3, 7, 7], opts: { stride: 2, padding: [[3, 2], [3, 0]] } },
    { name: 'x=[4,61] k=7 s=2 p=3 (1D, stride-phase Winograd)', x: [4, 61], w: [9, 4, 7], opts: { stride: 2, padding: 3 } },
    { name: 'x=[2,9,40,41] k=[3,3,7] s=[1,2,2] p=1 (3D: im2col)', x: [2, 9, 40, 41], w: [5, 2, 3, 3, 7], opts: { stride: [1, 2, 2], padding: 1 } },
    { name: 'x=[8,31,33] k=7 s=2 p=3 g=2 (grouped: im2col)', x: [8, 31, 33], w: [6, 4, 7, 7], opts: { stride: 2, padding: 3, groups: 2 } },
    { name: 'x=[9,21,19] k=3 s=2 p=1 g=1 (im2col GEMM, M mod 4 = 3)', x: [9, 21, 19], w: [11, 9, 3, 3], opts: { stride: 2, padding: 1 } },
    { name: 'x=[5,17,23] k=3 s=2 p=1 g=1 (im2col GEMM, M = 3: edge rows only)', x: [5, 17, 23], w: [3, 5, 3, 3], opts: { stride: 2, padding: 1 } },
    { name: 'x=[7,23,29] k=3 s=3 d=1 p=1 g=1', x: [7, 23, 29], w: [5, 7, 3, 3], opts: { stride: 3, padding: 1 } },
    { name: 'x=[33,13,17] k=1 s=1 p=0 g=1 (pointwise, P=221)', x: [33, 13, 17], w: [7, 33, 1, 1], opts: {} },
    { name: 'x=[64,9,9] k=1 s=2 p=0 g=2 (strided pointwise)', x: [64, 9, 9], w: [70, 32, 1, 1], opts: { stride: 2, groups: 2 } },
    { name: 'x=[300,11,5] k=3 s=1 p=1 g=1 (K over one block)', x: [300, 11, 5], w: [17, 300, 3, 3], opts: { padding: 1 } },
    { name: 'x=[13,37,45] k=3 s=1 p=((1,0),(2,1)) g=1 (Winograd F(4,3), partial tiles)', x: [13, 37, 45], w: [11, 13, 3, 3], opts: { padding: [[1, 0], [2, 1]] } },
    { name: 'x=[32,30,29] k=3 s=1 p=1 g=2 (Winograd per group)', x: [32, 30, 29], w: [18, 16, 3, 3], opts: { padding: 1, groups: 2 } },
    { name: 'x=[9,26,70] k=3 s=1 p=0 g=1 (Winograd, valid)', x: [9, 26, 70], w: [8, 9, 3, 3], opts: {} },
    { name: 'x=[16,29,31] k=3 s=1 p=1 g=16 (depthwise)', x: [16, 29, 31], w: [16, 1, 3, 3], opts: { padding: 1, groups: 16 } },
    { name: 'x=[6,23,18] k=3 s=[2,1] d=[1,2] p=((0,2),(3,1)) g=6 multiplier 2 (depthwise)', x: [6, 23, 18], w: [12, 1, 3, 3], opts: { stride: [2, 1], dilation: [1, 2], padding: [[0, 2], [3, 1]], groups: 6 } },
    { name: 'x=[5,9,10,11] k=3 s=[1,2,1] p=1 g=1 (3D)', x: [5, 9, 10, 11], w: [6, 5, 3, 3, 3], opts: { stride: [1, 2, 1], padding: 1 } },
    { name: 'x=[6,50] k=4 s=1 d=3 p=(2,5) g=2 (1D)', x: [6, 50], w: [10, 3, 4], opts: { dilation: 3, padding: [[2, 5]], groups: 2 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const x = randomTensor(c.x);
      const w = randomTensor(c.w);
      const b = randomTensor([c.w[0]]);
      const { wasm, js } = onBoth(() => conv(x, w, b, c.opts));
      expect(wasm.shape).toEqual(js.shape);
      expectClose(wasm, js, RTOL);
    });
  }
});

describe('linear: WebAssembly agrees with TypeScript (rtol 1e-4)', () => {
  for (const [rows, F, O] of [[1, 13, 7], [3, 512, 1000], [2, 4, 1], [1, 1, 5]]) {
    it(`x=[${rows},${F}] w=[${O},${F}]`, () => {
      const x = randomTensor([rows, F]);
      const w = randomTensor([O, F]);
      const b = randomTensor([O]);
      const { wasm, js } = onBoth(() => linear(x, w, b));
      expectClose(wasm, js, RTOL);
      const noBias = onBoth(() => linear(x, w, null));
      expectClose(noBias.wasm, noBias.js, RTOL);
    });
  }
});
