import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as layout from '../../assembly/layout';

// assembly/layout.ts is the one source of the memory contract between the wasm
// kernels and their host; these check that both sides use it and nothing else.

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const fields = Object.entries(layout).filter(([name]) => name.startsWith('GEO_') && name !== 'GEO_BYTES') as [string, number][];

describe('assembly/layout.ts: the geometry record', () => {
  it('has one 4-byte slot per field, all inside GEO_BYTES', () => {
    const offsets = fields.map(([, offset]) => offset).sort((a, b) => a - b);
    expect(offsets).toEqual(offsets.map((_, i) => 4 * i));
    expect(layout.GEO_BYTES).toBe(4 * fields.length);
  });

  it('the host writes every field by its name', () => {
    const host = read('src/core/wasm.ts');
    for (const [name] of fields) expect(host, name).toContain(`v[${name} >> 2] = `);
  });

  it('the kernels read the record only through the named offsets', () => {
    for (const file of readdirSync(join(ROOT, 'assembly')).filter((f) => f.endsWith('.ts'))) {
      const text = read(`assembly/${file}`);
      expect(text.match(/load<i32>\(geo,\s*\d/g), file).toBeNull();
      expect(text.match(/\bconst\s+G_[A-Z_]+\s*=/g), file).toBeNull();
    }
  });
});

describe('assembly/layout.ts: panel widths', () => {
  it('neither side defines MR or NR of its own for the SIMD GEMM', () => {
    for (const path of ['src/core/wasm.ts', ...readdirSync(join(ROOT, 'assembly')).filter((f) => f.endsWith('.ts') && f !== 'layout.ts').map((f) => `assembly/${f}`)]) {
      expect(read(path).match(/\bconst\s+(MR|NR)\b/g), path).toBeNull();
    }
  });
});
