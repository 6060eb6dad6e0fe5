import { describe, expect, it } from 'vitest';
import { runAll } from '../../src/core/execute';
import { numel, tensor } from '../../src/core/tensor';
import { layerParams } from '../../src/core/weights';
import { analyze } from '../../src/language/analyze';
import { broadcastShapes, closest, getLayerSpec, layerSpecs, literalDims, RUNNABLE_KINDS, type LayerSpec } from '../../src/language/catalogue';
import { paramsFormula } from '../../src/language/hover';
import { layerReference } from '../../src/language/layer-reference';

/** Runs one layer line on an input and returns the layer's figures and the diagnostic codes. */
function layer(input: string, line: string) {
  const a = analyze(`model M {\n  input x: ${input}\n  ${line}\n}\n`);
  const l = a.layers.at(-1);
  return { shape: l?.outputShape, shapes: l?.outputShapes, params: l?.params, macs: l?.macs, codes: a.diagnostics.map((d) => d.code), messages: a.diagnostics.map((d) => d.message) };
}

describe('catalogue entries', () => {
  it('are unique, documented, and have at most one positional argument', () => {
    const kinds = layerSpecs().map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const spec of layerSpecs()) {
      expect(spec.summary.length, spec.kind).toBeGreaterThan(0);
      expect(spec.doc.length, spec.kind).toBeGreaterThan(20);
      expect(spec.args.filter((a) => a.positional).length, spec.kind).toBeLessThanOrEqual(1);
      const names = spec.args.map((a) => a.name);
      expect(new Set(names).size, spec.kind).toBe(names.length);
      for (const arg of spec.args) {
        expect(arg.doc.length, `${spec.kind}.${arg.name}`).toBeGreaterThan(0);
        if (arg.type === 'enum') expect(arg.values?.includes(arg.default as string), `${spec.kind}.${arg.name}`).toBe(true);
      }
    }
  });

  it('covers every layer family the language promises', () => {
    for (const kind of ['conv', 'conv1d', 'conv2d', 'conv3d', 'convtranspose', 'maxpool', 'avgpool', 'adaptiveavgpool', 'gap', 'batchnorm', 'layernorm', 'groupnorm',
      'relu', 'relu6', 'leakyrelu', 'gelu', 'silu', 'sigmoid', 'hardswish', 'hardsigmoid', 'tanh', 'softmax', 'dropout', 'stochasticdepth', 'layerscale',
      'flatten', 'linear', 'upsample', 'add', 'concat', 'mul', 'split', 'chunk', 'shuffle']) {
      expect(getLayerSpec(kind), kind).toBeDefined();
    }
  });
});

/**
 * A model whose last layer is one of the kind on an input it accepts, with its
 * required arguments set to 2: a 4×8×8 input (4×8 or 4×8×8×8 when the kind
 * fixes the rank, flattened first for a fully connected layer). Merges take the
 * input twice.
 */
function sampleOf(spec: LayerSpec): string {
  const input = [4, ...Array<number>((spec.rank ?? 3) - 1).fill(8)].join('×');
  const required = spec.args.filter((a) => a.required).map((a) => (a.positional ? '2' : `${a.name}=2`));
  const call = spec.inputs === 'many' ? `${spec.kind}(x, x)` : `${spec.kind} ${required.join(', ')}`.trim();
  return `model Sample {\n  input x: ${input}\n  ${spec.category === 'linear' ? 'flatten | ' : ''}${call}\n}\n`;
}

/** State-dict entries that are buffers, not parameters (`model.parameters()` leaves them out). */
const BUFFERS = new Set(['running_mean', 'running_var']);

