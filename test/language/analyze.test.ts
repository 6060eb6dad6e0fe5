import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, LIMITS } from '../../src/language/analyze';
import type { Analysis, Layer } from '../../src/language/types';

const SAMPLES = join(__dirname, '../../samples');
const GOLDENS = join(__dirname, '../golden/models');

interface GoldenLayer {
  module: string;
  type: string;
  inputShape: number[];
  outputShape: number[];
  params: number;
  macs: number;
}
interface Golden {
  id: string;
  input: number[];
  output: number[];
  totalParams: number;
  totalMacs: number;
  layers: GoldenLayer[];
}

/** Which PyTorch module types each of our layer kinds may stand for. */
const TORCH_TYPES: Record<string, readonly string[]> = {
  conv: ['Conv1d', 'Conv2d', 'Conv3d', 'Linear'],
  convtranspose: ['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d'],
  maxpool: ['MaxPool1d', 'MaxPool2d', 'MaxPool3d'],
  avgpool: ['AvgPool1d', 'AvgPool2d', 'AvgPool3d'],
  adaptiveavgpool: ['AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveAvgPool3d'],
  gap: ['AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveAvgPool3d'],
  batchnorm: ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d'],
  layernorm: ['LayerNorm2d', 'LayerNorm'],
  relu: ['ReLU'],
  relu6: ['ReLU6'],
  gelu: ['GELU'],
  tanh: ['Tanh'],
  dropout: ['Dropout'],
  stochasticdepth: ['StochasticDepth'],
  layerscale: ['LayerScale'],
  flatten: ['Flatten'],
  linear: ['Linear'],
};

/** Our layers that PyTorch models often compute with a function call rather than a module. */
const FUNCTIONAL = new Set(['flatten', 'add', 'mul', 'concat', 'split', 'chunk', 'shuffle', 'gap']);

/** Equal, or equal once PyTorch's channels-last layout ([H, W, C] inside ConvNeXt blocks) is undone. */
function sameShape(ours: readonly number[] | null, torch: readonly number[]): boolean {
  if (!ours) return false;
  if (ours.join() === torch.join()) return true;
  return ours.length > 1 && [...ours.slice(1), ours[0]].join() === torch.join();
}

function align(layers: readonly Layer[], golden: readonly GoldenLayer[]): Array<[Layer, GoldenLayer]> {
  const pairs: Array<[Layer, GoldenLayer]> = [];
  let j = 0;
  for (const layer of layers) {
    const g = golden[j];
    if (g && TORCH_TYPES[layer.kind]?.includes(g.type)) {
      pairs.push([layer, g]);
      j++;
    } else if (!FUNCTIONAL.has(layer.kind)) {
      throw new Error(`layer ${layer.name} (${layer.kind}) has no counterpart; PyTorch's next is ${g ? `${g.module} (${g.type})` : 'nothing'}`);
    }
  }
  if (j !== golden.length) throw new Error(`PyTorch has ${golden.length - j} layers left over, from ${golden[j].module}`);
  return pairs;
}

const goldenIds = readdirSync(GOLDENS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

/** Warnings a correct sample is expected to carry, by code. */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  // M5's pooling windows of 4 skip the last samples of 122 and 5: a true warning, kept to match PyTorch.
  audio_m5: ['stride-drops-input', 'stride-drops-input'],
};

