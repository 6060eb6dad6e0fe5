import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors, floatToHalf, halfToFloat, SafetensorsError, SafetensorsFile } from '../../src/core/safetensors';

/** Builds a file from a raw header object and data bytes, to test malformed input. */
function rawFile(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, headerLength ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('SafetensorsFile', () => {
  it('round-trips F32 and F16 tensors written by encodeSafetensors', () => {
    const bytes = encodeSafetensors(
      {
        'conv1.weight': { shape: [2, 1, 2, 2], data: Float32Array.from([1, -2, 3.5, 0, 0.25, -0.5, 7, 8]) },
        'conv1.bias': { shape: [2], data: Float32Array.from([0.1, -0.1]), dtype: 'F16' },
      },
      { source: 'test' },
    );
    const file = new SafetensorsFile(bytes);
    expect([...file.entries.keys()].sort()).toEqual(['conv1.bias', 'conv1.weight']);
    expect(file.metadata).toEqual({ source: 'test' });
    const w = file.float32('conv1.weight');
    expect(w.shape).toEqual([2, 1, 2, 2]);
    expect([...w.data]).toEqual([1, -2, 3.5, 0, 0.25, -0.5, 7, 8]);
    const b = file.float32('conv1.bias');
    // F16 keeps 11 significant bits: relative error ≤ 2^-11.
    expect(Math.abs(b.data[0] - 0.1)).toBeLessThan(0.1 * 2 ** -11);
    expect(Math.abs(b.data[1] + 0.1)).toBeLessThan(0.1 * 2 ** -11);
  });

  it('reads BF16 and F64', () => {
    const bf16 = new Uint8Array(4);
    const dv = new DataView(bf16.buffer);
    dv.setUint16(0, 0x3fc0, true); // 1.5
    dv.setUint16(2, 0xc000, true); // -2
    const f64 = new Uint8Array(8);
    new DataView(f64.buffer).setFloat64(0, 0.125, true);
    const data = new Uint8Array(12);
    data.set(bf16, 0);
    data.set(f64, 4);
    const file = new SafetensorsFile(rawFile({ a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'F64', shape: [1], data_offsets: [4, 12] } }, data));
    expect([...file.float32('a').data]).toEqual([1.5, -2]);
    expect([...file.float32('b').data]).toEqual([0.125]);
  });

  it('reads the trained LeNet-5 file written by Python', () => {
    const file = new SafetensorsFile(new Uint8Array(readFileSync(join(__dirname, '..', '..', 'samples', 'lenet5.safetensors'))));
    expect(file.entries.get('conv1.weight')?.shape).toEqual([6, 1, 5, 5]);
    expect(file.entries.get('linear3.bias')?.dtype).toBe('F32');
    expect(file.metadata.model).toBe('LeNet5');
  });

  it('rejects a file shorter than the length field', () => {
    expect(() => new SafetensorsFile(new Uint8Array(5))).toThrow(/shorter than the 8-byte header length/);
  });

  it('rejects a header that runs past the end (truncated file)', () => {
    const bytes = encodeSafetensors({ x: { shape: [4], data: new Float32Array(4) } });
    expect(() => new SafetensorsFile(bytes.subarray(0, 20))).toThrow(/truncated file: the header needs/);
  });

  it('rejects tensor data cut off at the end (truncated file)', () => {
    const bytes = encodeSafetensors({ x: { shape: [4], data: new Float32Array(4) } });
    expect(() => new SafetensorsFile(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated file: tensor `x` ends at byte 16 of the data, which has only 13/);
  });

  it('rejects a header that is not JSON', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(0, 8, true);
    bytes.set(new TextEncoder().encode('{"x": 1'), 8);
    expect(() => new SafetensorsFile(bytes)).toThrow(SafetensorsError);
  });

  it('rejects a byte count that does not match dtype and shape', () => {
    expect(() => new SafetensorsFile(rawFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow(
      /tensor `x`: holds 8 bytes, but F32 \[3\] needs 12/,
    );
  });

  it('lists an integer tensor but refuses to read it as weights', () => {
    const file = new SafetensorsFile(rawFile({ steps: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)));
    expect(file.has('steps')).toBe(true);
    expect(() => file.float32('steps')).toThrow(/has dtype I64; weights must be F32, F16, BF16, F64/);
  });

  it('reports a missing tensor', () => {
    const file = new SafetensorsFile(encodeSafetensors({}));
    expect(() => file.float32('conv1.weight')).toThrow(/missing tensor `conv1.weight`/);
  });
});

describe('half floats', () => {
  it('converts special values and round-trips every finite half exactly', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
    const mismatches: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) !== 0x7c00 && floatToHalf(halfToFloat(h)) !== h) mismatches.push(h);
    }
    expect(mismatches).toEqual([]);
  });

  it('rounds to nearest even', () => {
    expect(halfToFloat(floatToHalf(1 + 2 ** -11))).toBe(1); // tie, to even
    expect(halfToFloat(floatToHalf(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9); // tie, to even (up)
    expect(floatToHalf(1e6)).toBe(0x7c00);
  });
});
