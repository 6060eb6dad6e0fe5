// What the incremental-analysis tests share: seeded randomness, the edits
// typing makes, and a comparison of an analysis with a fresh analyze() that
// names the first difference and checks hovers and inlay hints too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Random } from '../../src/core/prng';
import { hover } from '../../src/language/hover';
import { inlayHints } from '../../src/language/inlay-hints';
import type { Analysis } from '../../src/language/types';

const samplesDir = join(__dirname, '..', '..', 'samples');
export const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.cnn'))
  .map((f) => ({ name: f, text: readFileSync(join(samplesDir, f), 'utf8') }));

/** Seeded uniform numbers (the core's generator), so a failure names its seed. */
export function random(seed: number): () => number {
  const generator = new Random(`incremental/${seed}`);
  return () => generator.next();
}

const SNIPPETS = ['0', '1', '7', '64', ' ', '\n', '\n  ', ',', ', k=3', ' | relu', '×', 'x', '(', ')', '{', '}', '#', '=', 'conv 8', 'relu', 'y = ', 'add(y, in)', 'repeat 2 {', 'if true {', 'block b(c) {\n  conv c\n}\n', 'in', '"', 'model', ':', 'stride=2', 'padding=same', 'dropout 0.5', 'a, b = chunk 2', 'let n = 3', 'else', 'else {', '} else {', 'else if false {', '\n  if true { relu }\n', ';', '[', ']'];

/** One edit of the kind typing, deleting and pasting make, mostly near `cursor`. */
export function randomEdit(text: string, next: () => number, cursor: number): { text: string; cursor: number } {
  const at = next() < 0.8 ? Math.max(0, Math.min(text.length, cursor + Math.floor((next() - 0.5) * 40))) : Math.floor(next() * (text.length + 1));
  const choice = next();
  if (choice < 0.45) {
    const snippet = SNIPPETS[Math.floor(next() * SNIPPETS.length)];
    return { text: text.slice(0, at) + snippet + text.slice(at), cursor: at + snippet.length };
  }
  if (choice < 0.75) {
    const length = Math.floor(next() * (next() < 0.8 ? 3 : 60));
    return { text: text.slice(0, at) + text.slice(at + length), cursor: at };
  }
  if (choice < 0.9) {
    // A digit changed, as in the LSP benchmark.
    const digit = String(Math.floor(next() * 10));
    return { text: text.slice(0, at) + digit + text.slice(at + 1), cursor: at + 1 };
  }
  // A line pasted from elsewhere.
  const from = Math.floor(next() * text.length);
  const lineStart = text.lastIndexOf('\n', from) + 1;
  const lineEnd = text.indexOf('\n', from);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd + 1);
  const to = text.lastIndexOf('\n', at) + 1;
  return { text: text.slice(0, to) + line + text.slice(to), cursor: to + line.length };
}

/** The first place two values differ, as a path; null when they are the same (numbers by Object.is). */
export function difference(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return `${path}: typed arrays`;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.join() !== keysB.join()) return `${path}: keys ${keysA.join()} vs ${keysB.join()}`;
  for (const key of keysA) {
    const d = difference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return null;
}

/** Compares everything a feature reads: the analysis itself, hovers at a few offsets and the inlay hints. */
export function expectSameAnalysis(incremental: Analysis, fresh: Analysis, next: () => number, where: string): void {
  const d = difference(incremental, fresh);
  if (d) expect.fail(`${where}: incremental analysis differs at ${d}`);
  for (let i = 0; i < 4; i++) {
    const offset = Math.floor(next() * (fresh.text.length + 1));
    expect(hover(incremental, offset), `${where}: hover at ${offset}`).toEqual(hover(fresh, offset));
  }
  const options = { notation: '×', outputShape: true, params: true } as const;
  expect(inlayHints(incremental, options), `${where}: inlay hints`).toEqual(inlayHints(fresh, options));
}