describe('samples agree with PyTorch, layer by layer', () => {
  it('has a sample for every golden', () => {
    const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.cnn'));
    for (const id of goldenIds) expect(samples).toContain(`${id}.cnn`);
  });

  for (const id of goldenIds) {
    describe(id, () => {
      const golden: Golden = JSON.parse(readFileSync(join(GOLDENS, `${id}.json`), 'utf8'));
      const analysis: Analysis = analyze(readFileSync(join(SAMPLES, `${id}.cnn`), 'utf8'));

      it('has no errors, and only the expected warnings', () => {
        expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(analysis.diagnostics.map((d) => d.code)).toEqual(EXPECTED_WARNINGS[id] ?? []);
      });

      it(`totals: ${golden.totalParams.toLocaleString('en-US')} params, ${golden.totalMacs.toLocaleString('en-US')} MACs`, () => {
        expect(analysis.model?.inputShape).toEqual(golden.input);
        expect(analysis.model?.outputShape).toEqual(golden.output);
        expect(analysis.model?.totalParams).toBe(golden.totalParams);
        expect(analysis.model?.totalMacs).toBe(golden.totalMacs);
      });

      it(`every one of the ${golden.layers.length} PyTorch layers matches in shape, params and MACs`, () => {
        for (const [layer, g] of align(analysis.layers, golden.layers)) {
          const where = `${layer.name} ↔ ${g.module}`;
          expect(sameShape(layer.inputShapes[0], g.inputShape), `${where} input ${layer.inputShapes[0]} vs ${g.inputShape}`).toBe(true);
          expect(sameShape(layer.outputShape, g.outputShape), `${where} output ${layer.outputShape} vs ${g.outputShape}`).toBe(true);
          expect(layer.params, `${where} params`).toBe(g.params);
          expect(layer.macs, `${where} MACs`).toBe(g.macs);
        }
      });
    });
  }
});

describe('receptive field and jump', () => {
  it('grows through VGG-16 as the stacked 3×3 convs and 2×2 pools predict', () => {
    const { layers } = analyze(readFileSync(join(SAMPLES, 'vgg16.cnn'), 'utf8'));
    const lastPool = layers.filter((l) => l.kind === 'maxpool').at(-1)!;
    // 13 convs and 5 pools: r = 1 + Σ (k_eff − 1)·j_in = 212, j = 2^5.
    expect(lastPool.receptiveField).toEqual([212, 212]);
    expect(lastPool.jump).toEqual([32, 32]);
  });

  it('counts dilation in the window span', () => {
    const { layers } = analyze('model M {\n input x: 1×32×32\n conv 1, k=3, dilation=2\n conv 1, k=3, stride=2\n conv 1, k=3\n}');
    expect(layers.map((l) => l.receptiveField)).toEqual([[5, 5], [7, 7], [11, 11]]);
    expect(layers.map((l) => l.jump)).toEqual([[1, 1], [2, 2], [2, 2]]);
  });
});

describe('window geometry', () => {
  it('x=[3,33,31] conv k=3 p=(1,0,2,0), maxpool 3 s=2 ceil, convtranspose k=3 s=2 p=1 op=1: the rule\'s geometry on each layer', () => {
    const text = 'model M {\n input x: 3×33×31\n conv 8, k=3, padding=(1, 0, 2, 0)\n maxpool 3, stride=2, ceil=true\n convtranspose 4, k=3, stride=2, padding=1, output_padding=1\n relu\n gap\n}';
    const [conv, pool, up, relu, gap] = analyze(text).layers;
    expect(conv.window?.axes.map((a) => [a.kernel, a.stride, a.padBefore, a.padAfter])).toEqual([[3, 1, 1, 0], [3, 1, 2, 0]]);
    expect(conv.window?.outSize).toEqual(conv.outputShape!.slice(1));
    expect(conv.transposed).toBeUndefined();
    // Pooling's stride defaults to the kernel; here it is given, and ceil mode rounds up.
    expect(pool.window?.axes.map((a) => [a.kernel, a.stride])).toEqual([[3, 2], [3, 2]]);
    expect(pool.window?.outSize).toEqual(pool.outputShape!.slice(1));
    expect(up.transposed).toBe(true);
    expect(up.window?.axes.map((a) => a.outputPadding)).toEqual([1, 1]);
    expect(up.window?.outSize).toEqual(up.outputShape!.slice(1));
    expect(relu.window).toBeUndefined();
    expect(gap.window).toBeUndefined();
  });

  it('maxpool 2 without stride: the stride defaults to the kernel size', () => {
    const [pool] = analyze('model M {\n input x: 4×9×9\n maxpool 2\n}').layers;
    expect(pool.window?.axes.map((a) => a.stride)).toEqual([2, 2]);
  });

  it('is absent when the layer\'s output is unknown', () => {
    const [conv] = analyze('model M {\n input x: 3×4×4\n conv 8, k=7\n}').layers;
    expect(conv.outputShape).toBeNull();
    expect(conv.window).toBeUndefined();
  });
});

