import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/core/image';

let decodeImage: (bytes: Uint8Array) => Promise<RgbaImage>;
beforeAll(async () => {
  // Not a literal path: the module is type-checked with the DOM lib (webview/tsconfig.json), not with this project's.
  const module = '../../webview/decode-image';
  ({ decodeImage } = await import(/* @vite-ignore */ module));
});

/** The browser's decoder, stood in for: a 2×1 image whose pixels are read back through an OffscreenCanvas. */
const pixels = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 128]);
const calls: string[] = [];
const globals = globalThis as Record<string, unknown>;

function stubBrowser(options: { decodes: boolean; context?: boolean }): void {
  globals.createImageBitmap = async (blob: Blob) => {
    calls.push(`bitmap ${blob.size}`);
    if (!options.decodes) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
    return { width: 2, height: 1, close: () => calls.push('close') };
  };
  globals.OffscreenCanvas = class {
    constructor(width: number, height: number) {
      calls.push(`canvas ${width}×${height}`);
    }
    getContext() {
      if (options.context === false) return null;
      return { drawImage: () => calls.push('draw'), getImageData: (_x: number, _y: number, width: number, height: number) => ({ width, height, data: pixels }) };
    }
  };
}

afterEach(() => {
  delete globals.createImageBitmap;
  delete globals.OffscreenCanvas;
  calls.length = 0;
});

describe('decodeImage', () => {
  it('gives the RGBA pixels the browser decoded, at the image size, and frees the bitmap', async () => {
    stubBrowser({ decodes: true });
    expect(await decodeImage(new Uint8Array([1, 2, 3]))).toEqual({ width: 2, height: 1, data: pixels });
    expect(calls).toEqual(['bitmap 3', 'canvas 2×1', 'draw', 'close']);
  });

  it('rejects when the browser cannot decode the bytes, or has no 2D context (the bitmap is freed)', async () => {
    stubBrowser({ decodes: false });
    await expect(decodeImage(new Uint8Array([9]))).rejects.toThrow(/could not be decoded/);
    stubBrowser({ decodes: true, context: false });
    await expect(decodeImage(new Uint8Array([9]))).rejects.toThrow(/no 2D canvas context/);
    expect(calls.at(-1)).toBe('close');
  });
});
