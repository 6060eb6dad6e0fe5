import { defineConfig } from 'vitest/config';
import { kernelsDefine } from './assembly/build.mjs';

// The kernel and whole-model goldens again, on the relaxed-SIMD build of the
// WebAssembly kernels (fused multiply-add), which is what the preview's worker
// loads in Chromium. Node 20 validates that build only behind a V8 flag.
export default defineConfig({
  define: await kernelsDefine(),
  test: {
    include: ['test/core/kernels/**/*.test.ts', 'test/core/execute.golden.test.ts', 'test/core/wasm.test.ts'],
    testTimeout: 60_000,
    execArgv: ['--experimental-wasm-relaxed-simd'],
    env: { CONVLENS_EXPECT_WASM_VARIANT: 'relaxed-simd' },
  },
});