describe('block call summaries', () => {
  it('record each expansion’s shapes and totals, the first 16 of them', () => {
    const text = 'block down(c) {\n  conv c, k=3, stride=2, padding=1\n}\nmodel M {\n  input x: 2×4096×4096\n  repeat 18 {\n    down(2)\n  }\n}\n';
    const a = analyze(text);
    expect(a.diagnostics).toEqual([]);
    const [call] = a.calls;
    expect(call.expansions).toBe(18);
    const expansions = call.firstExpansions!;
    expect(expansions).toHaveLength(LIMITS.expansionsRecorded);
    expect(expansions.slice(0, 2)).toEqual([
      { inputShape: [2, 4096, 4096], outputShape: [2, 2048, 2048], params: 38, macs: 2048 * 2048 * 2 * 18 },
      { inputShape: [2, 2048, 2048], outputShape: [2, 1024, 1024], params: 38, macs: 1024 * 1024 * 2 * 18 },
    ]);
    // The summary's own numbers are the first expansion's.
    expect(call).toMatchObject(expansions[0]);
    // Each expansion's totals are its layers' sums.
    a.layers.slice(0, 16).forEach((layer, i) => expect(expansions[i].macs).toBe(layer.macs));
  });

  it('list no expansions for a call site that ran once', () => {
    const [call] = analyze('block b(c) {\n  conv c, k=1\n}\nmodel M {\n  input x: 2×8×8\n  b(4)\n}\n').calls;
    expect(call).toMatchObject({ inputShape: [2, 8, 8], outputShape: [4, 8, 8], params: 12, expansions: 1 });
    expect(call.firstExpansions).toBeUndefined();
  });
});

describe('suggestions', () => {
  const diagnostics = (body: string, blocks = '') => analyze(`${blocks}model M {\n input x: 3×8×8\n${body}\n}\n`).diagnostics;

  it('name the closest layer, argument or name as data, as the message does in words', () => {
    const found = diagnostics(' batchnrm\n conv 4, k=3, strides=2\n y = conv 4, k=1\n add(yy, y)\n b(4, cc=1)', 'block b(c) {\n conv c, k=1\n}\n');
    expect(found.map((d) => [d.code, d.suggestion])).toEqual([
      ['unknown-layer', 'batchnorm'],
      ['unknown-argument', 'stride'],
      ['unknown-name', 'y'],
      ['unknown-argument', 'c'],
    ]);
    for (const d of found) expect(d.message).toContain(`did you mean \`${d.suggestion}\`?`);
  });

  it('are absent when nothing is close', () => {
    const found = diagnostics(' zzzzzzzz\n conv 4, k=3, qqqqqq=2\n input y: 3×8×8');
    expect(found.map((d) => d.code)).toContain('unknown-layer');
    for (const d of found) expect(d).not.toHaveProperty('suggestion');
  });
});

describe('syntax errors', () => {
  it('report a missing comma once: the argument after it still counts', () => {
    const a = analyze('model M {\n  input x: 3×32×32\n  conv 16 k=3\n  relu\n}\n');
    expect(a.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['syntax-error: expected `,` between the arguments of `conv`, found `k`']);
  });

  it('report a missing comma in parentheses once', () => {
    const a = analyze('model M {\n  input x: 3×32×32\n  conv(16 k=3)\n}\n');
    expect(a.diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
  });
});

describe('past an error', () => {
  it('layers keep the parameters that do not depend on the unknown input', () => {
    const a = analyze('model M {\n  input x: 3×32×32\n  s = conv 16, k=3, padding=1\n  conv 32, k=3, in=8\n  relu\n  conv 64, k=3, padding=1, in=32\n  batchnorm\n  batchnorm c=64\n  s | conv 8, k=1\n}\n');
    expect(a.diagnostics.map((d) => d.code)).toEqual(['channel-mismatch']);
    expect(a.layers.map((l) => `${l.name} ${l.paramsUnknown ? '?' : l.params}`)).toEqual(['conv1 448', 'conv2 ?', 'relu1 0', 'conv3 18496', 'batchnorm1 ?', 'batchnorm2 128', 'conv4 136']);
    expect(a.model?.totalParams).toBe(448 + 18496 + 128 + 136);
  });

  it('a linear layer that declares its input features keeps its parameters', () => {
    const a = analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3, in=2\n  flatten\n  linear 10, in=144\n}\n');
    expect(a.layers.map((l) => (l.paramsUnknown ? '?' : l.params))).toEqual(['?', 0, 1450]);
  });
});

