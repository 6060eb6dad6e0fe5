// Writes what is generated from the layer catalogue: npm run docs
//   docs/layers.md                   the layer reference
//   syntaxes/cnn.tmLanguage.json     the `layer-kind` rule's keyword list (only that line changes)
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const outfile = join(mkdtempSync(join(tmpdir(), 'convlens-docs-')), 'reference.cjs');
await esbuild.build({ entryPoints: ['src/language/layer-reference.ts'], bundle: true, platform: 'neutral', format: 'cjs', outfile, logLevel: 'warning' });
const { layerReference, layerKindPattern } = createRequire(import.meta.url)(outfile);
writeFileSync('docs/layers.md', layerReference());
console.log('wrote docs/layers.md');

const grammarPath = 'syntaxes/cnn.tmLanguage.json';
const grammar = readFileSync(grammarPath, 'utf8');
// Edit the one line in place, so the file's hand-written layout and comments stay as they are.
const rule = /("layer-kind": \{\s*"match": )"(?:[^"\\]|\\.)*"/;
if (!rule.test(grammar)) throw new Error(`${grammarPath}: no "layer-kind" rule with a "match" to update`);
const updated = grammar.replace(rule, (_, head) => `${head}${JSON.stringify(layerKindPattern())}`);
JSON.parse(updated);
writeFileSync(grammarPath, updated);
console.log(`wrote the layer-kind keywords of ${grammarPath}`);
