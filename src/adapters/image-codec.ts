/**
 * PNG and JPEG decoding/encoding to the core's `RgbaImage`, with pure-JS
 * libraries (pngjs, jpeg-js). The CLI uses it as is; a browser bundle can use it
 * by aliasing `pngjs` to `pngjs/browser.js` (which bundles its zlib and Buffer
 * shims), or decode with the DOM (`ImageData` is already an `RgbaImage`).
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../core/image';
import { ImageError, MAX_IMAGE_PIXELS, readImageHeader } from '../core/image-header';

export type ImageFormat = 'png' | 'jpeg';

/** The format from the file's first bytes, or null when it is neither PNG nor JPEG. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * Decodes a PNG (any bit depth, palette, interlace) or a baseline/progressive
 * JPEG to 8-bit RGBA. The declared size is checked against `MAX_IMAGE_PIXELS`
 * (and a PNG's chunks against their CRCs) before anything is decoded. Throws
 * `ImageError` with a plain message on bad input.
 */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const header = readImageHeader(bytes);
  try {
    if (header.format === 'png') {
      const png = PNG.sync.read(toBuffer(bytes.subarray(0, header.length)));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImageError(`${header.format === 'png' ? 'PNG' : 'JPEG'}, ${header.width}×${header.height}: ${reason}`);
  }
}

/** Encodes RGBA pixels as an 8-bit RGBA PNG. */
export function encodePng(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = toBuffer(image.data instanceof Uint8Array ? image.data : new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length));
  const out = PNG.sync.write(png, { colorType: 6 });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Encodes RGBA pixels as a JPEG (alpha dropped). For fixtures and tests. */
export function encodeJpeg(image: RgbaImage, quality = 90): Uint8Array {
  const out = jpeg.encode({ width: image.width, height: image.height, data: image.data }, quality);
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