describe('unused branches', () => {
  const model = (body: string, blocks = '') => analyze(`${blocks}model M {\n  input x: 3×8×8\n${body}\n}\n`);
  const dropped = (a: Analysis) => a.diagnostics.filter((d) => d.code === 'unused-branch').map((d) => a.text.slice(d.span.start, d.span.end));

  it('warn when a result is computed and then dropped, naming the tensor and its shape', () => {
    const a = model('  y = relu\n  conv 4, k=1\n  y | conv 2, k=1');
    expect(dropped(a)).toEqual(['conv 4, k=1']);
    const d = a.diagnostics.find((x) => x.code === 'unused-branch')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('`conv`, `4×8×8`');
  });

  it('warn about a pipeline from a named tensor whose result the next line drops', () => {
    expect(dropped(model('  y = relu\n  y | conv 4, k=1 | relu\n  add(y, y)'))).toEqual(['y | conv 4, k=1 | relu']);
  });

  it('warn about a block call whose result is dropped, at the call', () => {
    expect(dropped(model('  y = relu\n  twice(4)\n  y | relu', 'block twice(c) {\n  conv c, k=1\n  conv c, k=1\n}\n'))).toEqual(['twice(4)']);
  });

  it('warn about a repeat body that starts afresh each time', () => {
    expect(dropped(model('  y = relu\n  repeat 2 { y | conv 4, k=1 }'))).toEqual(['y | conv 4, k=1']);
  });

  it('stay silent when the next statement takes the result, also past a let, through a merge, a block or a repeat', () => {
    expect(dropped(model('  y = relu\n  conv 3, k=1\n  let n = 2\n  add y\n  conv 3, k=1\n  twice(3)\n  repeat 2 { relu }\n  relu', 'block twice(c) {\n  s = in | relu\n  add(s, in)\n}\n'))).toEqual([]);
  });

  it('stay silent when a block reaches its input as `in` only after other statements', () => {
    const blocks = 'block late(skip) {\n  skip | relu\n  add in\n}\nblock named(skip) {\n  skip_proj = skip | relu\n  in | add skip_proj\n}\n';
    const a = model('  y = relu\n  conv 3, k=1\n  late(skip=y)\n  conv 3, k=1\n  named(skip=y)', blocks);
    expect(a.diagnostics).toEqual([]);
  });

  it('stay silent about the last statement, a named result, or after an error', () => {
    expect(dropped(model('  conv 4, k=1\n  y = relu\n  x | relu\n  conv 4, k=1\n  y | conv 2, k=1, in=7\n  y | relu'))).toEqual([]);
  });
});

