import { describe, expect, it } from 'vitest';
import { runAll } from '../../src/core/execute';
import { numel, tensor } from '../../src/core/tensor';
import { layerParams } from '../../src/core/weights';
import { analyze } from '../../src/language/analyze';
import { closest, getLayerSpec, layerSpecs, RUNNABLE_KINDS, type LayerSpec } from '../../src/language/catalogue';
import { paramsFormula } from '../../src/language/hover';
import { layerReference } from '../../src/language/layer-reference';
import { layer } from './layers/one-layer';

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

describe('helpers', () => {
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

});
