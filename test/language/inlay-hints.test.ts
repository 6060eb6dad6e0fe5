import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { inlayHints, type InlayHintOptions } from '../../src/language/inlay-hints';

const SAMPLES = join(__dirname, '../../samples');
const shapesOnly: InlayHintOptions = { notation: '×', outputShape: true, params: false };

/** Each hint as `text before it on its line ‖ label`. */
function rendered(text: string, options: InlayHintOptions = shapesOnly): string[] {
  return inlayHints(analyze(text), options).map((h) => {
    const lineStart = text.lastIndexOf('\n', h.offset - 1) + 1;
    return `${text.slice(lineStart, h.offset).trim()} ‖ ${h.label}`;
  });
}

describe('inlay hints', () => {
  const lenet = readFileSync(join(SAMPLES, 'lenet5.cnn'), 'utf8');

  it('show each layer statement’s output shape, before any trailing comment', () => {
    expect(rendered(lenet).slice(0, 4)).toEqual(['conv 6, k=5 ‖ → 6×28×28', 'tanh ‖ → 6×28×28', 'avgpool 2 ‖ → 6×14×14', 'conv 16, k=5 ‖ → 16×10×10']);
    expect(rendered(lenet).at(-1)).toBe('linear 10 ‖ → 10');
  });

  it('go on past an error: parameters that do not depend on the unknown input, and shapes known again from a named tensor', () => {
    const text = 'model M {\n  input x: 3×32×32\n  s = conv 16, k=3, padding=1\n  conv 32, k=3, in=8\n  relu\n  conv 64, k=3, padding=1, in=32\n  batchnorm\n  batchnorm c=64\n  s | conv 8, k=1\n}\n';
    expect(rendered(text)).toEqual([
      's = conv 16, k=3, padding=1 ‖ → 16×32×32',
      'conv 64, k=3, padding=1, in=32 ‖ → ? · 18,496 params',
      'batchnorm c=64 ‖ → ? · 128 params',
      's | conv 8, k=1 ‖ → 8×32×32',
    ]);
  });

  it('add the params when asked, and can drop the shape', () => {
    expect(rendered(lenet, { ...shapesOnly, params: true })[0]).toBe('conv 6, k=5 ‖ → 6×28×28 · 156 params');
    expect(rendered(lenet, { ...shapesOnly, outputShape: false, params: true })[0]).toBe('conv 6, k=5 ‖ 156 params');
    expect(rendered(lenet, { ...shapesOnly, outputShape: false })).toEqual([]);
  });

  it('follow the notation', () => {
    expect(rendered(lenet, { ...shapesOnly, notation: 'x' })[0]).toBe('conv 6, k=5 ‖ → 6x28x28');
  });

  it('show a block call’s output and params; a pipeline its last stage and its total params', () => {
    const resnet = readFileSync(join(SAMPLES, 'resnet18.cnn'), 'utf8');
    const hints = rendered(resnet);
    expect(hints).toContain('stage(512, 2, stride=2) ‖ → 512×7×7 · 8.39M params');
    expect(rendered(resnet, { ...shapesOnly, params: true })).toContain(
      'shortcut = in | conv c, k=1, stride=stride, bias=false | batchnorm ‖ → 128×28×28 | 256×14×14 | 512×7×7 · 8,448 params',
    );
  });

  it('list the different shapes of a line inside a block, and say when a nested call ran more than once', () => {
    const resnet = readFileSync(join(SAMPLES, 'resnet18.cnn'), 'utf8');
    const hints = rendered(resnet);
    expect(hints[0]).toBe('conv c, k=3, stride=stride, padding=1, bias=false ‖ → 64×56×56 | 128×28×28 | 256×14×14 | …');
    expect(hints).toContain('basic(c) ‖ → 64×56×56 · 73,984 params (first of 4)');
  });

  it('show both outputs of a split', () => {
    expect(rendered('model M {\n  input x: 8×4×4\n  a, b = chunk 2\n}\n')).toEqual(['a, b = chunk 2 ‖ → 4×4×4, 4×4×4']);
  });

  it('stay silent after an error, and in branches that did not run', () => {
    const text = 'model M {\n  input x: 3×8×8\n  conv 8, k=3, in=4\n  relu\n  if false {\n    relu\n  }\n}\n';
    expect(rendered(text)).toEqual([]);
  });

  it('keep to the requested span', () => {
    const a = analyze(lenet);
    const start = lenet.indexOf('linear 120');
    const hints = inlayHints(a, { ...shapesOnly, within: { start, end: start + 12 } });
    expect(hints.map((h) => h.label)).toEqual(['→ 120']);
  });

  it('give a tooltip with each stage’s shapes and params', () => {
    const [hint] = inlayHints(analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3 | relu\n}\n'), shapesOnly);
    expect(hint.tooltip).toBe('`conv` 3×8×8 → 4×6×6 · 112 params  \n`relu` 4×6×6 → 4×6×6 · 0 params');
  });

  it.each(readdirSync(SAMPLES).filter((f) => f.endsWith('.cnn')))('%s: hints sit at statement ends, in order', (file) => {
    const text = readFileSync(join(SAMPLES, file), 'utf8');
    const hints = inlayHints(analyze(text), { ...shapesOnly, params: true });
    const offsets = hints.map((h) => h.offset);
    expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
    for (const h of hints) expect(h.label).toMatch(/^→ /);
  });
});
