import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layerSpecs } from '../../src/language/catalogue';
import { layerKindPattern } from '../../src/language/layer-reference';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runGrammarTests(pattern: string): { status: number | null; output: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('vscode-tmgrammar-test/package.json');
  const pkg = require(pkgPath) as { bin: Record<string, string> };
  const cli = join(dirname(pkgPath), pkg.bin['vscode-tmgrammar-test']);
  const result = spawnSync(process.execPath, [cli, '--compact', pattern], { cwd: root, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('TextMate grammar (syntaxes/cnn.tmLanguage.json)', () => {
  it('passes every assertion in test/syntaxes/*.test.cnn', () => {
    const { status, output } = runGrammarTests('test/syntaxes/**/*.test.cnn');
    expect(output).not.toMatch(/failed/);
    expect(status, output).toBe(0);
  });

  describe('layer-kind keywords', () => {
    const grammar = JSON.parse(readFileSync(join(root, 'syntaxes', 'cnn.tmLanguage.json'), 'utf8')) as { repository: Record<string, { match?: string }> };
    const match = grammar.repository['layer-kind']?.match ?? '';

    it("list exactly the catalogue's kinds", () => {
      const listed = /^\\b\(\?:([a-z0-9|]+)\)/.exec(match)?.[1]?.split('|') ?? [];
      expect([...listed].sort()).toEqual(layerSpecs().map((s) => s.kind).sort());
    });

    it('are what `npm run docs` generates from the catalogue', () => {
      expect(match).toBe(layerKindPattern());
    });
  });
});
