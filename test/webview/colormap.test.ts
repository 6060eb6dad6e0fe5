import { describe, expect, it } from 'vitest';
import { colorAt, colorize, colormapTable, COLORMAP_CHOICES, isColormapChoice, paletteFor } from '../../webview/colormap';

/** Relative luminance (sRGB, unlinearised is enough to check monotonicity). */
const luma = ([r, g, b]: readonly number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

describe('colormaps', () => {
  it('viridis runs from dark purple to yellow, getting brighter all the way (within one rounding step of a channel)', () => {
    expect(colorAt('viridis', 0)).toEqual([0x44, 0x01, 0x54]);
    expect(colorAt('viridis', 1)).toEqual([0xfd, 0xe7, 0x25]);
    let previous = -1;
    for (let i = 0; i <= 255; i++) {
      const l = luma(colorAt('viridis', i / 255));
      expect(l).toBeGreaterThanOrEqual(previous - 0.5);
      previous = l;
    }
  });

  it('the diverging map is blue below zero, near-white at zero and red above, symmetric in brightness', () => {
    const [r0, , b0] = colorAt('diverging', 0);
    const [r1, , b1] = colorAt('diverging', 1);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
    const middle = colorAt('diverging', 0.5);
    expect(Math.min(...middle)).toBeGreaterThan(200);
    expect(Math.abs(luma(colorAt('diverging', 0.25)) - luma(colorAt('diverging', 0.75)))).toBeLessThan(40);
  });

  it('clamps out-of-range and NaN positions to the ends', () => {
    expect(colorAt('gray', -3)).toEqual([0, 0, 0]);
    expect(colorAt('gray', 7)).toEqual([255, 255, 255]);
    expect(colorAt('gray', Number.NaN)).toEqual([0, 0, 0]);
    expect(colormapTable('gray').length).toBe(256 * 3);
  });

  it('colorize maps lo to the first colour and hi to the last, with opaque alpha', () => {
    const out = new Uint8ClampedArray(3 * 4);
    colorize([10, 0, 5, 10], 1, 3, { lo: 0, hi: 10, colormap: 'gray' }, out);
    expect([...out]).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('colorize paints a flat range in the middle of the map, and NaN at the start', () => {
    const out = new Uint8ClampedArray(2 * 4);
    colorize([3, 3], 0, 2, { lo: 3, hi: 3, colormap: 'gray' }, out);
    expect(out[0]).toBe(128);
    colorize([Number.NaN], 0, 1, { lo: 0, hi: 1, colormap: 'gray' }, out);
    expect(out[0]).toBe(0);
  });
});

describe('the colormap control', () => {
  it('auto keeps the palette the range suggests; any other choice replaces it', () => {
    expect(paletteFor('viridis', 'auto')).toBe('viridis');
    expect(paletteFor('diverging', 'auto')).toBe('diverging');
    expect(paletteFor('diverging', 'gray')).toBe('gray');
    expect(paletteFor('viridis', 'diverging')).toBe('diverging');
  });

  it('offers every colormap the preview has, and reads back only those from saved state', () => {
    expect(COLORMAP_CHOICES.map((c) => c.value)).toEqual(['auto', 'viridis', 'gray', 'diverging']);
    for (const c of COLORMAP_CHOICES) if (c.value !== 'auto') expect(colormapTable(c.value).length).toBe(256 * 3);
    expect(isColormapChoice('gray')).toBe(true);
    expect(isColormapChoice('jet')).toBe(false);
    expect(isColormapChoice(undefined)).toBe(false);
  });
});
