// Runs a test body once per kernel backend: the WebAssembly SIMD kernels and the TypeScript fallback.
import { afterAll, beforeAll, describe } from 'vitest';
import { setKernelBackend, type KernelBackend } from '../../src/core/wasm';

export function forEachBackend(body: (backend: KernelBackend) => void): void {
  for (const backend of ['wasm', 'js'] as const satisfies readonly KernelBackend[]) {
    describe(`backend=${backend}`, () => {
      beforeAll(() => setKernelBackend(backend));
      afterAll(() => setKernelBackend('auto'));
      body(backend);
    });
  }
}
