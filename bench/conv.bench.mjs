// Quick conv2d throughput check (not a test): node bench/conv.bench.mjs
// Bundles src/core/index.ts on the fly so it always measures the current source,
// and times both kernel backends: WebAssembly SIMD and the TypeScript fallback.
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { kernelsDefine } from '../assembly/build.mjs';
import { LAYERS, rand } from './layers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'convlens-bench-'));
const outfile = join(dir, 'core.cjs');
await esbuild.build({
  stdin: { contents: `export * from './src/core/index'; export { setKernelBackend } from './src/core/wasm';`, resolveDir: '.', loader: 'ts' },
  bundle: true, platform: 'neutral', format: 'cjs', outfile, logLevel: 'warning', define: await kernelsDefine(),
});
const { conv2d, setKernelBackend } = createRequire(import.meta.url)(outfile);

const lines = [];
for (const backend of ['wasm', 'js']) {
  setKernelBackend(backend);
  for (const L of LAYERS) {
    const x = { shape: [L.c, L.h, L.w], data: rand(L.c * L.h * L.w, 1) };
    const wt = { shape: [L.co, L.c / L.g, L.k, L.k], data: rand(L.co * (L.c / L.g) * L.k * L.k, 2) };
    const b = { shape: [L.co], data: rand(L.co, 3) };
    const opts = { stride: L.s, padding: L.p, groups: L.g };
    let y = conv2d(x, wt, b, opts);
    const macs = y.data.length * (L.c / L.g) * L.k * L.k;
    for (let i = 0; i < 3; i++) conv2d(x, wt, b, opts);
    const times = [];
    const budget = performance.now() + 1500;
    while (times.length < 5 || (performance.now() < budget && times.length < 50)) {
      const t0 = performance.now();
      y = conv2d(x, wt, b, opts);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // The machine is shared, so the best run is the most faithful; the median shows the spread.
    const best = times[0];
    const median = times[Math.floor(times.length / 2)];
    const gflops = (ms) => ((2 * macs) / (ms * 1e-3) / 1e9).toFixed(2).padStart(6);
    lines.push(
      `${backend.padEnd(4)} ${L.name.padEnd(38)} best ${best.toFixed(2).padStart(7)} ms ${gflops(best)} GFLOP/s | median ${median.toFixed(2).padStart(7)} ms ${gflops(median)} GFLOP/s (${times.length} runs)`,
    );
  }
}
console.log(`node ${process.version}, 1 thread, FLOPs = 2 × MACs\n` + lines.join('\n'));
