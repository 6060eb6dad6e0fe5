import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
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
    expect(r.out).toContain('Total MACs:   416,520');
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
