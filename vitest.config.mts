import { defineConfig } from 'vitest/config';
import { kernelsDefine } from './assembly/build.mjs';

export default defineConfig({
  // The WebAssembly kernels, built if stale, embedded as esbuild.mjs does for the bundles.
  define: await kernelsDefine(),
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
