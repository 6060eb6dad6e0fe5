import { describe, expect, it } from 'vitest';
import { composeSheet, tileAt, tileLayout, tileOrigin } from '../../webview/tiling';

describe('tileLayout', () => {
  it('n=16 square tiles make a 4×4 grid with 1 px gaps', () => {
    const layout = tileLayout(16, 10, 10);
    expect(layout).toMatchObject({ columns: 4, rows: 4, width: 43, height: 43 });
  });

  it('n=6 tiles make 3 columns and 2 rows; n=1 one tile; n=0 nothing', () => {
    expect(tileLayout(6, 8, 8)).toMatchObject({ columns: 3, rows: 2 });
    expect(tileLayout(1, 8, 8, { gap: 2 })).toMatchObject({ columns: 1, rows: 1, width: 8, height: 8 });
    expect(tileLayout(0, 8, 8)).toMatchObject({ rows: 0, width: 0, height: 0 });
  });

  it('wide tiles stack in fewer columns, and a fixed column count wins', () => {
    expect(tileLayout(4, 100, 10).columns).toBe(1);
    expect(tileLayout(10, 5, 5, { columns: 5 })).toMatchObject({ columns: 5, rows: 2 });
  });
});

describe('tileOrigin and tileAt', () => {
  const layout = tileLayout(5, 4, 3, { gap: 2, columns: 3 });

  it('places tile 4 in row 1, column 1', () => {
    expect(tileOrigin(layout, 4)).toEqual({ x: 6, y: 5 });
  });

  it('maps sheet pixels back to (tile, x, y), and gaps and empty cells to null', () => {
    expect(tileAt(layout, 5, 7, 6)).toEqual({ index: 4, x: 1, y: 1 });
    expect(tileAt(layout, 5, 4, 0)).toBeNull();
    expect(tileAt(layout, 5, 13, 6)).toBeNull();
    expect(tileAt(layout, 5, -1, 0)).toBeNull();
  });

  it('round-trips every tile pixel', () => {
    for (let index = 0; index < 5; index++) {
      const { x, y } = tileOrigin(layout, index);
      expect(tileAt(layout, 5, x + 3, y + 2)).toEqual({ index, x: 3, y: 2 });
    }
  });
});

describe('composeSheet', () => {
  it('copies each RGBA tile to its place and leaves gaps transparent', () => {
    const layout = tileLayout(2, 1, 1, { gap: 1, columns: 2 });
    const red = Uint8ClampedArray.from([255, 0, 0, 255]);
    const blue = Uint8ClampedArray.from([0, 0, 255, 255]);
    expect([...composeSheet(layout, [red, blue])]).toEqual([255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 255]);
  });
});
