#!/usr/bin/env node
// Writes a model's deterministic init weights (what `convlens run` uses without a
// weights file) as .safetensors, so that scripts/golden/forward.py can load the
// same weights into PyTorch without committing them.
//
//   node scripts/golden/init-weights.mjs SPEC.cnn OUT.safetensors
//
// Bundles src/ on the fly with esbuild (a devDependency).
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const [spec, out] = process.argv.slice(2);
if (!spec || !out) {
  console.error('usage: node scripts/golden/init-weights.mjs SPEC.cnn OUT.safetensors');
  process.exit(2);
}
const entry = `
import { analyze } from './src/language/analyze';
import { encodeSafetensors, initWeights, layerParams } from './src/core/index';
export function initFile(text) {
  const analysis = analyze(text);
  const init = initWeights(analysis.model.name);
  const tensors = {};
  for (const layer of analysis.layers) {
    for (const param of layerParams(layer)) tensors[param.key] = { shape: param.shape, data: init.get(param, layer) };
  }
  return encodeSafetensors(tensors, { model: analysis.model.name, source: 'initWeights' });
}`;
const bundle = join(mkdtempSync(join(tmpdir(), 'convlens-init-')), 'init.cjs');
await esbuild.build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
const { initFile } = createRequire(import.meta.url)(bundle);
writeFileSync(out, initFile(readFileSync(spec, 'utf8')));
