// Compiles assembly/index.ts with AssemblyScript (no runtime, no asserts) twice:
// dist/kernels.wasm with SIMD, and dist/kernels-relaxed.wasm with SIMD and relaxed
// SIMD (fused multiply-add; Chromium ≥ 114, not Node 20 by default). Returns both as
// base64 for esbuild's and vitest's `define`; src/core/wasm.ts uses the relaxed one
// where it validates. Skips a compile when its .wasm is newer than every source.
import { mkdirSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');

function fresh(wasm) {
  if (!existsSync(wasm)) return false;
  const built = statSync(wasm).mtimeMs;
  return readdirSync(here).every((f) => statSync(join(here, f)).mtimeMs <= built);
}

/** Builds one variant (if stale) and returns its bytes as base64. */
async function build(name, features) {
  const wasm = join(dist, name);
  if (!fresh(wasm)) {
    const { default: asc } = await import('assemblyscript/asc');
    mkdirSync(dist, { recursive: true });
    const { error, stderr } = await asc.main(
      [join(here, 'index.ts'), '--outFile', wasm, '-O3', '--runtime', 'stub', '--enable', features, '--noAssert', '--use', 'abort=', '--initialMemory', '1'],
      {},
    );
    if (error) throw new Error(`assemblyscript (${name}): ${error.message}\n${stderr.toString()}`);
  }
  return readFileSync(wasm).toString('base64');
}

/** The `define` entries that embed both variants in a bundle. */
export async function kernelsDefine() {
  const simd = await build('kernels.wasm', 'simd');
  const relaxed = await build('kernels-relaxed.wasm', 'simd,relaxed-simd');
  return { __CONVLENS_KERNELS_WASM__: JSON.stringify(simd), __CONVLENS_KERNELS_RELAXED_WASM__: JSON.stringify(relaxed) };
}
