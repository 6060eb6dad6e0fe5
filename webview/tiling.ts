/** Laying channel maps out in a grid, for the exported PNG and the enlarged view. */

export interface TileLayout {
  readonly columns: number;
  readonly rows: number;
  /** Size of the whole sheet in pixels. */
  readonly width: number;
  readonly height: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly gap: number;
}

export interface TileOptions {
  /** Pixels between tiles (and none around the edge). */
  readonly gap?: number;
  /** Fix the column count; otherwise the grid is as close to square as the tiles allow. */
  readonly columns?: number;
}

/** A grid for `count` tiles of `tileWidth×tileHeight`. */
export function tileLayout(count: number, tileWidth: number, tileHeight: number, options: TileOptions = {}): TileLayout {
  const gap = options.gap ?? 1;
  const n = Math.max(0, Math.floor(count));
  let columns = options.columns ?? Math.ceil(Math.sqrt((n * tileHeight) / Math.max(1, tileWidth)));
  columns = Math.max(1, Math.min(columns, Math.max(1, n)));
  const rows = n === 0 ? 0 : Math.ceil(n / columns);
  return {
    columns,
    rows,
    width: n === 0 ? 0 : columns * tileWidth + (columns - 1) * gap,
    height: rows === 0 ? 0 : rows * tileHeight + (rows - 1) * gap,
    tileWidth,
    tileHeight,
    gap,
  };
}

/** Top-left corner of tile `index`. */
export function tileOrigin(layout: TileLayout, index: number): { readonly x: number; readonly y: number } {
  const column = index % layout.columns;
  const row = Math.floor(index / layout.columns);
  return { x: column * (layout.tileWidth + layout.gap), y: row * (layout.tileHeight + layout.gap) };
}

/** Which tile, and which pixel in it, a sheet pixel falls on; null in a gap or outside. */
export function tileAt(layout: TileLayout, count: number, x: number, y: number): { readonly index: number; readonly x: number; readonly y: number } | null {
  if (x < 0 || y < 0) return null;
  const column = Math.floor(x / (layout.tileWidth + layout.gap));
  const row = Math.floor(y / (layout.tileHeight + layout.gap));
  const tx = x - column * (layout.tileWidth + layout.gap);
  const ty = y - row * (layout.tileHeight + layout.gap);
  if (column >= layout.columns || tx >= layout.tileWidth || ty >= layout.tileHeight) return null;
  const index = row * layout.columns + column;
  return index < count ? { index, x: Math.floor(tx), y: Math.floor(ty) } : null;
}

/**
 * Copies RGBA tiles into one sheet (transparent gaps). Each tile is
 * `tileWidth×tileHeight` RGBA, in order.
 */
export function composeSheet(layout: TileLayout, tiles: readonly Uint8ClampedArray[]): Uint8ClampedArray<ArrayBuffer> {
  const sheet = new Uint8ClampedArray(layout.width * layout.height * 4);
  const rowBytes = layout.tileWidth * 4;
  tiles.forEach((tile, index) => {
    const { x, y } = tileOrigin(layout, index);
    for (let row = 0; row < layout.tileHeight; row++) {
      sheet.set(tile.subarray(row * rowBytes, (row + 1) * rowBytes), ((y + row) * layout.width + x) * 4);
    }
  });
  return sheet;
}