describe('every catalogue entry is complete and consistent, on a sample input', () => {
  it.each(layerSpecs().map((spec) => [spec.kind, spec] as const))('%s', (kind, spec) => {
    const text = sampleOf(spec);
    const analysis = analyze(text);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error'), text).toEqual([]);
    const layer = analysis.layers.at(-1)!;
    expect(layer.kind).toBe(kind);
    expect(layer.op, 'the layer points at its entry').toBe(spec);

    // Docs: hover, completion and the layer reference.
    expect(spec.summary.length).toBeGreaterThan(0);
    expect(spec.torch.length).toBeGreaterThan(0);
    expect(layerReference()).toContain(`### \`${kind}\``);

    // The parameter tensors add up to the count the shape rule gives, which hover spells out.
    const tensors = layerParams(layer);
    const learned = tensors.filter((p) => !BUFFERS.has(p.role)).reduce((n, p) => n + numel(p.shape), 0);
    expect(learned, 'numel of the parameter tensors').toBe(layer.params);
    for (const p of tensors) expect(p.key).toBe(`${layer.name}.${p.role}`);
    expect(spec.paramFormula !== undefined, 'a documented formula exactly when there are parameters').toBe(layer.params > 0);
    const formula = paramsFormula(spec, layer);
    expect(formula, 'hover formula').not.toBeNull();
    expect(formula!.endsWith(`= ${layer.params.toLocaleString('en-US')}`) || (layer.params === 0 && formula!.startsWith('0 '))).toBe(true);

    // MACs: multiply-adds of conv and linear layers only (torchvision's convention).
    expect(layer.macs > 0).toBe(spec.category === 'conv' || spec.category === 'linear');
    expect(spec.handKernels === true, 'hand-set kernels are for convs').toBe(spec.args.some((a) => a.type === 'kernel-weights'));

    // It runs, and gives the shapes shape inference promised.
    expect(RUNNABLE_KINDS).toContain(kind);
    const model = analysis.model!;
    const input = tensor(model.inputShape!, Float32Array.from({ length: numel(model.inputShape!) }, (_, i) => Math.sin(i)));
    const { layers, summary } = runAll({ name: model.name, inputShape: model.inputShape, layers: analysis.layers }, input);
    expect(summary.status, summary.stop?.message).toBe('complete');
    expect(layers.at(-1)!.outputs.map((t) => t.shape)).toEqual(layer.outputShapes ?? [layer.outputShape]);
    for (const out of layers.at(-1)!.outputs) expect(out.data.every(Number.isFinite)).toBe(true);
  });
});

describe('conv', () => {
  it('x=[3,224,224] k=3 out=64 p=1: params 3·3·3·64 + 64 = 1,792', () => {
    expect(layer('3×224×224', 'conv 64, k=3, padding=1')).toMatchObject({ shape: [64, 224, 224], params: 1792, macs: 224 * 224 * 64 * 27 });
  });
  it('x=[3,224,224] k=7 s=2 p=3 → 112', () => {
    expect(layer('3×224×224', 'conv 64, k=7, stride=2, padding=3, bias=false')).toMatchObject({ shape: [64, 112, 112], params: 9408 });
  });
  it('x=[32,56,56] depthwise k=3 groups=32: 9 weights per channel', () => {
    expect(layer('32×56×56', 'conv 32, k=3, padding=1, groups=32, bias=false')).toMatchObject({ shape: [32, 56, 56], params: 288 });
  });
  it('x=[8,9,13] k=1×7 p=(0,3): non-square kernel keeps the size', () => {
    expect(layer('8×9×13', 'conv 4, k=1×7, padding=(0, 3)')).toMatchObject({ shape: [4, 9, 13], params: 8 * 7 * 4 + 4 });
  });
  it('x=[1,10,10] k=3 p=(1,0,2,0): per-side padding (top, bottom, left, right)', () => {
    expect(layer('1×10×10', 'conv 1, k=3, padding=(1, 0, 2, 0)')).toMatchObject({ shape: [1, 9, 10] });
  });
  it('x=[1,15,15] k=3 s=2 p=same → ⌈15/2⌉ = 8', () => {
    expect(layer('1×15×15', 'conv 1, k=3, stride=2, padding=same')).toMatchObject({ shape: [1, 8, 8] });
  });
  it('x=[1,20,20] k=3 d=3 → 20 − 6 = 14', () => {
    expect(layer('1×20×20', 'conv 1, k=3, dilation=3')).toMatchObject({ shape: [1, 14, 14] });
  });
  it('x=[2,100] 1D and x=[1,8,16,16] 3D', () => {
    expect(layer('2×100', 'conv 4, k=5, stride=5')).toMatchObject({ shape: [4, 20], params: 2 * 5 * 4 + 4 });
    expect(layer('1×8×16×16', 'conv 2, k=3, padding=1')).toMatchObject({ shape: [2, 8, 16, 16], params: 27 * 2 + 2 });
  });
  it('reports groups that do not divide the channels', () => {
    expect(layer('6×8×8', 'conv 8, k=3, groups=4').codes).toEqual(['groups-mismatch']);
  });
  it('reports a kernel larger than its padded input, and an empty output', () => {
    expect(layer('1×4×4', 'conv 1, k=7, padding=1').codes).toEqual(['kernel-exceeds-input']);
  });
  it('reports a rank mismatch for conv1d on an image', () => {
    expect(layer('3×8×8', 'conv1d 4, k=3').codes).toEqual(['rank-mismatch']);
  });
  it('checks hand-set weights against k and the channel count', () => {
    expect(layer('1×8×8', 'conv 2, k=3, weights=[sobel_x, sobel_y]').codes).toEqual([]);
    expect(layer('1×8×8', 'conv 3, k=3, weights=[sobel_x, sobel_y]').codes).toEqual(['invalid-weights']);
    expect(layer('1×8×8', 'conv 1, k=5, weights=sobel_x').codes).toEqual(['invalid-weights']);
    expect(layer('1×8×8', 'conv 1, k=2, weights=[[1, 0], [0, -1]]').codes).toEqual([]);
    expect(layer('1×8×8', 'conv 1, k=3, weights=[[1, 0], [0, -1]]').codes).toEqual(['invalid-weights']);
  });
});

