import { describe, expect, it } from 'vitest';
import { codeServerArgs, codeServerEnv, makePassword } from '../../scripts/code-server-launch.mjs';

describe('npm start’s code-server launch', () => {
  const args = codeServerArgs({ port: 9000, userDataDir: '/p/user-data', extensionsDir: '/p/extensions', workspace: '/p/samples' });
  const flag = (name: string) => args[args.indexOf(name) + 1];

  it('asks for a password, listens on the loopback only, and keeps workspace trust on', () => {
    expect(flag('--auth')).toBe('password');
    expect(flag('--bind-addr')).toBe('127.0.0.1:9000');
    expect(args).not.toContain('--disable-workspace-trust');
    expect(args.join(' ')).not.toMatch(/--auth none|--password|--link|--trusted-origins/);
    expect(args[args.length - 1]).toBe('/p/samples');
  });

  it('passes the password in the environment, not on the command line, and drops a caller’s hashed password', () => {
    const password = makePassword();
    const env = codeServerEnv({ PATH: '/bin', HASHED_PASSWORD: 'x', GITHUB_TOKEN: 't' }, password);
    expect(env).toEqual({ PATH: '/bin', PASSWORD: password });
    expect(args.join(' ')).not.toContain(password);
  });

  it('makes a fresh URL-safe password of 144 random bits each time', () => {
    expect(makePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(makePassword()).not.toBe(makePassword());
    expect(makePassword((n) => Buffer.alloc(n, 255))).toBe('_'.repeat(24));
  });
});
