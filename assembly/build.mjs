// Compiles assembly/index.ts to dist/kernels.wasm with AssemblyScript (SIMD on,
// no runtime, no asserts) and returns it as base64 for esbuild's and vitest's
// `define`. Skips the compile when the .wasm is newer than every source.
import { mkdirSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const kernelsWasm = join(here, '..', 'dist', 'kernels.wasm');

function fresh() {
  if (!existsSync(kernelsWasm)) return false;
  const built = statSync(kernelsWasm).mtimeMs;
  return readdirSync(here).every((f) => statSync(join(here, f)).mtimeMs <= built);
}

/** Builds (if stale) and returns the module's bytes as base64. */
export async function buildKernels() {
  if (!fresh()) {
    const { default: asc } = await import('assemblyscript/asc');
    mkdirSync(dirname(kernelsWasm), { recursive: true });
    const { error, stderr } = await asc.main(
      [join(here, 'index.ts'), '--outFile', kernelsWasm, '-O3', '--runtime', 'stub', '--enable', 'simd', '--noAssert', '--use', 'abort=', '--initialMemory', '1'],
      {},
    );
    if (error) throw new Error(`assemblyscript: ${error.message}\n${stderr.toString()}`);
  }
  return readFileSync(kernelsWasm).toString('base64');
}

/** The `define` entry that embeds the kernels in a bundle. */
export async function kernelsDefine() {
  return { __CONVLENS_KERNELS_WASM__: JSON.stringify(await buildKernels()) };
}
