/**
 * The real-editor harness: code-server (VS Code 1.139 as a web app) with the
 * packaged .vsix installed, in its own process group, driven by Debian's
 * Chromium through playwright-core. `scripts/e2e/install.sh` installs all of
 * it into `.e2e-harness/`, outside the extension's own node_modules.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const harnessDir = join(repoRoot, '.e2e-harness');
const node24Bin = join(harnessDir, 'node24/node_modules/node/bin');
const codeServerBin = join(harnessDir, 'code-server/node_modules/.bin/code-server');
export const chromiumPath = '/usr/bin/chromium';
/** Flags that worked for Debian's Chromium in a container without a GPU or network. */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const run = promisify(execFile);

export interface Manifest {
  name: string;
  publisher: string;
  version: string;
  contributes?: { commands?: { command: string; title: string; category?: string }[] };
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

export function vsixPath(): string {
  const { name, version } = readManifest();
  return join(repoRoot, `${name}-${version}.vsix`);
}

/** Fails with the fix when the harness or the package is missing. */
export function checkPrerequisites(): void {
  const missing = [codeServerBin, join(node24Bin, 'node'), chromiumPath].filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`e2e harness incomplete (run scripts/e2e/install.sh): missing ${missing.join(', ')}`);
  if (!existsSync(vsixPath())) throw new Error(`${vsixPath()} is missing: run \`npm run package\` (npm run test:e2e does)`);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServer {
  readonly url: string;
  /** The temp copy of samples/ that the window opens. */
  readonly workspace: string;
  /** The package.json of the extension as installed from the .vsix. */
  installedManifest(): Manifest;
  /** Everything code-server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Copied into a fresh temp folder, which becomes the opened workspace. */
  folder: string;
  /** Written to the fresh user-data-dir's settings.json. */
  settings?: Record<string, unknown>;
  /** Keep the temp dirs (for `npm start`). */
  keep?: boolean;
  /** Fixed port; a free one when absent. */
  port?: number;
}

/**
 * Installs the .vsix into a fresh extensions dir and starts code-server on
 * 127.0.0.1 in its own process group, with a fresh user-data-dir.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const root = mkdtempSync(join(tmpdir(), 'convlens-e2e-'));
  const extensionsDir = join(root, 'extensions');
  const userDataDir = join(root, 'user-data');
  const workspace = join(root, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(options.settings ?? {}, null, 2));
  cpSync(options.folder, workspace, { recursive: true });

  const env = {
    ...process.env,
    PATH: `${node24Bin}${delimiter}${process.env.PATH ?? ''}`,
    // code-server writes its config.yaml under XDG_CONFIG_HOME: keep it out of $HOME.
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
  };
  await run(codeServerBin, ['--extensions-dir', extensionsDir, '--install-extension', vsixPath()], { env });

  const port = options.port ?? (await freePort());
  let log = '';
  const child: ChildProcess = spawn(
    codeServerBin,
    [
      // No password and no trust prompt, unlike `npm start` (scripts/code-server-launch.mjs): this instance lives
      // for one test run, on a free port, in a temp dir with a throwaway workspace, and is killed when the run ends.
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // The group is already gone.
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Gone.
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  };

  // Ready when the HTTP server answers; the workbench itself is awaited in the browser.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on port ${port} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const installedManifest = (): Manifest => {
    const { publisher, name } = readManifest();
    const dir = readdirSync(extensionsDir).find((d) => d.startsWith(`${publisher}.${name}-`));
    if (!dir) throw new Error(`${publisher}.${name} is not installed in ${extensionsDir}`);
    return JSON.parse(readFileSync(join(extensionsDir, dir, 'package.json'), 'utf8')) as Manifest;
  };
  return { url, workspace, installedManifest, output: () => log, stop };
}
