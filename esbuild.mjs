// Builds every bundle: the CLI, the numeric-core library, and (when present) the
// language server, the VS Code extension, and the preview webview with its worker.
// First it compiles the WebAssembly SIMD kernels (assembly/) and embeds them in
// every bundle as base64 (src/core/wasm.ts reads them; unused bundles drop them).
import * as esbuild from 'esbuild';
import { kernelsDefine } from './assembly/build.mjs';
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  target: 'node20',
  platform: 'node',
  format: 'cjs',
  define: await kernelsDefine(),
};

const nodeBuiltins = new Set(builtinModules);

/**
 * The webview and its worker run in the browser: fail the build when either
 * pulls in `vscode` or a Node built-in, naming the importer.
 */
const browserGuard = {
  name: 'browser-guard',
  setup(build) {
    build.onResolve({ filter: /^(vscode$|node:|[a-z_]+(\/.*)?$)/ }, (args) => {
      const bare = args.path.replace(/^node:/, '');
      const forbidden = args.path === 'vscode' || args.path.startsWith('node:') || nodeBuiltins.has(bare) || nodeBuiltins.has(bare.split('/')[0]);
      if (!forbidden) return undefined;
      return { errors: [{ text: `browser bundle imports "${args.path}" (from ${args.importer}): the webview and its worker must not use vscode or Node built-ins` }] };
    });
  },
};

/**
 * Always minified: the panel's first maps are due within 300 ms of opening, and
 * an unminified webview bundle (mostly the UI toolkit) takes a few hundred ms
 * more to load. Source maps still point at the TypeScript.
 * @type {esbuild.BuildOptions}
 */
const browser = { platform: 'browser', format: 'iife', target: 'es2022', minify: true, plugins: [browserGuard] };

const bundles = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js' },
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', ...browser },
  { entryPoints: ['webview/worker.ts'], outfile: 'dist/worker.js', ...browser },
  { entryPoints: ['webview/ui/toolkit.ts'], outfile: 'dist/toolkit.js', ...browser },
].filter((b) => existsSync(b.entryPoints[0]));

const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...common, ...b })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
