import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index';

// The library entry and the purity rule (no numerics here).

describe('core index', () => {
  it('exports the tensor helpers, geometry and every kernel', () => {
    const names = [
      'tensor', 'numel', 'zeros', 'windowGeometry', 'conv', 'conv1d', 'conv2d', 'conv3d', 'convTranspose',
      'maxPool', 'avgPool', 'adaptiveAvgPool', 'adaptiveMaxPool', 'globalAvgPool', 'batchNorm', 'layerNorm', 'groupNorm',
      'relu', 'relu6', 'leakyRelu', 'prelu', 'gelu', 'silu', 'sigmoid', 'hardswish', 'hardsigmoid', 'tanh', 'abs', 'softmax',
      'linear', 'flatten', 'add', 'mul', 'concat', 'split', 'chunk', 'channelShuffle', 'upsample', 'layerScale', 'dropout',
      'stochasticDepth',
    ];
    for (const name of names) expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
  });
});

describe('src/core is pure (runs in a browser Web Worker)', () => {
  const root = join(__dirname, '..', '..', 'src', 'core');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.push(path);
    }
  };
  walk(root);
  for (const file of files) {
    it(`${file.slice(root.length + 1)} imports nothing from Node, vscode or outside the core`, () => {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec.startsWith('.'), `${spec} in ${file}`).toBe(true);
        // Inside the core, or the WebAssembly memory layout both sides compile.
        const target = relative(join(root, '..', '..'), resolve(dirname(file), spec));
        expect(target.startsWith(`src${sep}core${sep}`) || target === join('assembly', 'layout'), `${spec} in ${file}`).toBe(true);
      }
      expect(/\b(process|Buffer|require)\s*[.(]/.test(text), `Node global in ${file}`).toBe(false);
    });
  }
});
