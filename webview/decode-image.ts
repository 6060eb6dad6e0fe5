/**
 * The preview's one image decoder, used by the page (while the worker starts
 * up) and by the worker (when the page could not decode): the browser's own
 * PNG/JPEG decoder, read back through an OffscreenCanvas, which both have.
 */
import type { RgbaImage } from '../src/core/image';

/** An encoded PNG or JPEG as RGBA pixels; rejects when the browser cannot decode it. */
export async function decodeImage(bytes: Uint8Array): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas context');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: pixels.width, height: pixels.height, data: pixels.data };
  } finally {
    bitmap.close();
  }
}
