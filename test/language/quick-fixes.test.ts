import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { quickFixes, type QuickFix } from '../../src/language/quick-fixes';
import { applyChanges } from '../../src/language/text-change';
import type { Analysis, Diagnostic as CoreDiagnostic } from '../../src/language/types';
import { graphOf, unexpectedChanges } from './graph';

describe('quick fixes (in process)', () => {
  it('take the replacement from the diagnostic’s suggestion, not from its message', () => {
    const a = analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3, strides=2\n}\n');
    const d = a.diagnostics.find((x) => x.code === 'unknown-argument')!;
    expect(d.suggestion).toBe('stride');
    const fixes = quickFixes(a, { ...d, message: 'reworded' }, analyze);
    expect(fixes.map((f) => f.title)).toEqual(['Change ‘strides’ to ‘stride’']);
  });

  it('replace a misspelt enum value with the closest allowed one', () => {
    const a = analyze('model M {\n  input x: 3×8×8\n  stochasticdepth mode=rows\n}\n');
    const d = a.diagnostics.find((x) => x.code === 'invalid-argument')!;
    expect(quickFixes(a, d, analyze).map((f) => f.title)).toEqual(['Change ‘rows’ to ‘row’']);
  });

  it('offer no rename without a suggestion', () => {
    const a = analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3, qqqqqq=2\n}\n');
    const d = a.diagnostics.find((x) => x.code === 'unknown-argument')!;
    expect(quickFixes(a, d, analyze)).toEqual([]);
  });
});

/** The models the quick-fix tests run on, besides the samples. */
const SPECS: Record<string, string> = {
  'unknown layer': 'model M {\n  input x: 3×8×8\n  batchnrm\n  relu\n}\n',
  'unknown argument': 'model M {\n  input x: 3×8×8\n  conv 4, k=3, strides=2\n  relu\n}\n',
  'linear on a map': 'model M {\n  input x: 3×8×8\n  conv 4, k=3\n  linear 10\n  relu\n}\n',
  'declared channels': 'model M {\n  input x: 3×8×8\n  conv 4, k=3, in=8\n  relu\n}\n',
  'residual without padding': 'model M {\n  input x: 16×32×32\n  y = conv 16, k=3 | relu\n  add(y, x)\n  relu\n}\n',
  'projection on in': 'block down(c) {\n  y = conv c, k=3, stride=2, padding=1\n  add(y, in)\n}\nmodel M {\n  input x: 64×56×56\n  down(128)\n}\n',
  'one-argument add': 'model M {\n  input x: 3×32×32\n  skip = conv 16, k=3, padding=1\n  conv 32, k=3, stride=2, padding=1\n  conv 32, k=3, padding=1\n  add skip\n  relu\n}\n',
  'one-argument add in a pipeline': 'model M {\n  input x: 3×32×32\n  skip = conv 16, k=3, padding=1\n  conv 32, k=3, stride=2, padding=1\n  conv 32, k=3, padding=1 | add skip | relu\n}\n',
  'one-argument add after a label': 'model M {\n  input x: 3×32×32\n  skip = conv 16, k=3, padding=1\n  down: conv 32, k=3, stride=2, padding=1\n  let w = 2\n  add skip\n}\n',
  'one-argument add first in a block': 'block join(skip) {\n  add skip\n  relu\n}\nmodel M {\n  input x: 3×32×32\n  s = conv 16, k=3, padding=1\n  conv 32, k=3, stride=2, padding=1\n  join(skip=s)\n}\n',
  'one-argument concat': 'model M {\n  input x: 3×32×32\n  skip = conv 16, k=3, padding=1\n  conv 32, k=3, stride=2, padding=1\n  concat skip\n}\n',
  'add after a block call': 'block two(c) {\n  conv c, k=3, stride=2, padding=1\n}\nmodel M {\n  input x: 3×32×32\n  skip = conv 16, k=3, padding=1\n  two(32)\n  add skip\n}\n',
};

function samplesAndSpecs(): [string, string][] {
  const dir = join(__dirname, '../../samples');
  const samples = readdirSync(dir)
    .filter((f) => f.endsWith('.cnn'))
    .map((f): [string, string] => [f, readFileSync(join(dir, f), 'utf8')]);
  return [...samples, ...Object.entries(SPECS)];
}

