/**
 * A layer's maps as display tiles, made in the worker (see MapTiles in
 * src/protocol/webview.ts). Pure: no DOM.
 */
import type { OutputChannels, MapTiles } from '../src/protocol/webview';
import { colorIndices } from './colormap';
import { displayFactor, downsample2d } from './downsample';
import { ownRange, rangeFor, type MinMax } from './normalise';

/**
 * The longest side, in map pixels, a grid tile is drawn at: the tile's CSS
 * size, so the browser only ever enlarges a map (crisply, pixelated) and
 * larger maps are shrunk by `downsample2d`, which keeps their peaks.
 */
export const TILE_MAX_SIDE = 96;

/** Whether a layer output of this shape is drawn as map tiles (C×H×W or C×D×H×W, not a pooled C×1×1 vector). */
export function isMapShape(shape: readonly number[]): boolean {
  return (shape.length === 3 || shape.length === 4) && !shape.slice(1).every((d) => d === 1);
}

export function isTiles(output: OutputChannels): output is MapTiles {
  return (output as MapTiles).kind === 'tiles';
}

let scratch = new Float32Array(TILE_MAX_SIDE * TILE_MAX_SIDE);

/**
 * Tiles for channels [from, to) of a C×[D×]H×W tensor: each depth slice shrunk
 * to at most `maxSide` on a side (peaks kept, as the page drew them before),
 * as colormap indices over the channel's own range and over the layer's.
 */
export function makeTiles(shape: readonly number[], data: ArrayLike<number>, from: number, to: number, stats: MinMax, maxSide = TILE_MAX_SIDE): MapTiles {
  const channels = shape[0];
  const height = shape[shape.length - 2];
  const width = shape[shape.length - 1];
  const depths = shape.length === 4 ? shape[1] : 1;
  const plane = width * height;
  const channelSize = plane * depths;
  const factor = displayFactor(width, height, maxSide);
  const tileWidth = Math.ceil(width / factor);
  const tileHeight = Math.ceil(height / factor);
  const tilePlane = tileWidth * tileHeight;
  const lo = Math.max(0, Math.min(from, channels));
  const hi = Math.max(lo, Math.min(to, channels));
  const n = hi - lo;
  const indices = new Uint8Array(2 * n * depths * tilePlane);
  const ranges = new Float32Array(2 * n);
  const layerRange = rangeFor(stats);
  if (factor > 1 && scratch.length < tilePlane) scratch = new Float32Array(tilePlane);
  for (let i = 0; i < n; i++) {
    const base = (lo + i) * channelSize;
    const own = ownRange(data, base, channelSize, layerRange);
    ranges[2 * i] = own.lo;
    ranges[2 * i + 1] = own.hi;
    for (let d = 0; d < depths; d++) {
      let values: ArrayLike<number> = data;
      let offset = base + d * plane;
      if (factor > 1) {
        values = downsample2d(data, offset, width, height, factor, 'peak', scratch).data;
        offset = 0;
      }
      colorIndices(values, offset, tilePlane, own, indices, (i * depths + d) * tilePlane);
      colorIndices(values, offset, tilePlane, layerRange, indices, ((n + i) * depths + d) * tilePlane);
    }
  }
  return { kind: 'tiles', shape: [...shape], from: lo, to: hi, width: tileWidth, height: tileHeight, factor, depths, indices, ranges, min: stats.min, max: stats.max };
}

/** Where channel `channel`'s depth slice `depth` starts in `tiles.indices`, under a normalisation. */
export function tileOffset(tiles: MapTiles, channel: number, depth: number, mode: 'channel' | 'layer'): number {
  const n = tiles.to - tiles.from;
  const tilePlane = tiles.width * tiles.height;
  return ((mode === 'layer' ? n : 0) + (channel - tiles.from)) * tiles.depths * tilePlane + depth * tilePlane;
}
