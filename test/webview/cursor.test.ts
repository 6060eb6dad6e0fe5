import { describe, expect, it } from 'vitest';
import { layerAtLine } from '../../webview/cursor';

describe('layerAtLine', () => {
  const layers = [
    { line: 4, callLines: [] },
    { line: 5, callLines: [] },
    { line: 1, callLines: [9] },
    { line: 2, callLines: [9] },
  ];
  it('finds the layer called on a line, else the first layer of a block call on it', () => {
    expect(layerAtLine(layers, 5)).toBe(1);
    expect(layerAtLine(layers, 9)).toBe(2);
    expect(layerAtLine(layers, 2)).toBe(3);
    expect(layerAtLine(layers, 7)).toBe(-1);
  });
});
