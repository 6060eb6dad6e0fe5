import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, sample } from './cli-harness';

const run = runCli;

describe('convlens check', () => {
  it('exits 0 with no output for a correct model', async () => {
    const r = await run('check', sample('resnet50.cnn'));
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('0 errors, 0 warnings');
  });

  it('flags the broken sample as path:line:col: severity[code]: message and exits 1', async () => {
    const r = await run('check', sample('broken.cnn'));
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(line).toMatch(/^\S*broken\.cnn:\d+:\d+: (error|warning)\[[a-z-]+\]: .+$/);
    expect(lines[0].endsWith('broken.cnn:7:27: error[channel-mismatch]: `conv` declares 8 input channels, but its input `16×32×32` has 16')).toBe(true);
    expect(lines.some((l) => /:10:10: error\[unknown-layer\]: .*did you mean `batchnorm`\?$/.test(l))).toBe(true);
    expect(r.err).toContain('10 errors, 2 warnings');
  });

  it('checks several files and counts all their diagnostics', async () => {
    const r = await run('check', sample('lenet5.cnn'), sample('broken.cnn'), sample('audio_m5.cnn'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('3 files checked: 10 errors, 4 warnings');
  });

  it('exits 2 with a file:line:col message for a missing file', async () => {
    const r = await run('check', 'no/such/model.cnn');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no/such/model.cnn:1:1: error[io]: cannot read file: no such file');
  });

  it('survives binary garbage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-'));
    const file = join(dir, 'garbage.cnn');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(file, bytes);
    const r = await run('check', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/garbage\.cnn:\d+:\d+: error\[syntax-error\]/);
  });
});

describe('convlens summary', () => {
  it('prints a table with every layer and the totals', async () => {
    const r = await run('summary', sample('lenet5.cnn'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^conv1\s+conv\s+6×28×28\s+156\s+117,600$/m);
    expect(r.out).toMatch(/^linear3\s+linear\s+10\s+850\s+840$/m);
    expect(r.out).toContain('Total params: 61,706');
    expect(r.out).toContain('Total MACs:   416,520 (417 K)\n');
  });

  it('--json gives the documented shape, 1-based lines, shapes without batch', async () => {
    const r = await run('summary', sample('lenet5.cnn'), '--json');
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['model', 'input', 'output', 'totalParams', 'totalMacs', 'layers', 'diagnostics']);
    expect(json.model).toBe('LeNet5');
    expect(json.input).toEqual([1, 32, 32]);
    expect(json.output).toEqual([10]);
    expect(json.totalParams).toBe(61706);
    expect(json.layers[0]).toEqual({
      name: 'conv1',
      kind: 'conv',
      line: 5,
      inputShape: [1, 32, 32],
      outputShape: [6, 28, 28],
      params: 156,
      macs: 117600,
      receptiveField: [5, 5],
    });
    expect(json.diagnostics).toEqual([]);
  });

  it('--json lists diagnostics with 1-based positions and exits 1 on errors', async () => {
    const r = await run('summary', sample('broken.cnn'), '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.diagnostics[0]).toEqual({
      severity: 'error',
      code: 'channel-mismatch',
      line: 7,
      column: 27,
      message: '`conv` declares 8 input channels, but its input `16×32×32` has 16',
    });
  });
});

describe('the built bin', () => {
  it('runs as `convlens` and sets the exit code', () => {
    expect(existsSync(join(ROOT, 'dist/cli.js')), 'run `npm run build` first').toBe(true);
    const ok = spawnSync(process.execPath, [join(ROOT, 'bin/convlens.js'), 'check', sample('vgg16.cnn')], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [join(ROOT, 'bin/convlens.js'), 'check', sample('broken.cnn')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('error[syntax-error]');
  });
});

describe('hostile and mistaken command lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-cli-'));

  it('rejects an unknown flag instead of reading it as a file name, exit 2', async () => {
    const c = await run('check', sample('lenet5.cnn'), '--json');
    expect(c.code).toBe(2);
    expect(c.err).toContain("convlens check: unknown option '--json'");
    expect(c.err).toContain('Usage:');
    const s = await run('summary', sample('lenet5.cnn'), '--jsn');
    expect(s.code).toBe(2);
    expect(s.err).toContain("convlens summary: unknown option '--jsn'");
    expect(s.out).toBe('');
  });

  it('counts unreadable files in the summary line', async () => {
    const r = await run('check', sample('lenet5.cnn'), join(dir, 'missing.cnn'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('1 file checked, 1 unreadable: 0 errors, 0 warnings');
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const r = await run('--version');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`convlens ${version}\n`);
  });

  it('refuses a device and a spec over 8 MiB with the limit in the message', async () => {
    const zero = await run('check', '/dev/zero');
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('/dev/zero:1:1: error[io]: cannot read file: not a regular file (a character device)');
    const big = join(dir, 'big.cnn');
    writeFileSync(big, Buffer.alloc(8 * 1024 * 1024 + 1, 0x20));
    const r = await run('summary', big);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[io]: cannot read file: the file is 8.0 MiB; a model spec is at most 8 MiB');
  });

  it('a `model` keyword without a name (as prose in README.md has) is one syntax error, not a second model named ``', async () => {
    const file = join(dir, 'prose.cnn');
    writeFileSync(file, 'model A {\n  input x: 1×4×4\n}\nthe model;\n');
    const r = await run('check', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error[syntax-error]: expected a model name after `model`');
    expect(r.out).not.toContain('duplicate-model');
  });

  it('exits quietly when the reader of its output goes away (`| head -1`)', async () => {
    const spec = join(dir, 'many-errors.cnn');
    writeFileSync(spec, `model A {\n  input x: 1×8×8\n${'  frobnicate\n'.repeat(20_000)}}\n`);
    const child = spawn(process.execPath, [join(ROOT, 'bin/convlens.js'), 'check', spec], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).not.toContain('EPIPE');
    expect(err).not.toContain('    at ');
    expect(code).toBe(141);
  });
});
