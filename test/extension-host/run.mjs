// Optional desktop suite: `npm run test:extension-host`. @vscode/test-electron
// downloads a desktop VS Code (the newest stable, and the oldest that
// engines.vscode claims), so this needs internet access and cannot run in CI
// here; `npm run test:e2e` covers the same ground in code-server.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { engines } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const oldest = engines.vscode.replace(/^[\^~>=]+/, '');

for (const version of ['stable', oldest]) {
  const workspace = mkdtempSync(join(tmpdir(), 'convlens-exthost-'));
  cpSync(join(repo, 'samples'), workspace, { recursive: true });
  try {
    console.log(`extension-host suite on VS Code ${version}`);
    await runTests({
      version,
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'test/extension-host/suite.cjs'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