describe('convtranspose', () => {
  it('x=[64,28,28] k=2 s=2 → 56; params C_in·C_out·k² + C_out', () => {
    expect(layer('64×28×28', 'convtranspose 32, k=2, stride=2')).toMatchObject({ shape: [32, 56, 56], params: 64 * 32 * 4 + 32, macs: 64 * 28 * 28 * 32 * 4 });
  });
  it('x=[4,7,7] k=3 s=2 p=1 op=1 → 14', () => {
    expect(layer('4×7×7', 'convtranspose 2, k=3, stride=2, padding=1, output_padding=1')).toMatchObject({ shape: [2, 14, 14] });
  });
  it('rejects output padding not smaller than the stride', () => {
    expect(layer('4×7×7', 'convtranspose 2, k=3, stride=2, output_padding=2').codes).toEqual(['invalid-argument']);
  });
});

describe('pooling', () => {
  it('maxpool stride defaults to the kernel', () => {
    expect(layer('3×9×9', 'maxpool 2').shape).toEqual([3, 4, 4]);
  });
  it('ceil mode counts the partial last window', () => {
    expect(layer('3×9×9', 'maxpool 2, ceil=true').shape).toEqual([3, 5, 5]);
  });
  it('avgpool with padding above half the kernel is refused, as in PyTorch', () => {
    expect(layer('3×9×9', 'avgpool 2, padding=2').codes).toEqual(['invalid-argument']);
  });
  it('adaptive and global pooling fix the output size', () => {
    expect(layer('512×13×17', 'adaptiveavgpool 7').shape).toEqual([512, 7, 7]);
    expect(layer('512×13×17', 'adaptivemaxpool (2, 3)').shape).toEqual([512, 2, 3]);
    expect(layer('512×13×17', 'gap').shape).toEqual([512, 1, 1]);
  });
});

