import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(__dirname, '../../dist');
const bundles = ['webview.js', 'worker.js', 'toolkit.js', 'webview.css'];

// `npm test` builds first; `vitest run` alone may find no dist/.
describe.skipIf(!existsSync(join(dist, 'webview.js')))('browser bundles (esbuild.mjs)', () => {
  it('are all built', () => {
    for (const bundle of bundles) expect(existsSync(join(dist, bundle)), bundle).toBe(true);
  });

  it('need nothing from Node or VS Code at run time', () => {
    for (const bundle of ['webview.js', 'worker.js', 'toolkit.js']) {
      const code = readFileSync(join(dist, bundle), 'utf8');
      expect(code, bundle).not.toMatch(/\brequire\(\s*["'](vscode|node:|fs|path|zlib|stream|buffer)/);
      expect(code, bundle).not.toMatch(/\bprocess\.(env|versions)/);
    }
  });

  it('are all packaged (.vscodeignore lets each back in)', () => {
    const ignore = readFileSync(join(__dirname, '../../.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const bundle of bundles) expect(ignore.includes(`!dist/${bundle}`) || ignore.includes(`!dist/*${bundle.slice(bundle.lastIndexOf('.'))}`), bundle).toBe(true);
  });

  it('keep the toolkit out of the first bundle, so the first maps do not wait for it', () => {
    expect(readFileSync(join(dist, 'webview.js'), 'utf8')).not.toMatch(/provideVSCodeDesignSystem|fast-foundation/);
    expect(readFileSync(join(dist, 'webview.js')).length).toBeLessThan(100_000);
  });
});
