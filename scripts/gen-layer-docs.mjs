// Writes docs/layers.md from the layer catalogue: npm run docs
import * as esbuild from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const outfile = join(mkdtempSync(join(tmpdir(), 'convlens-docs-')), 'reference.cjs');
await esbuild.build({ entryPoints: ['src/language/layer-reference.ts'], bundle: true, platform: 'neutral', format: 'cjs', outfile, logLevel: 'warning' });
const { layerReference } = createRequire(import.meta.url)(outfile);
writeFileSync('docs/layers.md', layerReference());
console.log('wrote docs/layers.md');
