import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The real-editor tests (test/e2e): playwright-core comes from the harness that
// scripts/e2e/install.sh installs into .e2e-harness/, not from node_modules.
export default defineConfig({
  resolve: {
    alias: {
      'playwright-core': resolve(import.meta.dirname, '.e2e-harness/playwright/node_modules/playwright-core/index.mjs'),
    },
  },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
