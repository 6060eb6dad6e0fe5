import { describe, expect, it } from 'vitest';
import { channelRanges, CLIP_FRACTION, formatValue, legendTicks, minMax, rangeFor, robustMinMax, selectKth } from '../../webview/normalise';

describe('minMax', () => {
  it('finds the extremes of a window and skips NaN', () => {
    expect(minMax([5, -1, Number.NaN, 3, 9], 1, 3)).toEqual({ min: -1, max: 3 });
  });
  it('gives {0, 0} for an empty or all-NaN window', () => {
    expect(minMax([])).toEqual({ min: 0, max: 0 });
    expect(minMax([Number.NaN])).toEqual({ min: 0, max: 0 });
  });
});

describe('robustMinMax', () => {
  it('ignores the few most extreme values of a big map (one bright edge among 10,000 pixels)', () => {
    const map = Array.from({ length: 10_000 }, (_, i) => (i % 100) / 100);
    map[5000] = 50;
    map[7000] = -50;
    const r = robustMinMax(map);
    expect(r.max).toBeLessThan(1);
    expect(r.min).toBeGreaterThanOrEqual(0);
    expect(r.max).toBeGreaterThan(0.9);
  });

  it('uses the exact extremes of a small map', () => {
    expect(robustMinMax([0, 1, 50], 0, 3)).toEqual({ min: 0, max: 50 });
    expect(1 / CLIP_FRACTION).toBe(200);
  });
});

describe('rangeFor', () => {
  it('uses viridis from 0 for non-negative maps', () => {
    expect(rangeFor({ min: 0.2, max: 4 })).toEqual({ lo: 0, hi: 4, colormap: 'viridis' });
  });
  it('uses the diverging map symmetric about zero for signed maps', () => {
    expect(rangeFor({ min: -3, max: 1 })).toEqual({ lo: -3, hi: 3, colormap: 'diverging' });
    expect(rangeFor({ min: -0.5, max: 2 })).toEqual({ lo: -2, hi: 2, colormap: 'diverging' });
  });
});

describe('channelRanges', () => {
  // Two channels of 3 values: [0, 1, 2] and [0, 5, 10].
  const data = [0, 1, 2, 0, 5, 10];

  it('per layer: every channel shares the layer range', () => {
    const ranges = channelRanges(data, 2, 3, { min: 0, max: 10 }, 'layer');
    expect(ranges).toEqual([
      { lo: 0, hi: 10, colormap: 'viridis' },
      { lo: 0, hi: 10, colormap: 'viridis' },
    ]);
  });

  it('per channel: each channel is stretched over its own values (exact for small maps)', () => {
    const ranges = channelRanges(data, 2, 3, { min: 0, max: 10 }, 'channel');
    expect(ranges).toEqual([
      { lo: 0, hi: 2, colormap: 'viridis' },
      { lo: 0, hi: 10, colormap: 'viridis' },
    ]);
  });

  it('per channel on a signed layer: diverging and symmetric per channel, even for a channel that is all positive', () => {
    const ranges = channelRanges([-1, 0.5, 2, 4], 2, 2, { min: -1, max: 4 }, 'channel');
    expect(ranges).toEqual([
      { lo: -1, hi: 1, colormap: 'diverging' },
      { lo: -4, hi: 4, colormap: 'diverging' },
    ]);
  });
});

describe('value text', () => {
  it('writes readout values with 4 significant digits and a real minus sign', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(-2.5)).toBe('−2.5');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(123456)).toBe('1.23e+5');
    expect(formatValue(0.0000123)).toBe('1.23e-5');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(-Infinity)).toBe('−∞');
  });
  it('labels a legend at its ends and middle', () => {
    expect(legendTicks({ lo: -2, hi: 2, colormap: 'diverging' })).toEqual(['−2', '0', '2']);
  });
});

describe('selectKth', () => {
  it('finds the same order statistics as a sort, with ties and both signs', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 10 - 5;
    for (const n of [1, 2, 3, 10, 201, 4096]) {
      const values = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : Math.round(random() * 4) / 4));
      const sorted = Float64Array.from(values).sort();
      for (const k of [0, Math.floor(n / 3), n - 1]) expect(selectKth(Float64Array.from(values), 0, n, k)).toBe(sorted[k]);
    }
  });

  it('robustMinMax matches the sorted sample it replaced', () => {
    const map = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * (i % 200 === 0 ? 100 : 1));
    const sample = Float64Array.from(map.filter((_, i) => i % 1 === 0)).sort();
    const k = Math.floor(sample.length * CLIP_FRACTION);
    expect(robustMinMax(map)).toEqual({ min: sample[k], max: sample[sample.length - 1 - k] });
  });
});
