// Peak memory of a whole-model run: VGG-16 at 3×224×224 with seeded init
// weights (created per layer and dropped after use; its 25088×4096 linear is
// streamed in row blocks), in a fresh Node process so the figure is its own.
//
//   node bench/memory.bench.mjs [SPEC.cnn ...]    (default: samples/vgg16.cnn samples/resnet18.cnn)
//
// Reports the process's peak resident set size (getrusage maxRSS) and the
// run time. Target from issue 4: VGG-16 under 512 MB.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelsDefine } from '../assembly/build.mjs';

const root = new URL('..', import.meta.url).pathname;
const specs = process.argv.slice(2).length ? process.argv.slice(2) : ['samples/vgg16.cnn', 'samples/resnet18.cnn'];
const dir = mkdtempSync(join(tmpdir(), 'convlens-memory-'));
const bundle = join(dir, 'run.cjs');
await esbuild.build({
  stdin: {
    contents: `
      import { readFileSync } from 'node:fs';
      import { analyze } from './src/language/analyze';
      import { runModelSync } from './src/core/execute';
      import { kernelBackend, wasmVariant } from './src/core/wasm';
      const analysis = analyze(readFileSync(process.argv[2], 'utf8'));
      const graph = { name: analysis.model!.name, inputShape: analysis.model!.inputShape, layers: analysis.layers };
      const n = graph.inputShape!.reduce((a, b) => a * b, 1);
      const input = { shape: [...graph.inputShape!], data: Float32Array.from({ length: n }, (_, i) => ((i * 2654435761) % 1000) / 1000) };
      const baseline = process.resourceUsage().maxRSS;
      const t0 = performance.now();
      const steps = runModelSync(graph, input);
      let layers = 0;
      for (;;) { const s = steps.next(); if (s.done) { if (s.value.status !== 'complete') throw new Error(s.value.status); break; } layers++; }
      const ms = performance.now() - t0;
      console.log(JSON.stringify({ backend: kernelBackend() === 'wasm' ? 'wasm ' + wasmVariant() : 'js', model: graph.name, input: graph.inputShape, layers, ms, baselineMB: baseline / 1024, peakMB: process.resourceUsage().maxRSS / 1024 }));
    `,
    resolveDir: root,
    loader: 'ts',
  },
  // The WebAssembly kernels embedded as in the real bundles (without them the run falls back to TypeScript).
  define: await kernelsDefine(),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});
console.log('| model | input | layers | kernels | peak RSS | RSS before the run | time |');
console.log('|---|---|---:|---|---:|---:|---:|');
for (const spec of specs) {
  const r = JSON.parse(execFileSync(process.execPath, [bundle, join(root, spec)], { encoding: 'utf8' }));
  console.log(`| ${r.model} | ${r.input.join('×')} | ${r.layers} | ${r.backend} | ${r.peakMB.toFixed(0)} MB | ${r.baselineMB.toFixed(0)} MB | ${(r.ms / 1000).toFixed(1)} s |`);
}