describe('norms, scaling, activations', () => {
  it('batchnorm, layernorm and groupnorm learn 2 params per channel', () => {
    expect(layer('64×8×8', 'batchnorm').params).toBe(128);
    expect(layer('96×8×8', 'layernorm').params).toBe(192);
    expect(layer('32×8×8', 'groupnorm 8').params).toBe(64);
    expect(layer('30×8×8', 'groupnorm 8').codes).toEqual(['groups-mismatch']);
    expect(layer('64×8×8', 'batchnorm 32').codes).toEqual(['channel-mismatch']);
  });
  it('layerscale learns one per channel; dropout and stochastic depth none', () => {
    expect(layer('96×8×8', 'layerscale').params).toBe(96);
    expect(layer('96×8×8', 'dropout 0.2').params).toBe(0);
    expect(layer('96×8×8', 'stochasticdepth 0.1').params).toBe(0);
  });
  it('activations keep the shape', () => {
    for (const kind of ['relu', 'relu6', 'leakyrelu', 'gelu', 'silu', 'sigmoid', 'hardswish', 'hardsigmoid', 'tanh', 'softmax', 'abs']) {
      expect(layer('5×3×3', kind)).toMatchObject({ shape: [5, 3, 3], params: 0, codes: [] });
    }
  });
  it('checks argument ranges', () => {
    expect(layer('5×3×3', 'dropout 1.5').codes).toEqual(['invalid-argument']);
    expect(layer('5×3×3', 'gelu approximate=fast').codes).toEqual(['invalid-argument']);
  });
});

describe('words as argument values', () => {
  /** The one diagnostic of a line, with the text its span covers. */
  function only(input: string, line: string) {
    const text = `model M {\n  input x: ${input}\n  ${line}\n}\n`;
    const diagnostics = analyze(text).diagnostics;
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    return { code: d.code, message: d.message, suggestion: d.suggestion, at: text.slice(d.span.start, d.span.end) };
  }

  it('gelu approximate=fast: an enum value that is not allowed lists the allowed ones', () => {
    expect(only('5×3×3', 'gelu approximate=fast')).toEqual({
      code: 'invalid-argument',
      message: '`gelu`: `approximate` must be one of `none`, `tanh`',
      suggestion: undefined,
      at: 'fast',
    });
  });

  it('stochasticdepth mode=rows and upsample mode=bilinea: suggest the closest allowed value', () => {
    expect(only('5×3×3', 'stochasticdepth mode=rows')).toEqual({
      code: 'invalid-argument',
      message: '`stochasticdepth`: `mode` must be one of `row`, `batch`; did you mean `row`?',
      suggestion: 'row',
      at: 'rows',
    });
    expect(only('5×3×3', 'upsample mode=bilinea')).toMatchObject({ code: 'invalid-argument', suggestion: 'bilinear', at: 'bilinea' });
  });

  it('conv padding=sme: padding words are same and valid', () => {
    expect(only('5×8×8', 'conv 4, k=3, padding=sme')).toEqual({
      code: 'invalid-argument',
      message: '`conv`: `padding` must be whole numbers ≥ 0, `same` or `valid`; did you mean `same`?',
      suggestion: 'same',
      at: 'sme',
    });
  });

  it('a name bound to a value still works as one, and a misspelt name is suggested when no value is close', () => {
    const block = (body: string) => analyze(`block act(kind) {\n  ${body}\n}\nmodel M {\n  input x: 5×3×3\n  act("tanh")\n}\n`).diagnostics;
    expect(block('gelu approximate=kind')).toEqual([]);
    expect(block('gelu approximate=knid').map((d) => [d.code, d.suggestion])).toEqual([['invalid-argument', 'kind']]);
  });

  it('an identifier where only numbers go is still an unknown name', () => {
    expect(only('5×8×8', 'conv 4, k=size')).toMatchObject({ code: 'unknown-name', at: 'size' });
  });

  it('input normalize=imagenett suggests imagenet', () => {
    const d = analyze('model M {\n  input x: 3×8×8, normalize=imagenett\n}\n').diagnostics;
    expect(d.map((x) => [x.code, x.suggestion])).toEqual([['invalid-argument', 'imagenet']]);
  });
});