describe('the broken sample', () => {
  const analysis = analyze(readFileSync(join(SAMPLES, 'broken.cnn'), 'utf8'));
  const text = analysis.text;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;

  it('gives one diagnostic per marked line, with the code the comment names', () => {
    const marked = text
      .split('\n')
      .map((line, i) => ({ line: i + 1, code: /#\s*([a-z-]+)(?::| \(|$)/.exec(line)?.[1] }))
      .filter((m): m is { line: number; code: string } => !!m.code && m.code.includes('-'));
    const found = analysis.diagnostics.map((d) => ({ line: lineOf(d.span.start), code: d.code }));
    expect(found).toEqual(marked);
  });

  it('points at the offending argument, with the numbers in the message', () => {
    const channel = analysis.diagnostics.find((d) => d.code === 'channel-mismatch')!;
    expect(text.slice(channel.span.start, channel.span.end)).toBe('8');
    expect(channel.message).toContain('8 input channels');
    expect(channel.message).toContain('16×32×32');
    const add = analysis.diagnostics.find((d) => d.code === 'shape-mismatch')!;
    expect(add.message).toBe('`add` needs equal shapes: `16×32×32` (from `stem`) vs `16×30×30` (from `narrow`)');
    expect(add.related?.map((r) => text.slice(r.span.start, r.span.end))).toEqual(['stem', 'narrow']);
  });
});

describe('bounds', () => {
  it('stops a huge repeat with one diagnostic instead of expanding it', () => {
    const a = analyze('model M {\n input x: 3×8×8\n repeat 1000000000 { relu }\n}');
    expect(a.diagnostics.map((d) => d.code)).toEqual(['limit-exceeded']);
    expect(a.layers.length).toBeLessThanOrEqual(1);
  });

  it('stops nested repeats at the layer budget', () => {
    const a = analyze('model M {\n input x: 3×8×8\n repeat 10000 { repeat 10000 { relu } }\n}');
    expect(a.diagnostics.map((d) => d.code)).toEqual(['limit-exceeded']);
    expect(a.layers.length).toBe(LIMITS.maxLayers);
  });

  it('reports block recursion once', () => {
    const a = analyze('block a(c) { b(c) }\nblock b(c) { a(c) }\nmodel M {\n input x: 3×8×8\n a(1)\n}');
    expect(a.diagnostics.map((d) => d.code)).toEqual(['recursive-block']);
    expect(a.diagnostics[0].message).toBe('block recursion: a → b → a');
  });

  it('refuses tensors past the element limit', () => {
    const a = analyze('model M {\n input x: 3×100000×100000\n relu\n}');
    expect(a.diagnostics.map((d) => d.code)).toEqual(['limit-exceeded']);
  });
});

describe('mutation fuzzing over the samples', () => {
  const samples = readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.cnn'))
    .map((f) => readFileSync(join(SAMPLES, f), 'utf8'));
  let seed = 20261125;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];

  /** Deletes, duplicates, splices in text from other samples, or inserts odd characters. */
  function mutate(text: string): string {
    const edits = 1 + Math.floor(random() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * (text.length + 1));
      const roll = random();
      if (roll < 0.25) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 30));
      else if (roll < 0.5) {
        const donor = pick(samples);
        const from = Math.floor(random() * donor.length);
        text = text.slice(0, at) + donor.slice(from, from + Math.floor(random() * 60)) + text.slice(at);
      } else if (roll < 0.7) text = text.slice(0, at) + pick(['{', '}', '(', ')', '[', ']', ',', '|', '=', ':', '×', '\n', '"', '#', '\u0000', '\uD800', '😀', '//']) + text.slice(at);
      else if (roll < 0.85) text = text.slice(0, at) + pick(['0', '-1', '1e9', '0.5', 'same', 'repeat 99999 {', 'in', 'x']) + text.slice(at);
      else text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x10000)) + text.slice(at);
    }
    return text;
  }

  it('analyses 2,000 mutants without throwing, and every diagnostic is well formed', () => {
    for (let i = 0; i < 2000; i++) {
      const text = mutate(pick(samples));
      let analysis: Analysis;
      try {
        analysis = analyze(text);
      } catch (error) {
        throw new Error(`analyze threw on mutant ${i}: ${(error as Error).stack}\n--- input ---\n${text}`);
      }
      for (const d of analysis.diagnostics) {
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
        expect(d.span.end).toBeLessThanOrEqual(text.length);
        expect(d.message.length).toBeGreaterThan(0);
      }
      for (const layer of analysis.layers) {
        expect(Number.isFinite(layer.params) && layer.params >= 0).toBe(true);
        expect(Number.isFinite(layer.macs) && layer.macs >= 0).toBe(true);
      }
    }
  });

  it('survives binary garbage, huge and deeply nested input', () => {
    const bytes: string[] = [];
    for (let i = 0; i < 200_000; i++) bytes.push(String.fromCharCode(Math.floor(random() * 256)));
    const inputs = [
      bytes.join(''),
      `model M { input x: 3×8×8\n conv ${'('.repeat(100_000)}\n}`,
      '{'.repeat(100_000),
      `model M {${'repeat 2 {'.repeat(10_000)}`,
      `model M {\n input x: 3×8×8\n conv 1${'+1'.repeat(50_000)}, k=1\n}`,
      `model M {\n input x: 3×8×8\n${' relu\n'.repeat(300_000)}}`,
    ];
    for (const text of inputs) {
      const analysis = analyze(text);
      expect(analysis.diagnostics.length).toBeLessThanOrEqual(200);
    }
  });
});
