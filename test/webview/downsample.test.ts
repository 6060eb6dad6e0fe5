import { describe, expect, it } from 'vitest';
import { displayFactor, downsample2d, envelope } from '../../webview/downsample';

describe('displayFactor', () => {
  it('is 1 for maps that fit and the smallest whole factor otherwise', () => {
    expect(displayFactor(56, 56, 112)).toBe(1);
    expect(displayFactor(224, 224, 112)).toBe(2);
    expect(displayFactor(225, 10, 112)).toBe(3);
  });
});

describe('downsample2d', () => {
  it('box-averages 4×4 by 2 into 2×2', () => {
    const map = [1, 3, 0, 0, 5, 7, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2];
    const small = downsample2d(map, 0, 4, 4, 2, 'mean');
    expect(small).toMatchObject({ width: 2, height: 2, factor: 2 });
    expect([...small.data]).toEqual([4, 0, 0, 2]);
  });

  it('by default keeps each box’s value of largest magnitude, sign and all, so a one-pixel edge survives', () => {
    const map = [0, 0, 0, 0, 0, 9, 0, 0, 0, 0, -7, 1, 0, 0, 0, 2];
    expect([...downsample2d(map, 0, 4, 4, 2).data]).toEqual([9, 0, 0, -7]);
  });

  it('averages partial boxes at the edges over what they cover (5×1 by 2)', () => {
    const small = downsample2d([1, 3, 5, 7, 9], 0, 5, 1, 2, 'mean');
    expect([...small.data]).toEqual([2, 6, 9]);
  });

  it('reads from an offset and copies unchanged at factor 1', () => {
    const small = downsample2d([9, 9, 1, 2, 3, 4], 2, 2, 2, 1);
    expect([...small.data]).toEqual([1, 2, 3, 4]);
    expect(small.factor).toBe(1);
  });
});

describe('envelope', () => {
  it('keeps each bucket’s min and max, so a one-sample spike survives', () => {
    const signal = new Array(100).fill(0);
    signal[37] = 5;
    const { min, max } = envelope(signal, 0, 100, 10);
    expect(max[3]).toBe(5);
    expect(min[3]).toBe(0);
    expect([...max].filter((v) => v === 5).length).toBe(1);
  });

  it('uses one bucket per sample when the signal is short', () => {
    const { min, max } = envelope([1, -2, 3], 0, 3, 50);
    expect([...min]).toEqual([1, -2, 3]);
    expect([...max]).toEqual([1, -2, 3]);
  });
});