describe('linear and reshaping', () => {
  it('flatten then linear: F_in·F_out + F_out', () => {
    const a = analyze('model M {\n input x: 16×5×5\n flatten\n linear 120\n}');
    expect(a.layers.map((l) => l.outputShape)).toEqual([[400], [120]]);
    expect(a.layers[1].params).toBe(48120);
  });
  it('linear on an unflattened tensor says to flatten', () => {
    const r = layer('16×5×5', 'linear 10');
    expect(r.codes).toEqual(['linear-needs-flat']);
    expect(r.messages[0]).toContain('`16×5×5`');
  });
  it('chunk splits like torch.chunk, split by sizes', () => {
    expect(layer('10×4×4', 'a, b, c = chunk 3').shapes).toEqual([[4, 4, 4], [4, 4, 4], [2, 4, 4]]);
    expect(layer('64×4×4', 'a, b = split [16, 48]').shapes).toEqual([[16, 4, 4], [48, 4, 4]]);
    expect(layer('64×4×4', 'a, b = split [16, 40]').codes).toEqual(['channel-mismatch']);
  });
  it('shuffle needs groups dividing the channels', () => {
    expect(layer('12×4×4', 'shuffle 4').shape).toEqual([12, 4, 4]);
    expect(layer('12×4×4', 'shuffle 5').codes).toEqual(['groups-mismatch']);
  });
  it('upsample by a factor or to a size', () => {
    expect(layer('8×7×9', 'upsample 2').shape).toEqual([8, 14, 18]);
    expect(layer('8×7×9', 'upsample size=(10, 11), mode=bilinear').shape).toEqual([8, 10, 11]);
  });
});

describe('merges', () => {
  const model = (body: string) => analyze(`model M {\n input x: 16×8×8\n${body}\n}`);
  it('mul broadcasts a C×1×1 gate over C×H×W (squeeze-and-excitation)', () => {
    const a = model(' f = conv 16, k=3, padding=1\n g = gap | conv 4, k=1 | relu | conv 16, k=1 | sigmoid\n mul(f, g)');
    expect(a.diagnostics).toEqual([]);
    expect(a.layers.at(-1)?.outputShape).toEqual([16, 8, 8]);
  });
  it('concat adds channels and needs equal spatial sizes', () => {
    expect(model(' a = conv 8, k=1\n b = x | conv 24, k=3, padding=1\n concat(a, b, x)').layers.at(-1)?.outputShape).toEqual([48, 8, 8]);
    expect(model(' a = conv 8, k=3\n concat(a, x)').diagnostics.map((d) => d.code)).toEqual(['concat-mismatch']);
  });
  it('add with one name adds it to the current tensor', () => {
    const a = model(' conv 16, k=3, padding=1\n add x');
    expect(a.diagnostics).toEqual([]);
    expect(a.layers.at(-1)?.inputs).toEqual([0, -1]);
  });
});

describe('helpers', () => {
  it('broadcastShapes aligns at the right', () => {
    expect(broadcastShapes([[16, 8, 8], [16, 1, 1]])).toEqual([16, 8, 8]);
    expect(broadcastShapes([[16, 8, 8], [8]])).toEqual([16, 8, 8]);
    expect(broadcastShapes([[16, 8, 8], [4, 1, 1]])).toBeNull();
  });
  it('literalDims measures rectangular nested lists only', () => {
    expect(literalDims([[1, 2, 3], [4, 5, 6]])).toEqual([2, 3]);
    expect(literalDims([[1, 2], [3]])).toBeNull();
    expect(literalDims([])).toBeNull();
  });
  it('closest suggests near misses and nothing for strangers', () => {
    expect(closest('batchnrm', ['batchnorm', 'layernorm'])).toBe('batchnorm');
    expect(closest('strides', ['stride', 'padding'])).toBe('stride');
    expect(closest('zzzzzz', ['conv', 'relu'])).toBeUndefined();
  });
});

describe('arrays of hundreds of thousands of elements', () => {
  it('split takes 150,000 sizes without overflowing the stack', () => {
    const text = `model M {\n  input x: 150000×2×2\n  p = split [${Array(150_000).fill('1').join(', ')}]\n}\n`;
    const analysis = analyze(text);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.layers[0].outputShapes).toHaveLength(150_000);
  });

  it('broadcasts 200,000 shapes', () => {
    const shapes = Array.from({ length: 200_000 }, (_, i) => (i === 7 ? [3, 1, 5] : [5]));
    expect(broadcastShapes(shapes)).toEqual([3, 1, 5]);
  });
});
