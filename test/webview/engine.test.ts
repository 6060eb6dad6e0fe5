import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { fallbackWeights, initWeights, layerParams } from '../../src/core/weights';
import { preprocess, runLayers, RunWeights, type EngineLayer } from '../../webview/engine';
import { makePattern } from '../../webview/patterns';

const samples = join(__dirname, '../../samples');
const lenet = analyze(readFileSync(join(samples, 'lenet5.cnn'), 'utf8'));
const lenetWeights = new Uint8Array(readFileSync(join(samples, 'lenet5.safetensors')));
const input = { shape: [1, 32, 32], data: makePattern('circle', [1, 32, 32]) };

async function collect(run: AsyncGenerator<EngineLayer, unknown>): Promise<EngineLayer[]> {
  const out: EngineLayer[] = [];
  for await (const layer of run) out.push(layer);
  return out;
}

describe('RunWeights', () => {
  it('LeNet-5 with its .safetensors: every weighted layer is trained, the rest have none', () => {
    const weights = new RunWeights('LeNet5', 1, lenetWeights);
    expect(weights.fileError).toBeNull();
    const sources = Object.fromEntries(lenet.layers.map((l) => [l.name, weights.originOf(l)]));
    expect(sources).toMatchObject({ conv1: 'file', tanh1: 'none', conv2: 'file', linear3: 'file' });
  });

  it('a layer whose tensors in the file have another shape (after an edit) is random init', () => {
    const edited = analyze(readFileSync(join(samples, 'lenet5.cnn'), 'utf8').replace('conv 6, k=5', 'conv 8, k=5'));
    const weights = new RunWeights('LeNet5', 1, lenetWeights);
    expect(edited.layers.map((l) => weights.originOf(l)).slice(0, 4)).toEqual(['random', 'none', 'none', 'random']);
    expect(weights.originOf(edited.layers.find((l) => l.name === 'linear1')!)).toBe('file');
  });

  it('without the file, or with a broken one, the weights are the seeded init, and the error is kept', () => {
    expect(new RunWeights('LeNet5', 1, undefined).originOf(lenet.layers[0])).toBe('random');
    const broken = new RunWeights('LeNet5', 1, new Uint8Array([1, 2, 3]));
    expect(broken.fileError).toMatch(/./);
    expect(broken.originOf(lenet.layers[0])).toBe('random');
  });

  it('does not throw for a layer whose arguments an error left unresolved', () => {
    const broken = analyze('model M {\n  input x: 1×8×8\n  conv 4, k=size\n}\n');
    expect(() => new RunWeights('M', 1, undefined).originOf(broken.layers[0])).not.toThrow();
  });

  it('hand-set kernels are named or literal', () => {
    const edges = analyze(readFileSync(join(samples, 'edges.cnn'), 'utf8'));
    expect(new RunWeights('Edges', 1, undefined).originOf(edges.layers[0])).toBe('named');
    const literal = analyze('model M {\n  input x: 1×8×8\n  conv 1, k=3, weights=[[1, 0, -1], [1, 0, -1], [1, 0, -1]], bias=false\n}\n');
    expect(new RunWeights('M', 1, undefined).originOf(literal.layers[0])).toBe('literal');
  });
});

describe('runLayers', () => {
  it('yields every LeNet-5 layer in order with its shape, and the conv kernels', async () => {
    const layers = await collect(runLayers(lenet, input, { weights: new RunWeights('LeNet5', 1, lenetWeights), stopBefore: lenet.layers.length, signal: { aborted: false } }));
    expect(layers.map((l) => l.index)).toEqual(lenet.layers.map((_, i) => i));
    for (const l of layers) expect(l.output.shape).toEqual(lenet.layers[l.index].outputShape);
    expect(layers[0].weight?.shape).toEqual([6, 1, 5, 5]);
    expect(layers[1].weight).toBeUndefined();
  });

  it('the trained weights differ from the seeded init, and re-seeding changes the init', async () => {
    const first = async (weights: RunWeights) => (await collect(runLayers(lenet, input, { weights, stopBefore: 1, signal: { aborted: false } })))[0].output.data;
    const trained = await first(new RunWeights('LeNet5', 1, lenetWeights));
    const seed1 = await first(new RunWeights('LeNet5', 1, undefined));
    const seed2 = await first(new RunWeights('LeNet5', 2, undefined));
    expect([...trained]).not.toEqual([...seed1]);
    expect([...seed1]).not.toEqual([...seed2]);
    expect([...seed1]).toEqual([...(await first(new RunWeights('LeNet5', 1, undefined)))]);
  });

  it('stops before `stopBefore`, and a cancelled run yields nothing more', async () => {
    const weights = new RunWeights('LeNet5', 1, undefined);
    expect((await collect(runLayers(lenet, input, { weights, stopBefore: 3, signal: { aborted: false } }))).length).toBe(3);
    const signal = { aborted: false };
    const seen: number[] = [];
    for await (const layer of runLayers(lenet, input, { weights, stopBefore: 99, signal })) {
      seen.push(layer.index);
      if (layer.index === 1) signal.aborted = true;
    }
    expect(seen).toEqual([0, 1]);
  });

  it('edges.cnn: the Sobel/Prewitt channels respond to a vertical edge in x and not in y', async () => {
    const edges = analyze(readFileSync(join(samples, 'edges.cnn'), 'utf8'));
    const size = 128;
    const step = new Float32Array(size * size).map((_, i) => (i % size >= size / 2 ? 1 : 0));
    const [conv] = await collect(runLayers(edges, { shape: [1, size, size], data: step }, { weights: new RunWeights('Edges', 1, undefined), stopBefore: 1, signal: { aborted: false } }));
    const plane = size * size;
    const at = (c: number, y: number, x: number) => conv.output.data[c * plane + y * size + x];
    expect(at(0, 64, 64)).toBeGreaterThan(0); // prewitt_x
    expect(at(1, 64, 64)).toBe(0); // prewitt_y
    expect(at(2, 64, 64)).toBeGreaterThan(at(0, 64, 64)); // sobel_x weighs the centre row twice
    expect(conv.weight?.shape).toEqual([4, 1, 3, 3]);
  });
});

