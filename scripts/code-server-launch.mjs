// How `npm start` launches code-server: the arguments and the environment.
// Kept apart from start.mjs so a test can check them without starting anything.
import { randomBytes } from 'node:crypto';

/** A fresh password for one `npm start`: 24 URL-safe characters (144 random bits). */
export function makePassword(random = randomBytes) {
  return random(18).toString('base64url');
}

/**
 * code-server's command line. Password authentication (the password travels
 * in $PASSWORD, never on the command line, where `ps` would show it), bound to
 * 127.0.0.1 only, and workspace trust left on: any local process can reach
 * the port, and the workbench it would get has a terminal.
 */
export function codeServerArgs({ port, userDataDir, extensionsDir, workspace }) {
  return [
    '--auth', 'password',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ];
}

/** The environment code-server runs with: `base` plus the password; no hashed password or GitHub token from the caller's. */
export function codeServerEnv(base, password) {
  const env = { ...base, PASSWORD: password };
  delete env.HASHED_PASSWORD;
  delete env.GITHUB_TOKEN;
  return env;
}
