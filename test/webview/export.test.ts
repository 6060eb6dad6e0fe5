import { beforeAll, describe, expect, it } from 'vitest';

let exportName: (layerName: string, width: number, height: number) => string;
beforeAll(async () => {
  // Not a literal path: the module is type-checked with the DOM lib (webview/tsconfig.json), not with this project's.
  const module = '../../webview/export';
  ({ exportName } = await import(/* @vite-ignore */ module));
});

describe('exportName', () => {
  it("offers the layer's name and map size, made safe for a file name", () => {
    expect(exportName('conv1', 28, 28)).toBe('conv1-28x28.png');
    expect(exportName('layer1.0.conv1', 56, 56)).toBe('layer1.0.conv1-56x56.png');
    expect(exportName('../evil name/x', 7, 3)).toBe('.._evil_name_x-7x3.png');
  });
});
