import { describe, expect, it } from 'vitest';
import { asBytes } from '../../webview/bytes';

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