/** The layer kinds a fix means to add. */
function addedBy(fix: QuickFix, d: CoreDiagnostic): string[] {
  if (fix.title.startsWith('Insert flatten')) return ['flatten'];
  if (fix.title.startsWith('Insert a 1×1 projection')) return ['conv'];
  if (d.code === 'unknown-layer' && d.suggestion) return [d.suggestion];
  return [];
}

const warnings = (a: Analysis, code: string) => a.diagnostics.filter((d) => d.code === code).length;

describe('quick fixes change only what they mean to', () => {
  for (const [name, text] of samplesAndSpecs()) {
    it(`every fix for ${name} keeps the rest of the graph`, () => {
      const before = analyze(text);
      for (const d of before.diagnostics) {
        for (const fix of quickFixes(before, d, analyze)) {
          const after = analyze(applyChanges(text, fix.changes));
          const problems = unexpectedChanges(graphOf(before), graphOf(after), { added: addedBy(fix, d), changes: fix.changes });
          expect(problems, `${fix.title}\n${applyChanges(text, fix.changes)}`).toEqual([]);
          expect(warnings(after, 'unused-name'), fix.title).toBeLessThanOrEqual(warnings(before, 'unused-name'));
          expect(fix.title, 'titles are plain text').not.toContain('`');
        }
      }
    });
  }

  /** The one fix for the spec's first diagnostic with `code`, applied. */
  function fixed(spec: string, code: string): { fix: QuickFix; text: string; before: Analysis; after: Analysis } {
    const before = analyze(SPECS[spec]);
    const d = before.diagnostics.find((x) => x.code === code)!;
    const fixes = quickFixes(before, d, analyze).filter((f) => f.title.startsWith('Insert a 1×1 projection'));
    expect(fixes).toHaveLength(1);
    const text = applyChanges(SPECS[spec], fixes[0].changes);
    return { fix: fixes[0], text, before, after: analyze(text) };
  }

  it('a one-argument add keeps the main path: it adds the projected shortcut to it, not the shortcut to itself', () => {
    const { text, after } = fixed('one-argument add', 'shape-mismatch');
    expect(text).toContain('  main = conv 32, k=3, padding=1\n  skip_proj = skip | conv 32, k=1, stride=2, bias=false\n  main | add skip_proj\n');
    expect(after.diagnostics).toEqual([]);
    const add = after.layers.find((l) => l.kind === 'add')!;
    const [mainConv, projection] = add.inputs.map((i) => after.layers[i]);
    expect(mainConv.args.k).toBe(3);
    expect(projection.args.k).toBe(1);
    // The sum sees as far as the main path does, not the 1×1 projection's 3×3.
    expect(add.receptiveField).toEqual(mainConv.receptiveField);
    expect(add.receptiveField).toEqual([9, 9]);
  });

  it('a one-argument add inside a pipeline starts the pipeline from the main path', () => {
    const { text, after } = fixed('one-argument add in a pipeline', 'shape-mismatch');
    expect(text).toContain('  main = conv 32, k=3, stride=2, padding=1\n  skip_proj = skip | conv 32, k=1, stride=2, bias=false\n  main | conv 32, k=3, padding=1 | add skip_proj | relu\n');
    expect(after.diagnostics).toEqual([]);
  });

  it('a one-argument add keeps a label and looks past a let', () => {
    const { text } = fixed('one-argument add after a label', 'shape-mismatch');
    expect(text).toContain('  down: main = conv 32, k=3, stride=2, padding=1\n  let w = 2\n  skip_proj = skip | conv 32, k=1, stride=2, bias=false\n  main | add skip_proj\n');
  });

  it('a one-argument add first in a block starts from `in`', () => {
    const { text, after } = fixed('one-argument add first in a block', 'shape-mismatch');
    expect(text).toContain('  skip_proj = skip | conv 32, k=1, stride=2, bias=false\n  in | add skip_proj\n');
    expect(after.diagnostics).toEqual([]);
  });

  it('offers no projection where naming the main path would rename a block call’s layers', () => {
    const before = analyze(SPECS['add after a block call']);
    const d = before.diagnostics.find((x) => x.code === 'shape-mismatch')!;
    expect(quickFixes(before, d, analyze).filter((f) => f.title.startsWith('Insert a 1×1'))).toEqual([]);
  });
});
