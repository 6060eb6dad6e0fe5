/**
 * Hostile input to the CLI, the image decoder and the core's kernels (#12):
 * damaged and oversized images, specs that ask for huge runs or non-finite
 * numbers, mistyped command lines and kernel arguments of every wrong kind.
 * Each must end in a result or a clear error: never a crash, a stack trace, a
 * hang or a wrong shape. Seeded, so a failure replays exactly.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/adapters/image-codec';
import { ImageError } from '../../src/core/image-header';
import { windowGeometry, type WindowGeometry } from '../../src/core/geometry';
import { conv, convTranspose } from '../../src/core/kernels/conv';
import { maxPool } from '../../src/core/kernels/pool';
import { Random } from '../../src/core/prng';
import type { Tensor } from '../../src/core/tensor';
import { zeroPng } from '../core/png-fixtures';
import { fuzzRuns, fuzzSeed } from '../fuzz-budget';
import { runCli, sample } from './cli-harness';

const seed = fuzzSeed(20261208);

function random(name: string): () => number {
  const generator = new Random(`cli-fuzz/${name}/${seed}`);
  return () => generator.next();
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)];

describe('damaged images', () => {
  const sources = ['digit-7.png', 'shapes.png', 'gradient-radial.png', 'chelsea.jpg', 'rocket.jpg'].map((f) => readFileSync(sample(`images/${f}`)));

  it(`decode or fail with an ImageError (${fuzzRuns(300)} mutations, seed ${seed})`, () => {
    const next = random('images');
    for (let run = 0; run < fuzzRuns(300); run++) {
      const bytes = Uint8Array.from(pick(next, sources));
      const kind = next();
      let damaged: Uint8Array = bytes;
      if (kind < 0.4) {
        for (let i = 0, n = 1 + Math.floor(next() * 8); i < n; i++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      } else if (kind < 0.7) {
        damaged = bytes.subarray(0, Math.floor(next() * bytes.length));
      } else {
        // The size fields: a PNG's IHDR or the first bytes after a JPEG's SOF0 marker.
        const sof = bytes[0] === 0x89 ? 16 : bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0) + 5;
        for (let i = 0; i < 4; i++) bytes[sof + i] = Math.floor(next() * 256);
      }
      let image: ReturnType<typeof decodeImage> | null = null;
      let failure: unknown = null;
      try {
        image = decodeImage(damaged);
      } catch (error) {
        failure = error;
      }
      if (image) {
        expect(image.width * image.height).toBeLessThanOrEqual(40_000_000);
        expect(image.data.length).toBe(image.width * image.height * 4);
      } else {
        expect(failure, `run ${run}: ${(failure as Error).message}`).toBeInstanceOf(ImageError);
      }
    }
  });

  it('refuses decompression bombs of every size past the limit, before decoding', () => {
    const next = random('bombs');
    for (let run = 0; run < fuzzRuns(5); run++) {
      const width = 6400 + Math.floor(next() * 4000);
      const height = Math.ceil(40_000_001 / width) + Math.floor(next() * 100);
      expect(() => decodeImage(zeroPng(width, height))).toThrow(`the PNG declares ${width}×${height} pixels`);
    }
  });
});

describe('hostile specs and command lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convlens-fuzz-'));
  const specs = [
    'model M {\n  input x: 1×1×1\n  flatten\n  linear 1000000000\n}\n',
    'model M {\n  input x: 1×1×1\n  conv 200000, k=1\n}\n',
    'model M {\n  input x: 1×3×3\n  conv 1, k=3, weights=[[1e400, 0, 0], [0, 0, 0], [0, 0, 0]]\n}\n',
    'model M {\n  input x: 1×2×2\n  conv 1, k=1, weights=[[3e38]]\n  conv 1, k=1, weights=[[3e38]]\n}\n',
    'model M {\n  input x: 1×65536×65536\n  relu\n}\n',
    'model M {\n  input x: 1×4×4\n  repeat 10000 {\n    relu\n  }\n}\n',
    'model;\nmodel {\n',
  ];
  const flags = ['--json', '--jsn', '-x', '--image', '--out', '--max-memory', '--max-memory=4G', '--labels', '--weights', '--version', '--', '-'];

  it(`end with exit 0, 1 or 2 and no stack trace (${fuzzRuns(40)} command lines, seed ${seed})`, async () => {
    const next = random('commands');
    const files = specs.map((text, i) => {
      const file = join(dir, `spec-${i}.cnn`);
      writeFileSync(file, text);
      return file;
    });
    for (let run = 0; run < fuzzRuns(40); run++) {
      const argv = [pick(next, ['check', 'summary', 'run'])];
      argv.push(pick(next, files));
      for (let i = 0, n = Math.floor(next() * 3); i < n; i++) argv.push(pick(next, flags));
      if (argv[0] === 'run' && next() < 0.5) argv.push('--max-memory', pick(next, ['1K', '64M', 'lots', '0', '1.5G']));
      const r = await runCli(...argv);
      expect([0, 1, 2], `${argv.join(' ')}\n${r.err}`).toContain(r.code);
      expect(r.err, argv.join(' ')).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});

describe('kernel arguments of every wrong kind', () => {
  const wrong = [0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '2', null, [1, 0], [2, NaN]] as const;

  it(`give a tensor of the predicted shape or a RangeError/TypeError (${fuzzRuns(400)} calls, seed ${seed})`, () => {
    const next = random('kernels');
    for (let run = 0; run < fuzzRuns(400); run++) {
      const h = 1 + Math.floor(next() * 6);
      const w = 1 + Math.floor(next() * 6);
      const k = 1 + Math.floor(next() * 3);
      const option = pick(next, ['stride', 'dilation', 'padding', 'kernel', 'data', 'geometry'] as const);
      const value = next() < 0.7 ? pick(next, wrong) : 1 + Math.floor(next() * 2);
      const input = { shape: [1, h, w], data: new Float32Array(option === 'data' ? Math.floor(next() * h * w) : h * w).fill(1) };
      const weight = { shape: [1, 1, option === 'kernel' ? (value as number) : k, k], data: new Float32Array(option === 'kernel' ? 0 : k * k).fill(1) };
      const call = pick(next, ['conv', 'convTranspose', 'maxPool'] as const);
      // A window record (as the runner passes the analysis's) with one field of one axis wrong.
      const field = pick(next, ['inSize', 'kernel', 'stride', 'dilation', 'padBefore', 'padAfter', 'outSize', 'effectiveKernel', 'outputPadding'] as const);
      const options = option === 'data' || option === 'kernel' ? {} : option === 'geometry' ? { geometry: damagedWindow(h, w, k, call === 'convTranspose', field, value) } : { [option]: value };
      let out: Tensor | null = null;
      let failure: unknown = null;
      try {
        out = call === 'conv' ? conv(input, weight, null, options) : call === 'convTranspose' ? convTranspose(input, weight, null, options) : maxPool(input, { kernel: weight.shape[2], ...options });
      } catch (error) {
        failure = error;
      }
      const what = `run ${run}: ${call} ${option === 'geometry' ? `geometry ${field}` : option}=${String(value)} on 1×${h}×${w}`;
      if (out) {
        expect(out.shape.every((d) => Number.isInteger(d) && d >= 1), what).toBe(true);
        expect(out.data.length, what).toBe(out.shape.reduce((a, b) => a * b, 1));
        expect(out.data.every((v) => Number.isFinite(v)), what).toBe(true);
      } else {
        const message = `${what}: ${(failure as Error).message}`;
        expect(failure instanceof RangeError || failure instanceof TypeError || /does not fit|not supported/.test((failure as Error).message), message).toBe(true);
        expect(message).not.toContain('Invalid typed array length');
      }
    }
  });
});

/** The window of a k×k, stride-1, unpadded layer on an h×w input, with `field` of its last axis set to `value`. */
function damagedWindow(h: number, w: number, k: number, transposed: boolean, field: string, value: unknown): WindowGeometry {
  const g = windowGeometry({ inSize: [h, w], kernel: [k, k], stride: [1, 1], dilation: [1, 1], padding: 'valid', ...(transposed ? { transposed: { outputPadding: [0, 0] } } : {}) });
  const axes = g.axes.map((a, i) => (i === 1 ? { ...a, [field]: value } : a));
  return { axes, outSize: axes.map((a) => a.outSize) };
}
