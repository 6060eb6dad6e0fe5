// Our conv2d against the libraries a user would pick, in one Node process on
// the same inputs and weights: onnxruntime-web (wasm backend, 1 thread),
// @tensorflow/tfjs-backend-cpu and @tensorflow/tfjs-backend-wasm (1 thread);
// the five layers of issue 4, then a whole ResNet-18 forward at 224×224.
//
//   npm run build && node bench/compare.bench.mjs [--quick] [--js]
//
// --js times our TypeScript fallback instead of the WebAssembly SIMD kernels.
//
// Times are the best of repeated runs within a time budget (the machine is
// shared; the best run is the most faithful). Each library's output is checked
// against ours (max |Δ| relative to the output's max |value|).
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelsDefine } from '../assembly/build.mjs';
import { LAYERS, rand } from './layers.mjs';
import { convModel, graphModel } from './onnx.mjs';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const BUDGET_MS = quick ? 400 : 2000;
const MAX_RUNS = quick ? 3 : 30;

// Our code, bundled from source so the bench always measures the current tree.
const dir = mkdtempSync(join(tmpdir(), 'convlens-compare-'));
const bundle = join(dir, 'ours.cjs');
await esbuild.build({
  stdin: {
    contents: `export * from './src/core/index'; export { kernelBackend, setKernelBackend } from './src/core/wasm'; export { analyze } from './src/language/analyze';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
  define: await kernelsDefine(), // the WebAssembly SIMD kernels, as esbuild.mjs embeds them
});
const ours = require(bundle);
if (process.argv.includes('--js')) ours.setKernelBackend('js');

const ort = require('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = join(root, 'node_modules', 'onnxruntime-web', 'dist') + '/';
ort.env.logLevel = 'error';

const tf = require('@tensorflow/tfjs-core');
tf.env().set('PROD', true); // production mode: no debug checks, no "install tfjs-node" banner
require('@tensorflow/tfjs-backend-cpu');
const tfwasm = require('@tensorflow/tfjs-backend-wasm');
tfwasm.setWasmPaths(join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
tfwasm.setThreadsCount(1);

async function time(fn, budget = BUDGET_MS, maxRuns = MAX_RUNS) {
  await fn(); // warm-up (JIT, wasm compilation, allocations)
  const times = [];
  const end = performance.now() + budget;
  while (times.length < 2 || (performance.now() < end && times.length < maxRuns)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

/** NCHW/CHW → NHWC data for tfjs, and back. */
function chwToHwc(data, c, h, w) {
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[p * c + ch] = data[ch * h * w + p];
  return out;
}
function hwcToChw(data, c, h, w) {
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[ch * h * w + p] = data[p * c + ch];
  return out;
}
/** OIHW conv weights → tfjs HWIO (or HWC1 for depthwise). */
function oihwToHwio(data, o, i, k) {
  const out = new Float32Array(data.length);
  for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out[((y * k + x) * i + b) * o + a] = data[((a * i + b) * k + y) * k + x];
  return out;
}

function maxRelDiff(a, b) {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return worst / (scale || 1);
}


const results = [];

async function benchLayer(L) {
  const x = rand(L.c * L.h * L.w, 1);
  const weight = rand(L.co * (L.c / L.g) * L.k * L.k, 2);
  const bias = rand(L.co, 3);
  const opts = { stride: L.s, padding: L.p, groups: L.g };
  const input = { shape: [L.c, L.h, L.w], data: x };
  const wt = { shape: [L.co, L.c / L.g, L.k, L.k], data: weight };
  const b = { shape: [L.co], data: bias };
  const reference = ours.conv2d(input, wt, b, opts);
  const [, oh, ow] = reference.shape;
  const macs = reference.data.length * (L.c / L.g) * L.k * L.k;
  const row = { name: L.name, macs, ms: {}, diff: {} };

  row.ms.ours = await time(() => ours.conv2d(input, wt, b, opts));
  // First call on a weight array (what the CLI and the preview see: they read fresh
  // weights on every run): a new copy of the weights each call, made outside the timing.
  const copies = Array.from({ length: MAX_RUNS + 2 }, () => ({ shape: wt.shape, data: weight.slice() }));
  let next = 0;
  row.ms.cold = await time(() => ours.conv2d(input, copies[next++ % copies.length], b, opts));

  const session = await ort.InferenceSession.create(convModel(L, weight, bias, reference.shape), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const feeds = { X: new ort.Tensor('float32', x, [1, L.c, L.h, L.w]) };
  row.diff.ort = maxRelDiff((await session.run(feeds)).Y.data, reference.data);
  row.ms.ort = await time(() => session.run(feeds));
  await session.release();

  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    await tf.ready();
    const tx = tf.tensor4d(chwToHwc(x, L.c, L.h, L.w), [1, L.h, L.w, L.c]);
    const depthwise = L.g === L.c && L.g > 1;
    const tw = depthwise ? tf.tensor4d(oihwToHwio(weight, L.c, 1, L.k), [L.k, L.k, L.c, 1]) : tf.tensor4d(oihwToHwio(weight, L.co, L.c, L.k), [L.k, L.k, L.c, L.co]);
    const tb = tf.tensor1d(bias);
    const pad = L.p === 0 ? 'valid' : [[0, 0], [L.p, L.p], [L.p, L.p], [0, 0]];
    const run = async () => {
      const y = tf.tidy(() => tf.add(depthwise ? tf.depthwiseConv2d(tx, tw, L.s, pad) : tf.conv2d(tx, tw, L.s, pad), tb));
      const data = await y.data();
      y.dispose();
      return data;
    };
    const key = `tfjs-${backend}`;
    row.diff[key] = maxRelDiff(hwcToChw(await run(), L.co, oh, ow), reference.data);
    row.ms[key] = await time(run, backend === 'cpu' ? Math.min(BUDGET_MS, 1000) : BUDGET_MS);
    tf.dispose([tx, tw, tb]);
  }
  results.push(row);
}

/** ResNet-18 at 224: the same init weights everywhere, generated once outside the timing. */
async function benchResnet() {
  const { readFileSync } = await import('node:fs');
  const analysis = ours.analyze(readFileSync(join(root, 'samples', 'resnet18.cnn'), 'utf8'));
  const graph = { name: analysis.model.name, inputShape: analysis.model.inputShape, layers: analysis.layers };
  const init = ours.initWeights(graph.name);
  const cache = new Map();
  for (const layer of graph.layers) for (const p of ours.layerParams(layer)) cache.set(p.key, { shape: p.shape, data: init.get(p, layer) });
  const weights = { get: (p) => cache.get(p.key).data };
  const params = (layer, role) => cache.get(`${layer.name}.${role}`);
  const x = rand(3 * 224 * 224, 7);
  const input = { shape: [3, 224, 224], data: x };
  let macs = 0;
  for (const l of analysis.layers) macs += l.macs;
  const row = { name: 'ResNet-18 forward, 3×224×224', macs, ms: {}, diff: {} };

  const runOurs = () => {
    const steps = ours.runModelSync(graph, input, { weights });
    for (;;) {
      const s = steps.next();
      if (s.done) return s.value.output.data;
    }
  };
  const reference = runOurs();
  row.ms.ours = await time(runOurs, BUDGET_MS * 2, quick ? 2 : 10);
  // With fresh weight arrays on every forward (copies made outside the timing), as the CLI and preview run.
  const runs = quick ? 3 : 4;
  const fresh = Array.from({ length: runs }, () => {
    const copy = new Map([...cache].map(([key, t]) => [key, t.data.slice()]));
    return { get: (p) => copy.get(p.key) };
  });
  let nextSet = 0;
  row.ms.cold = await time(() => {
    const steps = ours.runModelSync(graph, input, { weights: fresh[nextSet++ % runs] });
    for (;;) if (steps.next().done) return;
  }, 0, runs - 1);

  const session = await ort.InferenceSession.create(graphModel(graph, params), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const feeds = { input: new ort.Tensor('float32', x, [1, 3, 224, 224]) };
  const outName = session.outputNames[0];
  row.diff.ort = maxRelDiff((await session.run(feeds))[outName].data, reference);
  row.ms.ort = await time(() => session.run(feeds), BUDGET_MS * 2, quick ? 2 : 10);
  await session.release();

  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    await tf.ready();
    const tw = new Map();
    for (const layer of graph.layers) {
      if (layer.kind === 'conv') {
        const w = params(layer, 'weight');
        const [o, i, k] = w.shape;
        tw.set(layer.id, tf.tensor4d(oihwToHwio(w.data, o, i, k), [k, k, i, o]));
      } else if (layer.kind === 'batchnorm') {
        tw.set(layer.id, ['running_mean', 'running_var', 'bias', 'weight'].map((r) => tf.tensor1d(params(layer, r).data)));
      } else if (layer.kind === 'linear') {
        tw.set(layer.id, [tf.tensor2d(params(layer, 'weight').data, params(layer, 'weight').shape), tf.tensor1d(params(layer, 'bias').data)]);
      }
    }
    const tx = tf.tensor4d(chwToHwc(x, 3, 224, 224), [1, 224, 224, 3]);
    const forward = async () => {
      const y = tf.tidy(() => {
        const values = new Map();
        const get = (id) => (id < 0 ? tx : values.get(id));
        for (const layer of graph.layers) {
          const [a, b2] = layer.inputs.map(get);
          const p = layer.args.padding ?? 0;
          const pad = p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]];
          let out;
          switch (layer.kind) {
            case 'conv': out = tf.conv2d(a, tw.get(layer.id), layer.args.stride ?? 1, pad); break;
            case 'batchnorm': { const [m, v, beta, gamma] = tw.get(layer.id); out = tf.batchNorm(a, m, v, beta, gamma, layer.args.eps); break; }
            case 'relu': out = tf.relu(a); break;
            case 'maxpool': out = tf.maxPool(a, layer.args.k, layer.args.stride ?? layer.args.k, pad); break;
            case 'add': out = tf.add(a, b2); break;
            case 'gap': out = tf.mean(a, [1, 2], true); break;
            case 'flatten': out = tf.reshape(a, [1, -1]); break;
            case 'linear': { const [w, bias] = tw.get(layer.id); out = tf.add(tf.matMul(a, w, false, true), bias); break; }
            default: throw new Error(layer.kind);
          }
          values.set(layer.id, out);
        }
        return values.get(graph.layers.length - 1);
      });
      const data = await y.data();
      y.dispose();
      return data;
    };
    const key = `tfjs-${backend}`;
    row.diff[key] = maxRelDiff(await forward(), reference);
    row.ms[key] = await time(forward, backend === 'cpu' ? 1 : BUDGET_MS * 2, backend === 'cpu' ? 1 : quick ? 2 : 10);
    tx.dispose();
    for (const t of tw.values()) tf.dispose(t);
  }
  results.push(row);
}

for (const L of LAYERS) await benchLayer(L);
await benchResnet();

// One core of this machine: AVX-512 with two FMA units at 2.3 GHz = 2·16·2·2.3 = 147 GFLOP/s (float32).
const PEAK_GFLOPS = 147.2;
const libs = ['ours', 'ort', 'tfjs-wasm', 'tfjs-cpu'];
const label = { ours: 'ConvLens', ort: 'onnxruntime-web wasm', 'tfjs-wasm': 'tfjs wasm', 'tfjs-cpu': 'tfjs cpu' };
const lines = [];
lines.push(`| layer | ${libs.map((l) => `${label[l]} ms`).join(' | ')} | ours vs ort | ours vs tfjs-wasm | ours vs tfjs-cpu | ours GFLOP/s | % of 1-core peak | ours, fresh weights ms | fresh vs ort |`);
lines.push(`|---|${libs.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|---:|---:|`);
for (const r of results) {
  const gflops = (2 * r.macs) / (r.ms.ours * 1e6);
  const ratio = (lib, ours = r.ms.ours) => `${(r.ms[lib] / ours).toFixed(2)}×`;
  lines.push(`| ${r.name} | ${libs.map((l) => r.ms[l].toFixed(l === 'tfjs-cpu' && r.ms[l] > 1000 ? 0 : 2)).join(' | ')} | ${ratio('ort')} | ${ratio('tfjs-wasm')} | ${ratio('tfjs-cpu')} | ${gflops.toFixed(1)} | ${((100 * gflops) / PEAK_GFLOPS).toFixed(1)}% | ${r.ms.cold.toFixed(2)} | ${ratio('ort', r.ms.cold)} |`);
}
console.log(`Ratios are their time / our time: above 1× means we are faster. Backend: ${ours.kernelBackend()}.\n`);
console.log(lines.join('\n'));
console.log('\nMax |Δ| vs ours, relative to the output\'s max |value|:');
for (const r of results) console.log(`  ${r.name}: ${libs.slice(1).map((l) => `${label[l]} ${r.diff[l].toExponential(1)}`).join(', ')}`);
console.log(`\nonnxruntime-web ${ort.env.versions?.web ?? ''} (wasm, numThreads=${ort.env.wasm.numThreads}); tfjs ${tf.version_core}; node ${process.version}`);
