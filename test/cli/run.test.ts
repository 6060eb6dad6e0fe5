import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('reads the spec’s weights by the language’s rule: nothing outside the model’s folder and the working directory, no absolute paths, no symlinks out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlens-run-'));
    mkdirSync(join(dir, 'models'));
    mkdirSync(join(dir, 'outside'));
    const secret = join(dir, 'outside', 'secret.safetensors');
    writeFileSync(secret, readFileSync(sample('lenet5.safetensors')));
    symlinkSync(join(dir, 'outside'), join(dir, 'models', 'link'));
    const spec = join(dir, 'models', 'm.cnn');
    const withWeights = (weights: string) => writeFileSync(spec, `model M {\n  input x: 1×32×32\n  weights ${JSON.stringify(weights)}\n  conv 6, k=5\n}\n`);
    for (const [weights, why] of [
      ['../outside/secret.safetensors', /outside the model’s folder and the working directory/],
      [secret, /must be relative to this file’s folder/],
      ['link/secret.safetensors', /outside the model’s folder and the working directory/],
      ['file:///etc/shadow', /not a URL/],
    ] as const) {
      withWeights(weights);
      const r = await run('run', spec);
      expect(r.code, weights).toBe(1);
      expect(r.err).toMatch(new RegExp(`m\\.cnn:3:3: error\\[weights\\]: .*${why.source}`));
      expect(r.out).not.toContain('secret.safetensors');
    }
    mkdirSync(join(dir, 'models', 'w'));
    writeFileSync(join(dir, 'models', 'w', 'ok.safetensors'), readFileSync(sample('lenet5.safetensors')));
    withWeights('w/../w/ok.safetensors');
    const r = await run('run', spec);
    expect(r.out).toContain(join(dir, 'models', 'w', 'ok.safetensors'));
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

describe('convlens run --labels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-labels-'));
  const thousand = join(dir, 'thousand.cnn');
  writeFileSync(thousand, 'model Thousand {\n  input x: 3×8×8\n  gap\n  flatten\n  linear 1000\n}\n');

  it('names a 1,000-class output with the ImageNet classes by default, keeping the index', async () => {
    const r = await run('run', thousand);
    expect(r.code, r.err).toBe(0);
    const top = /^Top-5: (.*)$/m.exec(r.out)?.[1] ?? '';
    const entries = top.split(', ');
    expect(entries).toHaveLength(5);
    const { IMAGENET_CLASSES } = await import('../../src/core/imagenet-classes');
    for (const entry of entries) {
      const m = /^class (\d+) \((.+)\) \d+\.\d%$/.exec(entry);
      expect(m, entry).not.toBeNull();
      expect(m![2]).toBe(IMAGENET_CLASSES[Number(m![1])]);
    }
  });

  it('prints indices only with --labels none, and for a 10-class model by default', async () => {
    const none = await run('run', thousand, '--labels', 'none');
    expect(none.code).toBe(0);
    expect(none.out).toMatch(/^Top-5: class \d+ \d+\.\d%, /m);
    const lenet = await run('run', sample('lenet5.cnn'), '--image', sample('images/digit-3.png'));
    expect(lenet.out).toMatch(/^Top-5: class 3 \d+\.\d%/m);
  });

  it('reads a labels file (lines or a JSON array) and writes the names to output.json', async () => {
    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const lines = join(dir, 'digits.txt');
    writeFileSync(lines, `${names.join('\r\n')}\r\n\r\n`);
    const json = join(dir, 'digits.json');
    writeFileSync(json, JSON.stringify(names));
    for (const file of [lines, json]) {
      const out = mkdtempSync(join(tmpdir(), 'convlens-labels-out-'));
      const r = await run('run', sample('lenet5.cnn'), '--image', sample('images/digit-7.png'), '--labels', file, '--out', out);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/^Top-5: class 7 \(seven\) /m);
      const output = JSON.parse(readFileSync(join(out, 'output.json'), 'utf8'));
      expect(output.top5[0]).toMatchObject({ index: 7, label: 'seven' });
    }
  });

  it('rejects a labels file whose size does not match the output, before running, exit 2', async () => {
    const short = join(dir, 'nine.txt');
    writeFileSync(short, 'a\nb\nc\nd\ne\nf\ng\nh\ni\n');
    const r = await run('run', sample('lenet5.cnn'), '--labels', short);
    expect(r.code).toBe(2);
    expect(r.err).toContain('has 9 labels, but the model outputs 10 classes');
    expect(r.out).not.toContain('conv1');
    const imagenet = await run('run', sample('lenet5.cnn'), '--labels', 'imagenet');
    expect(imagenet.code).toBe(2);
    expect(imagenet.err).toContain('the ImageNet labels name 1,000 classes, but the model outputs 10');
  });

  it('rejects missing, binary and malformed labels files with a clear message, exit 2', async () => {
    const missing = await run('run', sample('lenet5.cnn'), '--labels', join(dir, 'nope.txt'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.txt: error\[labels\]: cannot read labels: no such file/);
    const binary = join(dir, 'binary.bin');
    writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]));
    const b = await run('run', sample('lenet5.cnn'), '--labels', binary);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/binary\.bin.*error\[labels\]/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '["a", 2]');
    const j = await run('run', sample('lenet5.cnn'), '--labels', bad);
    expect(j.code).toBe(2);
    expect(j.err).toContain('bad.json:1:1: error[labels]: a JSON labels file must be an array of strings');
  });
});

