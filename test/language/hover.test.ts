import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { getLayerSpec } from '../../src/language/catalogue';
import { hover, outputSizeArithmetic, paramsFormula } from '../../src/language/hover';
import type { Layer } from '../../src/language/types';

const SAMPLES = join(__dirname, '../../samples');

const tiny = `model Tiny {
  input image: 3×224×224
  stem: conv 64, k=7, stride=2, padding=3, bias=false
  pool = maxpool 3, stride=2, padding=1
  conv 64, k=3, padding=1
  conv 64, k=3, dilation=2, padding=2, groups=64
  maxpool 3, stride=2, ceil=true
  up = convtranspose 32, k=2, stride=2
  gap | flatten
  linear 10
}
`;
const analysis = analyze(tiny);

function hoverOn(needle: string, text = tiny, a = analysis): string {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`no ${needle}`);
  const result = hover(a, at);
  if (!result) throw new Error(`no hover on ${needle}`);
  return result.markdown;
}

function layerAt(needle: string): Layer {
  const at = tiny.indexOf(needle);
  const layer = analysis.layers.find((l) => l.span.start === at);
  if (!layer) throw new Error(`no layer at ${needle}`);
  return layer;
}

describe('hover on a layer', () => {
  it('shows output and input shapes with ×, params and the output-size arithmetic', () => {
    const text = hoverOn('conv 64, k=7');
    expect(text).toContain('Output `64×112×112` ← input `3×224×224`');
    expect(text).toContain('Params: 7·7·3·64 = 9,408');
    expect(text).toContain('H, W: ⌊(224 + 2·3 − 7)/2⌋ + 1 = 112');
    expect(text).toContain('MACs: 118,013,952 (118M)');
    expect(text).toContain('Receptive field 7×7 · jump 2×2');
  });

  it('compares the first conv with a fully connected layer, and only the first', () => {
    expect(hoverOn('conv 64, k=7')).toContain('vs. fully connected: a `linear` from all 150,528 inputs to all 802,816 outputs would need');
    expect(hoverOn('conv 64, k=3, padding=1')).not.toContain('fully connected');
  });

  it('substitutes the bias term: 3·3·64·64 + 64 = 36,928', () => {
    expect(hoverOn('conv 64, k=3, padding=1')).toContain('Params: 3·3·64·64 + 64 = 36,928');
  });

  it('writes grouped and dilated convs in the textbook form', () => {
    const text = hoverOn('conv 64, k=3, dilation=2');
    expect(text).toContain('Params: 3·3·(64/64)·64 + 64 = 640');
    expect(text).toContain('⌊(56 + 2·2 − 2·(3 − 1) − 1)/1⌋ + 1 = 56');
  });

  it('shows ceil mode with ⌈⌉, and a transposed conv with its own formula', () => {
    expect(hoverOn('maxpool 3, stride=2, ceil')).toContain('⌈(56 − 3)/2⌉ + 1 = 28');
    const up = hoverOn('convtranspose');
    expect(up).toContain('(28 − 1)·2 + (2 − 1) + 1 = 56');
    expect(up).toContain('Params: 2·2·64·32 + 32 = 8,224');
  });

  it('says a layer without weights has none', () => {
    expect(hoverOn('maxpool 3, stride=2, padding=1')).toContain('Params: 0 (no learned weights)');
  });

  it('writes the formula for linear and norms, and matches the analysed count', () => {
    expect(hoverOn('linear 10')).toContain('Params: 32·10 + 10 = 330');
    const bn = analyze('model M {\n  input x: 8×4×4\n  batchnorm\n}\n');
    expect(hover(bn, bn.text.indexOf('batchnorm'))?.markdown).toContain('Params: 2·8 = 16');
  });

  it('follows the shape notation', () => {
    const at = tiny.indexOf('conv 64, k=7');
    expect(hover(analysis, at, { notation: 'x' })?.markdown).toContain('Output `64x112x112` ← input `3x224x224`');
  });

  it('shows the labelled layer on its label', () => {
    const at = tiny.indexOf('stem:');
    const result = hover(analysis, at + 1);
    expect(result?.markdown).toContain('Output `64×112×112` ← input `3×224×224`');
    expect(result?.span).toEqual({ start: at, end: at + 4 });
  });

  it('highlights the layer kind', () => {
    const at = tiny.indexOf('conv 64, k=7');
    expect(hover(analysis, at + 2)?.span).toEqual({ start: at, end: at + 4 });
  });
});

