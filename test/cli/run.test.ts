import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, sample } from './cli-harness';
import { decodeImage } from '../../src/adapters/image-codec';

const run = runCli;

describe('convlens run', () => {
  it('recognises MNIST digits with the trained LeNet-5 (weights from the spec)', async () => {
    for (const digit of [0, 3, 7, 9]) {
      const r = await run('run', sample('lenet5.cnn'), '--image', sample(`images/digit-${digit}.png`));
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Top-5: class ${digit} `, 'm'));
      expect(r.out).toContain('lenet5.safetensors');
    }
  });

  it('writes a channel grid PNG and a stats JSON per layer, the input and the final output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-run-'));
    const r = await run('run', sample('lenet5.cnn'), '--image', sample('images/digit-7.png'), '--out', dir);
    expect(r.code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toContain('input.png');
    expect(files).toContain('000-conv1.png');
    expect(files).toContain('011-linear3.json');
    expect(files.filter((f) => f.endsWith('.png')).length).toBe(13);
    const conv1 = JSON.parse(readFileSync(join(dir, '000-conv1.json'), 'utf8'));
    expect(conv1.outputs[0].shape).toEqual([6, 28, 28]);
    expect(conv1.outputs[0].channels).toHaveLength(6);
    for (const c of conv1.outputs[0].channels) expect(c.min).toBeLessThanOrEqual(c.mean);
    const grid = decodeImage(readFileSync(join(dir, '000-conv1.png')));
    expect(grid.width).toBeGreaterThan(28);
    const output = JSON.parse(readFileSync(join(dir, 'output.json'), 'utf8'));
    expect(output.status).toBe('complete');
    expect(output.output.values).toHaveLength(10);
    expect(output.top5[0].index).toBe(7);
  });

  it('converts an RGB photo to a gray model input and runs hand-set kernels', async () => {
    const r = await run('run', sample('edges.cnn'), '--image', sample('images/chelsea.jpg'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/relu1\s+relu\s+4×128×128/);
  });

  it('runs without an image on seeded noise, with seeded init weights', async () => {
    const a = await run('run', sample('audio_m5.cnn'));
    const b = await run('run', sample('audio_m5.cnn'));
    expect(a.code).toBe(0);
    expect(a.out).toContain('seeded noise');
    expect(a.out).toContain('seeded init');
    expect(a.out).toBe(b.out);
  });

  it('runs up to the first error and reports it as file:line:col, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-run-'));
    const r = await run('run', sample('broken.cnn'), '--out', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/broken\.cnn:7:27: error\[channel-mismatch\]/);
    expect(r.err).toMatch(/broken\.cnn:7:\d+: error\[run-stopped\]: stopped before `conv2` after 2 layers: /);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).sort()).toEqual(['000-conv1.json', '001-relu1.json', 'output.json']);
  });

  it('points at the weights statement when the file is missing or malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-run-'));
    const spec = join(dir, 'm.cnn');
    writeFileSync(spec, 'model M {\n  input x: 1×8×8\n  weights "m.safetensors"\n  conv 2, k=3\n}\n');
    let r = await run('run', spec);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/m\.cnn:3:3: error\[weights\]: cannot read weights file .*m\.safetensors: no such file/);
    writeFileSync(join(dir, 'm.safetensors'), new Uint8Array([1, 2, 3]));
    r = await run('run', spec);
    expect(r.err).toMatch(/m\.cnn:3:3: error\[weights\]: .*not a safetensors file/);
  });

  it('reports a tensor missing from the weights file at the layer that needs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-run-'));
    const spec = join(dir, 'm.cnn');
    writeFileSync(spec, 'model M {\n  input x: 1×8×8\n  conv 2, k=3\n}\n');
    writeFileSync(join(dir, 'w.safetensors'), readFileSync(sample('lenet5.safetensors')));
    const r = await run('run', spec, '--weights', join(dir, 'w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/m\.cnn:3:3: error\[run-failed\]: `conv1` could not run after 0 layers: tensor `conv1.weight` is 6×1×5×5 in the weights file, but layer `conv1` needs 2×1×3×3/);
  });

  it('rejects bad usage and unreadable images with exit 2', async () => {
    expect((await run('run')).code).toBe(2);
    expect((await run('run', sample('lenet5.cnn'), '--image')).code).toBe(2);
    expect((await run('run', sample('lenet5.cnn'), '--bogus')).code).toBe(2);
    const r = await run('run', sample('lenet5.cnn'), '--image', sample('lenet5.cnn'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[image]: cannot decode: not a PNG or JPEG image');
    expect((await run('run', sample('audio_m5.cnn'), '--image', sample('images/digit-1.png'))).err).toContain('--image needs a C×H×W input');
    expect(existsSync(sample('nope.png'))).toBe(false);
    expect((await run('run', sample('lenet5.cnn'), '--image', sample('nope.png'))).err).toContain('no such file');
  });
});
