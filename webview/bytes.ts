/**
 * Bytes as they may arrive in a webview message. VS Code transfers typed
 * arrays as buffers, but a Node `Buffer` turns into `{ type: 'Buffer', data }`
 * on the way (JSON.stringify calls its toJSON first), and an older host may
 * send an index-keyed object. Pure.
 */
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
