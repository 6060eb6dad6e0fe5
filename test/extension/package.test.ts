import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { repoRoot } from '../server/lsp-client';

/** The .vsix is a zip; lists its entries and reads one of them. */
function readZip(path: string): Promise<{ names: string[]; text: (name: string) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, yauzl.Entry>();
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('error', reject);
      zip.on('end', () =>
        resolve({
          names: [...entries.keys()],
          text: (name) =>
            new Promise((resolveText, rejectText) => {
              const entry = entries.get(name);
              if (!entry) return rejectText(new Error(`${name} is not in the package`));
              zip.openReadStream(entry, (streamError, stream) => {
                if (streamError || !stream) return rejectText(streamError ?? new Error('no stream'));
                const chunks: Buffer[] = [];
                stream.on('data', (chunk: Buffer) => chunks.push(chunk));
                stream.on('end', () => resolveText(Buffer.concat(chunks).toString('utf8')));
                stream.on('error', rejectText);
              });
            }),
        }),
      );
      zip.readEntry();
    });
  });
}

/** What may ship, under the zip's `extension/` folder (vsce adds `.txt` to LICENSE and lower-cases readme). */
const allowed = [
  /^package\.json$/,
  /^readme\.md$/i,
  /^LICENSE(\.txt)?$/,
  /^dist\/(extension|server|webview|worker|toolkit)\.js$/,
  /^dist\/[\w-]+\.css$/,
  /^images\/(icon\.png|cnn\.svg)$/,
  /^syntaxes\/[\w.-]+\.json$/,
  /^samples\/.+$/,
];

/** The whole package stays small: bundles, grammar, icons and the samples. */
const maxBytes = 2 * 1024 * 1024;

describe('the packaged .vsix (vsce package --no-dependencies, as npm run package builds it)', () => {
  let dir: string;
  let vsix: string;
  let zip: Awaited<ReturnType<typeof readZip>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'convlens-vsix-'));
    vsix = join(dir, 'convlens.vsix');
    // Packages the current dist/ (npm test builds it first), into a temp file.
    execFileSync(
      join(repoRoot, 'node_modules/.bin/vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix],
      { cwd: repoRoot, stdio: 'pipe' },
    );
    zip = await readZip(vsix);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds only the bundles and what they read at run time', () => {
    const files = zip.names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    const unexpected = files.filter((f) => !allowed.some((pattern) => pattern.test(f)));
    expect(unexpected).toEqual([]);
    for (const forbidden of [/node_modules\//, /^src\//, /^test\//, /\.map$/, /\.ts$/]) {
      expect(files.filter((f) => forbidden.test(f)), String(forbidden)).toEqual([]);
    }
  });

  it('includes the extension and server bundles, the grammar, and every sample', () => {
    const files = new Set(zip.names);
    for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/syntaxes/cnn.tmLanguage.json', 'extension/syntaxes/language-configuration.json', 'extension/images/icon.png']) {
      expect(files.has(required), required).toBe(true);
    }
    for (const sample of readdirSync(join(repoRoot, 'samples'), { recursive: true, withFileTypes: true })) {
      if (!sample.isFile()) continue;
      const relative = join(sample.parentPath, sample.name).slice(join(repoRoot, 'samples').length + 1);
      expect(files.has(`extension/samples/${relative}`), `samples/${relative}`).toBe(true);
    }
  });

  it(`is smaller than ${maxBytes / 1024 / 1024} MB`, () => {
    expect(statSync(vsix).size).toBeLessThan(maxBytes);
  });

  it('ships bundles that need nothing from node_modules but vscode', async () => {
    for (const bundle of ['extension/dist/extension.js', 'extension/dist/server.js']) {
      const code = await zip.text(bundle);
      const required = [...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]);
      const external = required.filter((name) => !name.startsWith('.') && !name.startsWith('node:') && name !== 'vscode' && !builtinModules.includes(name.split('/')[0]));
      expect(external, bundle).toEqual([]);
    }
  });

  it('declares an honest engine and activates only on .cnn files and its commands', async () => {
    const manifest = JSON.parse(await zip.text('extension/package.json')) as {
      engines: { vscode: string };
      activationEvents: string[];
      main: string;
      contributes: { commands: { command: string }[] };
    };
    // The oldest VS Code the language client supports is the oldest we can claim.
    const client = JSON.parse(readFileSync(join(repoRoot, 'node_modules/vscode-languageclient/package.json'), 'utf8')) as { engines: { vscode: string } };
    expect(manifest.engines.vscode).toBe(client.engines.vscode);
    expect(zip.names).toContain(`extension/${manifest.main.replace(/^\.\//, '')}`);
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const event of manifest.activationEvents) {
      // A restored ConvLens panel (after a window reload) also activates it: that is its own UI.
      const ok =
        event === 'onLanguage:cnn' ||
        (event.startsWith('onCommand:') && commands.has(event.slice('onCommand:'.length))) ||
        event.startsWith('onWebviewPanel:convlens.');
      expect(ok, event).toBe(true);
    }
    expect(manifest.activationEvents).toContain('onLanguage:cnn');
  });
});