describe('convlens run on hostile input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-hostile-'));

  it('fails clearly, without looping, when --out cannot be a directory', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = await run('run', sample('edges.cnn'), '--out', join(file, 'sub'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[io]: cannot write: ');
    expect(r.err).toContain('exists and is not a directory');
    if (existsSync('/proc/self')) {
      const proc = await run('run', sample('edges.cnn'), '--out', '/proc/x');
      expect(proc.code).toBe(2);
      expect(proc.err).toContain('/proc/x: error[io]: cannot write: cannot create directory /proc/x');
    }
  });

  it('creates missing parents of --out', async () => {
    const out = join(dir, 'a', 'b', 'c');
    const r = await run('run', sample('edges.cnn'), '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(out)).toContain('output.json');
  });

  it('says the weights are set in the spec when every kernel is hand-set', async () => {
    const r = await run('run', sample('edges.cnn'));
    expect(r.out).toContain('Edges: input 1×128×128, weights set in the spec (hand-set kernels)\n');
    expect(r.out).not.toContain('seeded init');
  });

  it('runs a layer with 200,000 channels (no argument spreads of unbounded arrays)', async () => {
    const spec = join(dir, 'wide.cnn');
    writeFileSync(spec, 'model Wide {\n  input x: 1×1×1\n  conv 200000, k=1\n}\n');
    const r = await run('run', spec);
    expect(r.err).not.toContain('call stack');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/conv1\s+conv\s+200000×1×1\s+min -?\d/);
  });

  it('refuses an image device and a non-regular weights file', async () => {
    const image = await run('run', sample('lenet5.cnn'), '--image', '/dev/zero');
    expect(image.code).toBe(2);
    expect(image.err).toContain('/dev/zero: error[io]: cannot read image: not a regular file (a character device)');
    const weights = await run('run', sample('lenet5.cnn'), '--weights', '/dev/zero');
    expect(weights.code).toBe(1);
    expect(weights.err).toContain('error[weights]: cannot read weights file /dev/zero: not a regular file (a character device)');
  });
});

describe('convlens run --image with a decompression bomb', () => {
  it('refuses a small PNG that declares 45 megapixels, naming the limit, exit 2', async () => {
    const { zeroPng } = await import('../core/png-fixtures');
    const dir = mkdtempSync(join(tmpdir(), 'convlens-bomb-'));
    const bomb = join(dir, 'bomb.png');
    writeFileSync(bomb, zeroPng(9000, 5000));
    const r = await run('run', sample('lenet5.cnn'), '--image', bomb);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bomb.png: error[image]: cannot decode: the PNG declares 9000×5000 pixels (45 megapixels); the limit is 40 megapixels');
  });
});

describe('convlens run with non-finite numbers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-nonfinite-'));

  it('fails at the layer whose weights file tensor holds NaN, naming the tensor, exit 1', async () => {
    const { encodeSafetensors } = await import('../../src/core/safetensors');
    const weight = new Float32Array(6 * 25).fill(0.1);
    weight[0] = NaN;
    const file = join(dir, 'nan.safetensors');
    writeFileSync(file, encodeSafetensors({ 'conv1.weight': { shape: [6, 1, 5, 5], data: weight }, 'conv1.bias': { shape: [6], data: new Float32Array(6) } }));
    const r = await run('run', sample('lenet5.cnn'), '--weights', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/lenet5\.cnn:\d+:\d+: error\[run-failed\]: `conv1` could not run after 0 layers: tensor `conv1.weight` of layer `conv1` holds 1 non-finite value \(NaN or ±Infinity\), the first \(NaN\) at index 0/);
    expect(r.out).not.toContain('NaN%');
  });

  it('warns at the first layer whose output is not finite, and gives no top-5 of NaNs', async () => {
    const spec = join(dir, 'overflow.cnn');
    writeFileSync(spec, 'model Overflow {\n  input x: 1×2×2\n  conv 2, k=1, bias=false, weights=[[[3e38]], [[-3e38]]]\n  conv 2, k=1, bias=false, weights=[[[3e38]], [[3e38]]]\n  flatten\n}\n');
    const r = await run('run', spec);
    // conv1 stays finite (±2.3e38); conv2 adds +∞ and −∞, which is NaN.
    expect(r.err).toContain('overflow.cnn:4:3: warning[run-non-finite]: the output of `conv2` holds non-finite values (8 NaN); the layers after it may too');
    expect(r.out).toMatch(/conv2\s+conv\s+2×2×2\s+min NaN\s+max NaN\s+\(8 NaN\)/);
    expect(r.out).not.toContain('Infinity');
    expect(r.out).toContain('Top-5: none; the output holds non-finite values');
    expect(r.out).not.toContain('NaN%');
  });
});

describe('convlens run --max-memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-memory-'));
  const huge = join(dir, 'huge.cnn');
  writeFileSync(huge, 'model Huge {\n  input x: 1×1×1\n  flatten\n  linear 1000000000\n}\n');

  it('refuses a run estimated past the default 4 GiB before allocating anything, exit 1', async () => {
    const r = await run('run', huge);
    expect(r.code).toBe(1);
    expect(r.err).toContain('huge.cnn:4:3: warning[run-memory]: running this model takes about 7.5 GiB');
    expect(r.err).toContain('huge.cnn:4:3: error[run-memory]: the run would take about 7.5 GiB at `linear1` (float32 weights and activations), more than --max-memory 4 GiB; give a larger --max-memory to run it anyway');
    expect(r.out).not.toContain('flatten1');
  });

  it('takes a budget with a unit, and refuses a bad one with exit 2', async () => {
    const small = await run('run', sample('edges.cnn'), '--max-memory', '100K');
    expect(small.code).toBe(1);
    expect(small.err).toContain('more than --max-memory 100 KiB');
    expect((await run('run', sample('edges.cnn'), '--max-memory', '1G')).code).toBe(0);
    const bad = await run('run', sample('edges.cnn'), '--max-memory', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--max-memory takes a size such as 4G, 512M or 8GiB, not 'lots'");
  });
});
