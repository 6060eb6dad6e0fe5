import { describe, expect, it } from 'vitest';
import { makePattern, PATTERNS, seededRandom } from '../../webview/patterns';

describe('makePattern', () => {
  it('fills every shape (1D, 2D, 3D) with values in [0, 1], the same map in every channel', () => {
    for (const shape of [[2, 50], [3, 16, 16], [1, 4, 8, 8]]) {
      for (const { name } of PATTERNS) {
        const data = makePattern(name, shape, 3);
        expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
        expect(data.every((v) => v >= 0 && v <= 1)).toBe(true);
        if (name !== 'noise' && shape[0] > 1) {
          const plane = data.length / shape[0];
          expect([...data.subarray(plane, 2 * plane)]).toEqual([...data.subarray(0, plane)]);
        }
      }
    }
  });

  it('an impulse is one bright pixel at the centre', () => {
    const data = makePattern('impulse', [1, 5, 5]);
    expect([...data].filter((v) => v === 1).length).toBe(1);
    expect(data[2 * 5 + 2]).toBe(1);
  });

  it('an 8×8 checkerboard alternates between neighbouring cells', () => {
    const data = makePattern('checkerboard', [1, 16, 16]);
    expect(data[0]).not.toBe(data[2]);
    expect(data[0]).toBe(data[1]);
  });

  it('noise is the same for the same seed and differs for another', () => {
    expect([...makePattern('noise', [1, 4, 4], 7)]).toEqual([...makePattern('noise', [1, 4, 4], 7)]);
    expect([...makePattern('noise', [1, 4, 4], 7)]).not.toEqual([...makePattern('noise', [1, 4, 4], 8)]);
    const random = seededRandom(1);
    const values = Array.from({ length: 1000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});
