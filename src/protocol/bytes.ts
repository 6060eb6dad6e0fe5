/**
 * How bytes travel in messages between the extension and the webview, both
 * ends of it. VS Code transfers typed arrays as buffers, but a Node `Buffer`
 * turns into `{ type: 'Buffer', data }` on the way (JSON.stringify calls its
 * toJSON first), and an older host may send an index-keyed object. The sender
 * sends plain views (`plainBytes`); the receiver takes whatever arrived (`asBytes`).
 */

/**
 * The same bytes as a plain Uint8Array view. `workspace.fs.readFile` may give
 * a Node Buffer, whose toJSON would turn a webview message into
 * `{ type: 'Buffer', data: [...] }` instead of a transferred buffer.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes from a message, however it carried them; null when the value holds no bytes. */
export function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (record.type === 'Buffer' && Array.isArray(record.data)) return Uint8Array.from(record.data as number[]);
    const keys = Object.keys(record);
    if (keys.length > 0 && keys.every((k, i) => k === String(i))) return Uint8Array.from(keys, (k) => Number(record[k]));
  }
  return null;
}
