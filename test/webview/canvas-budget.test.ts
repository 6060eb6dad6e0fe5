import { describe, expect, it } from 'vitest';
import { chooseReleases, mayDrawOffscreen, type CanvasHolder } from '../../webview/canvas-budget';

const holder = (index: number, canvases: number, near = false): CanvasHolder => ({ index, near, canvases });

describe('canvas budget', () => {
  it('off-screen sections are drawn while the budget has room', () => {
    expect(mayDrawOffscreen(464, 16, 480)).toBe(true);
    expect(mayDrawOffscreen(465, 16, 480)).toBe(false);
  });

  it('releases nothing while the new canvases fit', () => {
    expect(chooseReleases([holder(0, 16)], 100, 16, 0, 480)).toEqual([]);
  });

  it('budget=48 live=48 needed=16 around=5: releases the farthest off-screen section first', () => {
    const holders = [holder(0, 16), holder(4, 16, true), holder(9, 16)];
    expect(chooseReleases(holders, 48, 16, 5, 48).map((h) => h.index)).toEqual([0]);
  });

  it('releases as many as it takes, never a section on screen or one without canvases', () => {
    const holders = [holder(0, 8), holder(1, 0), holder(2, 8), holder(3, 16, true), holder(20, 8)];
    expect(chooseReleases(holders, 40, 16, 3, 40).map((h) => h.index)).toEqual([20, 0]);
  });

  it('frees what it can when the sections on screen hold the rest', () => {
    expect(chooseReleases([holder(0, 32, true), holder(1, 8)], 40, 16, 0, 40).map((h) => h.index)).toEqual([1]);
  });
});