describe('preprocess', () => {
  const rgba = (width: number, height: number, pixel: (x: number, y: number) => [number, number, number]) => {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], (y * width + x) * 4);
    return { width, height, data };
  };

  it('grey from RGB for one channel, in [0, 1]', () => {
    const t = preprocess(rgba(2, 2, () => [255, 255, 255]), [1, 2, 2], undefined);
    expect([...t.data]).toEqual([1, 1, 1, 1]);
  });

  it('ImageNet normalisation for three channels', () => {
    const t = preprocess(rgba(1, 1, () => [0, 0, 0]), [3, 1, 1], 'imagenet');
    expect(t.data[0]).toBeCloseTo(-0.485 / 0.229, 5);
    expect(t.data[2]).toBeCloseTo(-0.406 / 0.225, 5);
  });

  it('resizes: a 4×4 half-black, half-white image to 2×2 keeps the halves', () => {
    const t = preprocess(rgba(4, 4, (x) => (x < 2 ? [0, 0, 0] : [255, 255, 255])), [1, 2, 2], undefined);
    expect(t.data[0]).toBeLessThan(0.5);
    expect(t.data[1]).toBeGreaterThan(0.5);
  });
});

describe('RunWeights.source', () => {
  const vgg = analyze(readFileSync(join(samples, 'vgg16.cnn'), 'utf8'));

  it("streams VGG-16's 25088×4096 linear weight in blocks, the same blocks as the core's init", () => {
    const layer = vgg.layers.find((l) => l.kind === 'linear' && l.inputShapes[0]?.[0] === 25088)!;
    const spec = layerParams(layer).find((p) => p.role === 'weight')!;
    expect(spec.shape).toEqual([4096, 25088]);
    const source = new RunWeights(vgg.model!.name, 1, undefined).source;
    expect(source.blocks, 'the preview source streams').toBeDefined();
    const core = fallbackWeights(initWeights(vgg.model!.name));
    const ours = source.blocks!(spec, layer, 40)[Symbol.iterator]();
    const theirs = core.blocks!(spec, layer, 40)[Symbol.iterator]();
    for (let i = 0; i < 2; i++) {
      const a = ours.next().value as Float32Array;
      const b = theirs.next().value as Float32Array;
      expect(a.length).toBe(40 * 25088);
      // Compared as bytes: a deep equality over a million floats takes seconds.
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    }
  });

  it('a parameter the file lacks streams from the init; one the file has is read from the file', () => {
    const weights = new RunWeights('LeNet5', 1, lenetWeights);
    const linear1 = lenet.layers.find((l) => l.name === 'linear1')!;
    const spec = layerParams(linear1).find((p) => p.role === 'weight')!;
    const fromFile = [...weights.source.blocks!(spec, linear1, 50)];
    expect(fromFile).toEqual([weights.source.get(spec, linear1)]);
    expect(fromFile[0]).not.toEqual(initWeights('LeNet5').get(spec, linear1));
    const absent = { ...spec, key: 'absent.weight' };
    const streamed = [...weights.source.blocks!(absent, linear1, 50)];
    expect(streamed.map((b) => b.length)).toEqual([50, 50, 20].map((rows) => rows * spec.shape[1]));
    expect(Float32Array.from(streamed.flatMap((b) => [...b]))).toEqual(initWeights('LeNet5').get(absent, linear1));
  });
});
