// analyze() throughput on a generated spec of over 1 MB, against acorn parsing
// the same number of bytes of JavaScript, in one process:
//   node bench/analyze.bench.mjs
// Bundles src/language/analyze.ts on the fly so it measures the current source.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as acorn from 'acorn';
import { generateSpec } from './generate-spec.mjs';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'convlens-bench-'));
const outfile = join(dir, 'analyze.cjs');
await esbuild.build({ entryPoints: ['src/language/analyze.ts'], bundle: true, platform: 'neutral', format: 'cjs', outfile, logLevel: 'warning' });
const { analyze } = require(outfile);

/** Real JavaScript of about the same size: whole copies of acorn's own source. */
function javascript(bytes) {
  const chunk = readFileSync(require.resolve('acorn'), 'utf8');
  let text = '';
  while (text.length < bytes) text += `${chunk}\n`;
  return text;
}

function measure(fn, { warmup = 5, runs = 15 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], best: times[0] };
}

const spec = generateSpec(1_100_000);
const js = javascript(spec.length);
const result = analyze(spec);
const errors = result.diagnostics.filter((d) => d.severity === 'error');
if (errors.length > 0) throw new Error(`generated spec has errors: ${errors[0].message}`);

const mb = (n) => n / 1e6;
const ours = measure(() => analyze(spec));
const theirs = measure(() => acorn.parse(js, { ecmaVersion: 'latest' }));
const rate = (bytes, ms) => (mb(bytes) / (ms / 1000)).toFixed(1);
console.log(`analyze(): ${(mb(spec.length)).toFixed(2)} MB spec, ${spec.split('\n').length.toLocaleString('en-US')} lines, ${result.layers.length.toLocaleString('en-US')} layers`);
console.log(`  analyze()      median ${ours.median.toFixed(1)} ms  (${rate(spec.length, ours.median)} MB/s), best ${ours.best.toFixed(1)} ms`);
console.log(`  acorn.parse()  median ${theirs.median.toFixed(1)} ms  (${rate(js.length, theirs.median)} MB/s), best ${theirs.best.toFixed(1)} ms, on ${(mb(js.length)).toFixed(2)} MB of JavaScript`);
console.log(`  ratio (analyze MB/s ÷ acorn MB/s): ${((spec.length / ours.median) / (js.length / theirs.median)).toFixed(2)}`);
