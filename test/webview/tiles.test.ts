import { describe, expect, it } from 'vitest';
import { colorize, colorizeIndices, colorIndices, type ValueRange } from '../../webview/colormap';
import { downsample2d } from '../../webview/downsample';
import { channelRanges, minMax } from '../../webview/normalise';
import { isMapShape, isTiles, makeTiles, tileOffset } from '../../webview/tiles';

/** A deterministic C×…: values with both signs and a few strong peaks. */
function tensor(shape: number[]): Float32Array {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 3 + (i % 97 === 0 ? 40 : 0) - 0.5;
  return data;
}

/** RGBA as the page drew it before tiles: downsample (peaks), then colour over the channel's range. */
function drawnBefore(data: Float32Array, offset: number, width: number, height: number, factor: number, range: ValueRange): Uint8ClampedArray {
  const small = downsample2d(data, offset, width, height, factor);
  const out = new Uint8ClampedArray(small.width * small.height * 4);
  colorize(small.data, 0, small.width * small.height, range, out);
  return out;
}

function drawnFromTiles(indices: Uint8Array, offset: number, count: number, range: ValueRange): Uint8ClampedArray {
  const out = new Uint8ClampedArray(count * 4);
  colorizeIndices(indices, offset, count, range.colormap, out);
  return out;
}

describe('colorIndices + colorizeIndices', () => {
  it('colour exactly as colorize does, flat ranges included', () => {
    const values = [-3, -1, 0, 0.2, 1, 2.5, 7, NaN];
    for (const range of [{ lo: -2, hi: 2, colormap: 'diverging' }, { lo: 0, hi: 3, colormap: 'viridis' }, { lo: 1, hi: 1, colormap: 'viridis' }] as ValueRange[]) {
      const indices = new Uint8Array(values.length + 2);
      colorIndices(values, 0, values.length, range, indices, 2);
      const want = new Uint8ClampedArray(values.length * 4);
      colorize(values, 0, values.length, range, want);
      expect(drawnFromTiles(indices, 2, values.length, range)).toEqual(want);
    }
  });
});

describe('makeTiles', () => {
  it('gives the pixels the page drew from full-resolution values, under both normalisations', () => {
    const shape = [6, 200, 150];
    const data = tensor(shape);
    const stats = minMax(data);
    const tiles = makeTiles(shape, data, 1, 4, stats);
    expect(tiles).toMatchObject({ kind: 'tiles', from: 1, to: 4, factor: 3, width: 50, height: 67, depths: 1, min: stats.min, max: stats.max });
    expect(tiles.indices.length).toBe(2 * 3 * 50 * 67);
    const plane = 200 * 150;
    for (let c = 1; c < 4; c++) {
      for (const mode of ['channel', 'layer'] as const) {
        const range = channelRanges(data.subarray(c * plane, (c + 1) * plane), 1, plane, stats, mode)[0];
        expect(drawnFromTiles(tiles.indices, tileOffset(tiles, c, 0, mode), 50 * 67, range)).toEqual(drawnBefore(data, c * plane, 150, 200, 3, range));
        if (mode === 'channel') expect([tiles.ranges[2 * (c - 1)], tiles.ranges[2 * (c - 1) + 1]]).toEqual([Math.fround(range.lo), Math.fround(range.hi)]);
      }
    }
  });

  it('keeps every depth slice of a 3D map, and clamps the channel range', () => {
    const shape = [2, 3, 8, 8];
    const data = tensor(shape);
    const stats = minMax(data);
    const tiles = makeTiles(shape, data, 0, 9, stats);
    expect(tiles).toMatchObject({ from: 0, to: 2, depths: 3, width: 8, height: 8, factor: 1 });
    const range = channelRanges(data.subarray(192, 384), 1, 192, stats, 'channel')[0];
    expect(drawnFromTiles(tiles.indices, tileOffset(tiles, 1, 2, 'channel'), 64, range)).toEqual(drawnBefore(data, 192 + 128, 8, 8, 1, range));
  });

  it('tells map shapes from vectors and 1D signals', () => {
    expect(isMapShape([64, 56, 56])).toBe(true);
    expect(isMapShape([16, 4, 32, 32])).toBe(true);
    expect(isMapShape([512, 1, 1])).toBe(false);
    expect(isMapShape([32, 8000])).toBe(false);
    expect(isMapShape([10])).toBe(false);
    expect(isTiles(makeTiles([1, 2, 2], [1, 2, 3, 4], 0, 1, { min: 1, max: 4 }))).toBe(true);
  });
});
