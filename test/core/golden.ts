/**
 * Test helpers: loads the PyTorch per-op goldens written by scripts/golden/ops.py
 * (test/golden/ops/<family>.json) and compares floats with a stated tolerance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Tensor } from '../../src/core/tensor';

interface EncodedTensor {
  readonly shape: number[];
  readonly data: string;
}

export interface GoldenCase {
  readonly op: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly inputs: Record<string, Tensor | null>;
  readonly expected: Tensor | Tensor[];
}

export interface GoldenFile {
  readonly generator: { readonly command: string; readonly torch: string };
  readonly cases: GoldenCase[];
}

function decode(t: EncodedTensor): Tensor {
  const bytes = Buffer.from(t.data, 'base64');
  const data = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
  return { shape: t.shape, data };
}

export function loadGolden(family: string): GoldenFile {
  const path = join(__dirname, '..', 'golden', 'ops', `${family}.json`);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as {
    generator: GoldenFile['generator'];
    cases: Array<{ op: string; name: string; config: Record<string, unknown>; inputs: Record<string, EncodedTensor | null>; expected: EncodedTensor | EncodedTensor[] }>;
  };
  return {
    generator: raw.generator,
    cases: raw.cases.map((c) => ({
      op: c.op,
      name: c.name,
      config: c.config,
      inputs: Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, v === null ? null : decode(v)])),
      expected: Array.isArray(c.expected) ? c.expected.map(decode) : decode(c.expected),
    })),
  };
}

/**
 * Asserts equal shapes and |a − b| ≤ rtol·max(1, |b|) elementwise (a relative
 * tolerance that becomes absolute for values below 1). Reports the worst element.
 */
export function expectClose(actual: { shape: readonly number[]; data: ArrayLike<number> }, expected: Tensor, rtol: number): void {
  expect([...actual.shape]).toEqual([...expected.shape]);
  expect(actual.data.length).toBe(expected.data.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const b = expected.data[i];
    if (a === b || (Number.isNaN(b) && Number.isNaN(a))) continue; // also ±∞ = ±∞
    const excess = Math.abs(a - b) - rtol * Math.max(1, Math.abs(b));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${worst}: got ${actual.data[worst]}, expected ${expected.data[worst]} (tolerance ${rtol}·max(1,|b|))`);
  }
}

/** The required input, failing the test if the golden lacks it. */
export function input(c: GoldenCase, name: string): Tensor {
  const t = c.inputs[name];
  if (t === null || t === undefined) throw new Error(`golden case ${c.name} has no input ${name}`);
  return t;
}

export function single(c: GoldenCase): Tensor {
  if (Array.isArray(c.expected)) throw new Error(`golden case ${c.name} has several outputs`);
  return c.expected;
}
