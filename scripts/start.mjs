// `npm start`: builds and packages the extension, installs the code-server
// harness when it is missing, and serves VS Code on 127.0.0.1 with the .vsix
// installed and a copy of samples/ open, behind a fresh random password.
// Prints the URL and the password; Ctrl+C stops it.
//
//   PORT=9000 npm start      choose the port (default 8080, or a free one if taken)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerArgs, codeServerEnv, makePassword } from './code-server-launch.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const harness = join(repo, '.e2e-harness');
const playground = join(harness, 'playground');
const codeServer = join(harness, 'code-server/node_modules/.bin/code-server');
const env = {
  ...process.env,
  PATH: `${join(harness, 'node24/node_modules/node/bin')}${delimiter}${process.env.PATH ?? ''}`,
  XDG_CONFIG_HOME: join(playground, 'config'),
  XDG_DATA_HOME: join(playground, 'data'),
};

function step(message) {
  console.log(`\n▸ ${message}`);
}

function portIsFree(port) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

async function choosePort() {
  const wanted = Number(process.env.PORT ?? 8080);
  if (await portIsFree(wanted)) return wanted;
  for (let port = wanted + 1; port < wanted + 100; port++) if (await portIsFree(port)) return port;
  throw new Error(`no free port from ${wanted} on`);
}

const { name, version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const vsix = join(repo, `${name}-${version}.vsix`);

step('building and packaging the extension (npm run package)');
execFileSync('npm', ['run', '--silent', 'package'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });

step('checking the code-server harness (scripts/e2e/install.sh; the first run takes a few minutes)');
execFileSync('bash', [join(repo, 'scripts/e2e/install.sh')], { cwd: repo, stdio: 'inherit' });

step(`installing ${name}-${version}.vsix into a fresh profile`);
rmSync(playground, { recursive: true, force: true });
const extensionsDir = join(playground, 'extensions');
const userDataDir = join(playground, 'user-data');
const workspace = join(playground, 'samples');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
writeFileSync(
  join(userDataDir, 'User/settings.json'),
  JSON.stringify({ 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'telemetry.telemetryLevel': 'off' }, null, 2),
);
cpSync(join(repo, 'samples'), workspace, { recursive: true });
execFileSync(codeServer, ['--extensions-dir', extensionsDir, '--install-extension', vsix], { env, stdio: 'ignore' });

const port = await choosePort();
step(`starting code-server on 127.0.0.1:${port}`);
const password = makePassword();
const child = spawn(codeServer, codeServerArgs({ port, userDataDir, extensionsDir, workspace }), {
  env: codeServerEnv(env, password),
  stdio: ['ignore', 'ignore', 'inherit'],
});
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill('SIGTERM'));

for (let waited = 0; ; waited += 200) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
  } catch {
    // Not listening yet.
  }
  if (waited > 60_000) {
    console.error('code-server did not start within 60 s');
    child.kill('SIGTERM');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

console.log(`
ConvLens is running in VS Code (code-server), with a copy of samples/ open:

    http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}
    password: ${password}

Open that URL in a browser and log in with the password (a new one each
\`npm start\`; any program on this machine can reach the port, so it is not
left open). The folder opens in Restricted Mode, where ConvLens works in full;
"Manage" in the banner trusts it (a copy of samples/) for the rest of VS Code.
Try broken.cnn (diagnostics and quick fixes with Ctrl+.), hover a layer, and
"ConvLens: Show Model Summary" from the command palette (F1).
Edits go to ${workspace}, which the next \`npm start\` replaces.
Press Ctrl+C to stop.`);
