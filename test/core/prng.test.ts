import { describe, expect, it } from 'vitest';
import { hashString, Random } from '../../src/core/prng';

describe('hashString (FNV-1a 64)', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    const hex = (s: string) => hashString(s).map((w) => w.toString(16).padStart(8, '0')).join('');
    expect(hex('')).toBe('cbf29ce484222325');
    expect(hex('a')).toBe('af63dc4c8601ec8c');
    expect(hex('foobar')).toBe('85944171f73967e8');
  });
});

describe('Random', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Random('LeNet5/conv1.weight');
    const b = new Random('LeNet5/conv1.weight');
    const c = new Random('LeNet5/conv2.weight');
    const xs = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('is uniform on [0, 1): mean 1/2 and variance 1/12 within 1% over 100k draws', () => {
    const r = new Random('uniformity');
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      sum += v;
      sq += v * v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sq / n - mean * mean).toBeGreaterThan((1 / 12) * 0.99);
    expect(sq / n - mean * mean).toBeLessThan((1 / 12) * 1.01);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('fillUniform stays within [−bound, bound)', () => {
    const out = new Random('bounds').fillUniform(new Float32Array(10_000), 0.2);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(-0.2);
    expect(Math.max(...out)).toBeLessThan(0.2);
  });
});
