/**
 * What a PNG or JPEG declares about itself, read before any pixel is decoded:
 * its format and size, checked against one pixel limit. A PNG or JPEG can
 * declare 30000×30000 pixels in under a megabyte (a decompression bomb); the
 * decoder would then allocate gigabytes. Pure (no Node, no DOM), so the CLI's
 * decoder and the preview can both ask it first.
 *
 * A PNG's chunk structure is checked whole here (lengths, CRCs, IHDR fields,
 * IEND), because pngjs reports every such fault as "unrecognised content at
 * end of stream".
 */

/** Images with more pixels are refused before decoding. 40 MP holds an 8K frame (33 MP); the runner and the preview shrink every image to the model's input anyway. */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** A PNG or JPEG that is malformed, truncated, unsupported or too large; the message says which. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

export interface ImageHeader {
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
  /** For a PNG, the bytes up to the end of IEND (anything after it is ignored); for a JPEG, every byte. */
  readonly length: number;
}

export interface ImageHeaderOptions {
  /** Default `MAX_IMAGE_PIXELS`. */
  readonly maxPixels?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The format and size of a PNG or JPEG. Throws `ImageError` when the bytes are
 * neither, are malformed, or declare more than `maxPixels` pixels.
 */
export function readImageHeader(bytes: Uint8Array, options: ImageHeaderOptions = {}): ImageHeader {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('readImageHeader: bytes must be a Uint8Array');
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  let header: ImageHeader;
  if (bytes.length >= 4 && PNG_SIGNATURE.slice(0, 4).every((b, i) => bytes[i] === b)) header = pngHeader(bytes);
  else if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) header = jpegHeader(bytes);
  else throw new ImageError('not a PNG or JPEG image');
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    throw new ImageError(
      `the ${header.format === 'png' ? 'PNG' : 'JPEG'} declares ${header.width}×${header.height} pixels (${megapixels(pixels)} megapixels); the limit is ${megapixels(maxPixels)} megapixels`,
    );
  }
  return header;
}

function megapixels(pixels: number): string {
  const mp = pixels / 1e6;
  return mp >= 10 ? String(Math.round(mp)) : mp.toPrecision(2);
}

const COLOUR_TYPES: Readonly<Record<number, { readonly name: string; readonly depths: readonly number[] }>> = {
  0: { name: 'grayscale', depths: [1, 2, 4, 8, 16] },
  2: { name: 'RGB', depths: [8, 16] },
  3: { name: 'palette', depths: [1, 2, 4, 8] },
  4: { name: 'grayscale with alpha', depths: [8, 16] },
  6: { name: 'RGBA', depths: [8, 16] },
};

function pngHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 8 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw new ImageError('PNG: the signature is damaged (a file sent as text?)');
  let width = 0;
  let height = 0;
  let colourType = -1;
  let sawData = false;
  let sawPalette = false;
  for (let at = 8, index = 0; ; index++) {
    if (at + 8 > bytes.length) throw new ImageError(`PNG: truncated at byte ${bytes.length}: ${index === 0 ? 'no IHDR chunk' : 'no IEND chunk'}`);
    const length = u32(bytes, at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new ImageError(`PNG: no chunk at byte ${at} (the file is damaged)`);
    if (length > 0x7fffffff) throw new ImageError(`PNG: chunk ${type} at byte ${at} declares ${length} bytes, more than PNG allows`);
    const end = at + 12 + length;
    if (end > bytes.length) throw new ImageError(`PNG: truncated: chunk ${type} at byte ${at} needs ${length + 12} bytes, the file ends ${bytes.length - at} bytes on`);
    if (crc32(bytes, at + 4, at + 8 + length) !== u32(bytes, at + 8 + length)) throw new ImageError(`PNG: chunk ${type} at byte ${at} fails its CRC check (the file is damaged)`);
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13) throw new ImageError('PNG: the first chunk must be a 13-byte IHDR');
      width = u32(bytes, at + 8);
      height = u32(bytes, at + 12);
      const depth = bytes[at + 16];
      colourType = bytes[at + 17];
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new ImageError(`PNG: size ${width}×${height} is not valid`);
      const colour = COLOUR_TYPES[colourType];
      if (!colour) throw new ImageError(`PNG: colour type ${colourType} is not valid (0, 2, 3, 4 or 6)`);
      if (!colour.depths.includes(depth)) throw new ImageError(`PNG: bit depth ${depth} is not valid for ${colour.name} (colour type ${colourType}): ${colour.depths.join(', ')}`);
      if (bytes[at + 18] !== 0) throw new ImageError(`PNG: compression method ${bytes[at + 18]} is not valid (0)`);
      if (bytes[at + 19] !== 0) throw new ImageError(`PNG: filter method ${bytes[at + 19]} is not valid (0)`);
      if (bytes[at + 20] > 1) throw new ImageError(`PNG: interlace method ${bytes[at + 20]} is not valid (0 or 1)`);
    } else if (type === 'IHDR') {
      throw new ImageError(`PNG: a second IHDR chunk at byte ${at}`);
    } else if (type === 'PLTE') {
      sawPalette = true;
    } else if (type === 'IDAT') {
      sawData = true;
    } else if (type === 'IEND') {
      if (!sawData) throw new ImageError('PNG: no image data (IDAT chunk)');
      if (colourType === 3 && !sawPalette) throw new ImageError('PNG: a palette image without a palette (PLTE chunk)');
      return { format: 'png', width, height, length: end };
    } else if ((bytes[at + 4] & 0x20) === 0) {
      throw new ImageError(`PNG: unsupported critical chunk ${type}`);
    }
    at = end;
  }
}

/** SOF markers: C0–CF except C4 (DHT), C8 (JPG) and CC (DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(bytes: Uint8Array): ImageHeader {
  let at = 2;
  for (;;) {
    // Markers are 0xFF then a code; extra 0xFF bytes before the code are fill.
    while (at < bytes.length && bytes[at] !== 0xff) at++;
    while (at < bytes.length && bytes[at] === 0xff) at++;
    if (at >= bytes.length) throw new ImageError('JPEG: truncated before its frame header (SOF)');
    const marker = bytes[at++];
    if (marker === 0xd9 || marker === 0xda) throw new ImageError('JPEG: no frame header (SOF) before the image data');
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (at + 2 > bytes.length) throw new ImageError('JPEG: truncated before its frame header (SOF)');
    const length = (bytes[at] << 8) | bytes[at + 1];
    if (length < 2) throw new ImageError(`JPEG: a segment at byte ${at - 2} declares length ${length}`);
    if (isStartOfFrame(marker)) {
      if (length < 8 || at + 7 > bytes.length) throw new ImageError('JPEG: truncated frame header (SOF)');
      const height = (bytes[at + 3] << 8) | bytes[at + 4];
      const width = (bytes[at + 5] << 8) | bytes[at + 6];
      if (width === 0 || height === 0) throw new ImageError(`JPEG: size ${width}×${height} is not supported`);
      return { format: 'jpeg', width, height, length: bytes.length };
    }
    at += length;
  }
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, as PNG uses it) of bytes[start, end). */
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
