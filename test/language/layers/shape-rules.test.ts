import { describe, expect, it } from 'vitest';
import { broadcastShapes, literalDims } from '../../../src/language/layers/shape-rules';

describe('shape-rule helpers', () => {
  it('broadcastShapes aligns at the right', () => {
    expect(broadcastShapes([[16, 8, 8], [16, 1, 1]])).toEqual([16, 8, 8]);
    expect(broadcastShapes([[16, 8, 8], [8]])).toEqual([16, 8, 8]);
    expect(broadcastShapes([[16, 8, 8], [4, 1, 1]])).toBeNull();
  });
  it('literalDims measures rectangular nested lists only', () => {
    expect(literalDims([[1, 2, 3], [4, 5, 6]])).toEqual([2, 3]);
    expect(literalDims([[1, 2], [3]])).toBeNull();
    expect(literalDims([])).toBeNull();
  });

  it('broadcasts 200,000 shapes', () => {
    const shapes = Array.from({ length: 200_000 }, (_, i) => (i === 7 ? [3, 1, 5] : [5]));
    expect(broadcastShapes(shapes)).toEqual([3, 1, 5]);
  });
});
