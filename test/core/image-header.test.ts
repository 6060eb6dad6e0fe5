import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError, MAX_IMAGE_PIXELS, readImageHeader } from '../../src/core/image-header';
import { chunk, zeroPng } from './png-fixtures';

const images = join(__dirname, '..', '..', 'samples', 'images');

function headerError(bytes: Uint8Array): string {
  try {
    readImageHeader(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ImageError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('readImageHeader', () => {
  it('reads the size of the sample PNGs and JPEGs', () => {
    expect(readImageHeader(readFileSync(join(images, 'digit-7.png')))).toMatchObject({ format: 'png', width: 32, height: 32 });
    expect(readImageHeader(readFileSync(join(images, 'chelsea.jpg')))).toMatchObject({ format: 'jpeg', width: 256, height: 170 });
  });

  it('refuses a PNG that declares more than 40 megapixels before decoding it', () => {
    expect(MAX_IMAGE_PIXELS).toBe(40_000_000);
    const header = new Uint8Array(13);
    new DataView(header.buffer).setUint32(0, 30000);
    new DataView(header.buffer).setUint32(4, 30000);
    header[8] = 8;
    const bomb = Buffer.concat([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', new Uint8Array(10)), chunk('IEND', new Uint8Array(0))]);
    expect(headerError(bomb)).toBe('the PNG declares 30000×30000 pixels (900 megapixels); the limit is 40 megapixels');
  });

  it('refuses a JPEG whose frame header was patched to 8000×8000', () => {
    const jpeg = Uint8Array.from(readFileSync(join(images, 'chelsea.jpg')));
    const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
    jpeg.set([8000 >> 8, 8000 & 0xff, 8000 >> 8, 8000 & 0xff], sof + 5);
    expect(headerError(jpeg)).toBe('the JPEG declares 8000×8000 pixels (64 megapixels); the limit is 40 megapixels');
  });

  it('names what is wrong with a damaged PNG', () => {
    const good = readFileSync(join(images, 'digit-7.png'));
    const badCrc = Uint8Array.from(good);
    badCrc[29] ^= 0xff;
    expect(headerError(badCrc)).toBe('PNG: chunk IHDR at byte 8 fails its CRC check (the file is damaged)');
    expect(headerError(zeroPng(4, 4, { colour: 7 }))).toBe('PNG: colour type 7 is not valid (0, 2, 3, 4 or 6)');
    expect(headerError(zeroPng(4, 4, { colour: 2, depth: 4 }))).toBe('PNG: bit depth 4 is not valid for RGB (colour type 2): 8, 16');
    expect(headerError(good.subarray(0, 100))).toMatch(/^PNG: truncated: chunk IDAT at byte \d+ needs \d+ bytes/);
    expect(headerError(good.subarray(0, good.length - 12))).toBe(`PNG: truncated at byte ${good.length - 12}: no IEND chunk`);
    expect(headerError(new TextEncoder().encode('GIF89a'))).toBe('not a PNG or JPEG image');
  });

  it('names what is wrong with a damaged JPEG', () => {
    const jpeg = readFileSync(join(images, 'chelsea.jpg'));
    expect(headerError(jpeg.subarray(0, 20))).toBe('JPEG: truncated before its frame header (SOF)');
    expect(headerError(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBe('JPEG: no frame header (SOF) before the image data');
  });

  it('ignores bytes after IEND', () => {
    const png = zeroPng(3, 2);
    const padded = Buffer.concat([png, Buffer.from('trailing')]);
    expect(readImageHeader(padded)).toEqual({ format: 'png', width: 3, height: 2, length: png.length });
  });
});