describe('hover on names, blocks and arguments', () => {
  const resnet = readFileSync(join(SAMPLES, 'resnet18.cnn'), 'utf8');
  const resnetAnalysis = analyze(resnet);

  it('shows a tensor name with its shape', () => {
    expect(hoverOn('pool =')).toBe('**pool** · tensor `64×56×56`');
  });

  it('shows the model input and the model totals', () => {
    expect(hoverOn('image')).toBe('**image** · model input `3×224×224`');
    const model = hoverOn('ResNet18', resnet, resnetAnalysis);
    expect(model).toContain('Params: 11,689,512 (11.7M)');
    expect(model).toContain('Output: `1000`');
  });

  it('marks the model totals as partial past an error', () => {
    const text = 'model M {\n  input x: 3×32×32\n  s = conv 16, k=3, padding=1\n  conv 32, k=3, in=8\n  relu\n  conv 64, k=3, padding=1, in=32\n  batchnorm\n  batchnorm c=64\n  s | conv 8, k=1\n}\n';
    const model = hoverOn('M {', text, analyze(text));
    expect(model).toContain('Params: ≥ 19,208 (partial: 2 layers unknown)');
    expect(model).toContain('MACs: ≥ ');
  });

  it('shows a block call with its shapes and totals', () => {
    const text = hoverOn('stage(128', resnet, resnetAnalysis);
    expect(text).toContain('**stage** · block call');
    expect(text).toContain('block stage(c, n, stride=1)');
    expect(text).toContain('Output `128×28×28` ← input `64×56×56`');
    expect(text).toContain('Params: 525,568');
  });

  it('lists each run of a block call inside a repeat', () => {
    const text = hoverOn('basic(c)', resnet, resnetAnalysis);
    expect(text).toContain('Output `64×56×56` ← input `64×56×56`');
    expect(text).toContain(
      [
        'Expanded 4 times (inside a `repeat` or a block called more than once):',
        '- 64×56×56 → 64×56×56 · 73,984 params',
        '- 128×28×28 → 128×28×28 · 295,424 params',
        '- 256×14×14 → 256×14×14 · 1,180,672 params',
        '- 512×7×7 → 512×7×7 · 4,720,640 params',
      ].join('\n'),
    );
  });

  it('counts repeated runs of a block call, says when all are the same, and when not all were recorded', () => {
    const block = 'block up(c) {\n  conv c, k=3, padding=1\n}\n';
    const same = `${block}model M {\n  input x: 4×8×8\n  repeat 3 {\n    up(4)\n  }\n}\n`;
    expect(hover(analyze(same), same.indexOf('up(4)'))?.markdown).toContain('Expanded 3 times (inside a `repeat` or a block called more than once), the same each time.');
    const many = `${block}model M {\n  input x: 4×8×8\n  repeat 20 {\n    up(4)\n  }\n}\n`;
    const text = hover(analyze(many), many.indexOf('up(4)'))?.markdown ?? '';
    expect(text).toContain('Expanded 20 times (inside a `repeat` or a block called more than once):\n- ×16: 4×8×8 → 4×8×8 · 148 params\n- … and 4 more runs after the first 16');
  });

  it('shows a block definition with its call sites', () => {
    const text = hoverOn('stage(c, n', resnet, resnetAnalysis);
    expect(text).toContain('block stage(c, n, stride=1)');
    expect(text).toContain('Called 4 times:');
    expect(text).toContain('64×56×56 → 128×28×28 · 525,568 params');
  });

  it('lists the different expansions of a layer inside a block', () => {
    const text = hoverOn('conv c, k=3, stride=stride', resnet, resnetAnalysis);
    expect(text).toContain('Expanded 8 times:');
    expect(text).toContain('64×56×56 → 64×56×56 · 36,864 params');
    expect(text).toContain('128×28×28 → 256×14×14 · 294,912 params');
  });

  it('shows an argument keyword’s catalogue docs', () => {
    const at = tiny.indexOf('stride=2');
    const text = hover(analysis, at)?.markdown ?? '';
    expect(text).toContain('**stride** · argument of `conv` (sizes, default `1`)');
    expect(text).toContain('Step between window positions');
  });

  it('shows a block call argument as the block’s parameter', () => {
    const at = resnet.indexOf('stride=2)');
    expect(hover(resnetAnalysis, at)?.markdown).toBe('**stride** · parameter of block `stage`\n\n```cnn\nstride = 1\n```');
  });

  it('shows `in` inside a block with the shapes it was called on', () => {
    const at = resnet.indexOf('add(y, in)') + 'add(y, '.length;
    expect(hover(resnetAnalysis, at + 1)?.markdown).toBe(
      '**in** · the tensor block `basic` was called on: `64×56×56` | `128×28×28` | `256×14×14` | `512×7×7`',
    );
  });

  it('returns nothing on whitespace and comments', () => {
    const text = '# a comment\nmodel M {\n  input x: 1×8×8\n}\n';
    const a = analyze(text);
    expect(hover(a, 3)).toBeNull();
  });
});

describe('formula helpers agree with the analysis', () => {
  it.each(readdirSync(SAMPLES).filter((f) => f.endsWith('.cnn')))('%s: every formula shown reproduces the analysed numbers', (file) => {
    const text = readFileSync(join(SAMPLES, file), 'utf8');
    const a = analyze(text);
    for (const layer of a.layers) {
      const spec = getLayerSpec(layer.kind)!;
      const formula = paramsFormula(spec, layer);
      if (formula && layer.params > 0) expect(formula.endsWith(`= ${layer.params.toLocaleString('en-US')}`), `${layer.name}: ${formula}`).toBe(true);
      const arithmetic = outputSizeArithmetic(layer);
      if (arithmetic && layer.outputShape) {
        const results = [...arithmetic.matchAll(/= (\d+)/g)].map((m) => Number(m[1]));
        for (const n of results) expect(layer.outputShape.slice(1), `${layer.name}: ${arithmetic}`).toContain(n);
      }
    }
  });

  it('hovers at every offset of every sample without throwing', () => {
    for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.cnn'))) {
      const text = readFileSync(join(SAMPLES, file), 'utf8');
      const a = analyze(text);
      for (let offset = 0; offset <= text.length; offset++) hover(a, offset);
    }
  });

  it('gives a formula for every conv, linear and norm layer of the samples', () => {
    for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith('.cnn'))) {
      const a = analyze(readFileSync(join(SAMPLES, file), 'utf8'));
      for (const layer of a.layers.filter((l) => l.params > 0)) {
        expect(paramsFormula(getLayerSpec(layer.kind)!, layer), `${file} ${layer.name}`).not.toBeNull();
      }
    }
  });
});
