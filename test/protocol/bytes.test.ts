import { describe, expect, it } from 'vitest';
import { asBytes, plainBytes } from '../../src/protocol/bytes';

describe('asBytes', () => {
  const expected = [137, 80, 78, 71];

  it('takes typed arrays and buffers as they are', () => {
    const bytes = Uint8Array.from(expected);
    expect(asBytes(bytes)).toBe(bytes);
    expect([...asBytes(bytes.buffer)!]).toEqual(expected);
    expect([...asBytes(new DataView(bytes.buffer, 1, 2))!]).toEqual([80, 78]);
  });

  it('revives a Node Buffer that went through JSON, an array, and an index-keyed object', () => {
    expect([...asBytes(JSON.parse(JSON.stringify(Buffer.from(expected))))!]).toEqual(expected);
    expect([...asBytes(expected)!]).toEqual(expected);
    expect([...asBytes(JSON.parse(JSON.stringify(Uint8Array.from(expected))))!]).toEqual(expected);
  });

  it('is null for anything else', () => {
    for (const value of [undefined, null, 'PNG', 42, {}, { a: 1 }]) expect(asBytes(value)).toBeNull();
  });
});

describe('plainBytes and asBytes, the two ends', () => {
  it('plainBytes turns a Node Buffer into a plain Uint8Array view, which JSON cannot flatten to { type: "Buffer" }', () => {
    const buffer = Buffer.from([1, 2, 3]);
    const plain = plainBytes(buffer);
    expect(Object.getPrototypeOf(plain)).toBe(Uint8Array.prototype);
    expect(plain.buffer).toBe(buffer.buffer);
    expect([...plain]).toEqual([1, 2, 3]);
    const already = new Uint8Array([4]);
    expect(plainBytes(already)).toBe(already);
  });

  it('asBytes reads bytes however a webview message carried them', () => {
    expect([...asBytes(new Uint8Array([1, 2]))!]).toEqual([1, 2]);
    expect([...asBytes({ type: 'Buffer', data: [3] })!]).toEqual([3]);
    expect([...asBytes({ 0: 5, 1: 6 })!]).toEqual([5, 6]);
    expect(asBytes('x')).toBeNull();
  });

  it('what plainBytes sends, asBytes reads back as the same bytes', () => {
    const sent = plainBytes(Buffer.from([9, 8, 7]));
    expect(asBytes(sent)).toBe(sent);
    expect([...asBytes(JSON.parse(JSON.stringify(sent)))!]).toEqual([9, 8, 7]);
  });
});
