import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodeJpeg, encodePng, sniffImageFormat } from '../../src/adapters/image-codec';
import { zeroPng } from '../core/png-fixtures';

const images = join(__dirname, '..', '..', 'samples', 'images');

describe('image codec', () => {
  it('round-trips RGBA through PNG exactly', () => {
    const data = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const bytes = encodePng({ width: 3, height: 2, data });
    expect(sniffImageFormat(bytes)).toBe('png');
    expect(decodeImage(bytes)).toEqual({ width: 3, height: 2, data });
  });

  it('round-trips through JPEG within a few levels on a smooth image', () => {
    const data = new Uint8Array(16 * 16 * 4);
    for (let i = 0; i < 256; i++) data.set([i, 128, 255 - i, 255], 4 * i);
    const decoded = decodeImage(encodeJpeg({ width: 16, height: 16, data }, 95));
    expect([decoded.width, decoded.height]).toEqual([16, 16]);
    let worst = 0;
    for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(decoded.data[i] - data[i]));
    expect(worst).toBeLessThan(24); // JPEG is lossy: 8×8 DCT blocks and chroma subsampling
  });

  it('decodes the sample photos and digits', () => {
    expect(decodeImage(readFileSync(join(images, 'chelsea.jpg')))).toMatchObject({ width: 256, height: 170 });
    const digit = decodeImage(readFileSync(join(images, 'digit-7.png')));
    expect([digit.width, digit.height, digit.data.length]).toEqual([32, 32, 32 * 32 * 4]);
  });

  it('rejects bytes that are neither PNG nor JPEG, and a truncated PNG', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a'))).toThrow('not a PNG or JPEG image');
    const png = readFileSync(join(images, 'shapes.png'));
    expect(() => decodeImage(png.subarray(0, 60))).toThrow();
  });

  it('refuses a 45-megapixel PNG of 45 KB before decoding it (a decompression bomb)', () => {
    const bomb = zeroPng(9000, 5000);
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodeImage(bomb)).toThrow('the PNG declares 9000×5000 pixels (45 megapixels); the limit is 40 megapixels');
  });

  it('says what is wrong with a damaged PNG instead of "unrecognised content at end of stream"', () => {
    const badCrc = Uint8Array.from(readFileSync(join(images, 'digit-7.png')));
    badCrc[29] ^= 0xff;
    expect(() => decodeImage(badCrc)).toThrow('PNG: chunk IHDR at byte 8 fails its CRC check');
    expect(() => decodeImage(zeroPng(4, 4, { colour: 5 }))).toThrow('PNG: colour type 5 is not valid (0, 2, 3, 4 or 6)');
  });

  it('decodes a PNG with bytes after its IEND chunk', () => {
    const png = Buffer.concat([zeroPng(3, 2), Buffer.from('appended by some tool')]);
    expect(decodeImage(png)).toMatchObject({ width: 3, height: 2 });
  });
});
