import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MapTiles, TensorSlice, UiToWorker, ValuesMessage, WorkerToUi } from '../../src/protocol/webview';

/** The worker module, loaded against a stub `self` that records what it posts. */
const posted: { message: WorkerToUi; transfer: unknown[] }[] = [];
const scope: { onmessage: ((event: { data: UiToWorker }) => void) | null; postMessage(message: WorkerToUi, transfer: unknown[]): void } = {
  onmessage: null,
  postMessage: (message, transfer) => posted.push({ message, transfer }),
};

const lenet = readFileSync(join(__dirname, '../../samples/lenet5.cnn'), 'utf8');
const send = (message: UiToWorker) => scope.onmessage!({ data: message });
/** A run's messages after its `started` acknowledgement. */
const of = (runId: number) => posted.filter((p) => p.message.runId === runId && p.message.type !== 'started').map((p) => p.message);

async function until(done: () => boolean, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const finished = (runId: number) => of(runId).some((m) => m.type === 'done' || m.type === 'error');

beforeAll(async () => {
  (globalThis as { self?: unknown }).self = scope;
  // Not a literal path: the worker is type-checked with the DOM lib (webview/tsconfig.json), not with this project's.
  const worker = '../../webview/worker';
  await import(/* @vite-ignore */ worker);
});

describe('preview worker', () => {
  it('answers a run with the plan, the input, every layer in order, then done, transferring each buffer', async () => {
    send({ type: 'run', runId: 1, text: lenet, input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 4 });
    await until(() => finished(1));
    const messages = of(1);
    expect(messages.map((m) => m.type)).toEqual(['plan', 'input', ...Array(12).fill('layer'), 'done']);
    const layers = messages.filter((m) => m.type === 'layer');
    expect(layers.map((m) => m.index)).toEqual([...Array(12).keys()]);
    const conv2 = layers[3];
    // Maps go as display tiles (colormap indices under both normalisations), not as floats.
    expect(conv2.output).toMatchObject({ kind: 'tiles', shape: [16, 10, 10], from: 0, to: 4, width: 10, height: 10, factor: 1, depths: 1 });
    const tiles = conv2.output as MapTiles;
    expect(tiles.indices.length).toBe(2 * 4 * 100);
    expect(tiles.ranges.length).toBe(2 * 4);
    expect(conv2.kernels?.shape).toEqual([16, 5, 5]);
    expect(conv2.kernels?.data.length).toBe(16 * 25);
    const transfer = posted.find((p) => p.message === conv2)!.transfer;
    expect(transfer).toContain(tiles.indices.buffer);
    expect(transfer).toContain(tiles.ranges.buffer);
    // Vectors (the class scores) still go as values.
    const scores = layers[11].output as TensorSlice;
    expect(scores.data.length).toBe(10);
    const plan = messages[0];
    expect(plan.type === 'plan' && plan.weightsNote).toMatch(/lenet5\.safetensors not loaded yet; RANDOM init/);
  });

  it('sends the rest of a layer’s channels on request ("show all")', async () => {
    send({ type: 'channels', runId: 1, layer: 3, from: 4, to: 16 });
    const reply = posted.at(-1)!.message;
    expect(reply).toMatchObject({ type: 'channels', index: 3, output: { kind: 'tiles', from: 4, to: 16 } });
  });

  it('sends one channel’s full-resolution values on request (hover, zoom), and none for a run it no longer holds', async () => {
    send({ type: 'values', runId: 1, layer: 3, channel: 5 });
    const reply = posted.at(-1)!;
    expect(reply.message).toMatchObject({ type: 'values', runId: 1, index: 3, channel: 5 });
    const data = (reply.message as ValuesMessage).data!;
    expect(data.length).toBe(100);
    expect(reply.transfer).toContain(data.buffer);
    send({ type: 'values', runId: 99, layer: 3, channel: 5 });
    expect((posted.at(-1)!.message as ValuesMessage).data).toBeUndefined();
  });

  it('a new run cancels the one in progress: the old run ends cancelled, before its last layer', async () => {
    const resnet = readFileSync(join(__dirname, '../../samples/resnet18.cnn'), 'utf8');
    send({ type: 'run', runId: 2, text: resnet, input: { kind: 'pattern', pattern: 'noise' }, seed: 1, notation: '×', channels: 1 });
    await until(() => of(2).some((m) => m.type === 'layer'));
    send({ type: 'run', runId: 3, text: lenet, input: { kind: 'pattern', pattern: 'impulse' }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(2) && finished(3));
    const done2 = of(2).find((m) => m.type === 'done');
    expect(done2).toMatchObject({ cancelled: true });
    expect(of(2).filter((m) => m.type === 'layer').length).toBeLessThan(20);
    expect(of(3).filter((m) => m.type === 'layer').length).toBe(12);
  });

  it('sends an RGB conv’s filters with all three input channels, for colour kernel images', async () => {
    const rgb = 'model C {\n  input image: 3×16×16\n  conv 4, k=3\n}\n';
    send({ type: 'run', runId: 8, text: rgb, input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 4 });
    await until(() => finished(8));
    const layer = of(8).find((m) => m.type === 'layer');
    expect(layer?.type === 'layer' && layer.kernels?.shape).toEqual([4, 3, 3, 3]);
  });

  it('a spec with an error runs the layers before it, and the plan says where it stopped and why', async () => {
    const broken = lenet.replace('conv 16, k=5', 'conv 16, k=50');
    send({ type: 'run', runId: 4, text: broken, input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(4));
    const plan = of(4)[0];
    expect(plan.type).toBe('plan');
    if (plan.type !== 'plan') return;
    expect(plan.stop).toMatchObject({ layer: 3, line: 7, code: 'kernel-exceeds-input' });
    expect(of(4).filter((m) => m.type === 'layer').map((m) => m.type === 'layer' && m.index)).toEqual([0, 1, 2]);
  });

  it('a file without a model gives a plan with no layers, then done', async () => {
    send({ type: 'run', runId: 5, text: '# nothing here\n', input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(5));
    expect(of(5).map((m) => m.type)).toEqual(['plan', 'done']);
  });

  it('an image that will not decode gives a notice and a checkerboard, not a failed run', async () => {
    send({ type: 'run', runId: 7, text: lenet, input: { kind: 'image', id: 'x.png', bytes: new Uint8Array([1, 2, 3]) }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(7));
    const types = of(7).map((m) => m.type);
    expect(types.slice(0, 3)).toEqual(['plan', 'notice', 'input']);
    expect(types.at(-1)).toBe('done');
    const notice = of(7)[1];
    expect(notice.type === 'notice' && notice.message).toMatch(/could not be decoded.*checkerboard/);
  });

  it('refuses an image for a model whose input is not C×H×W, as `convlens run --image` does, instead of running a pattern', async () => {
    const audio = readFileSync(join(__dirname, '../../samples/audio_m5.cnn'), 'utf8');
    const pixels = { width: 1, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255]) };
    send({ type: 'run', runId: 13, text: audio, input: { kind: 'image', id: 'chelsea.jpg', bytes: new Uint8Array([1]), pixels }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(13));
    const messages = of(13);
    expect(messages.map((m) => m.type)).toEqual(['plan', 'error']);
    const error = messages[1];
    expect(error.type === 'error' && error.layer).toBeUndefined();
    expect(error.type === 'error' && error.message).toBe('an image needs a C×H×W input; this model takes 1×8000: pick a pattern');
  });

  it('uses the weights file when it comes with the run', async () => {
    const bytes = new Uint8Array(readFileSync(join(__dirname, '../../samples/lenet5.safetensors')));
    send({ type: 'run', runId: 6, text: lenet, input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 1, weights: { path: 'lenet5.safetensors', bytes } });
    await until(() => finished(6));
    const plan = of(6)[0];
    expect(plan.type === 'plan' && plan.weightsNote).toBe('trained, from lenet5.safetensors');
    expect(plan.type === 'plan' && plan.layers[0].weightOrigin).toBe('file');
  });
  it('acknowledges a run as soon as it reads it, before the plan', async () => {
    const before = posted.length;
    send({ type: 'run', runId: 9, text: lenet, input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 1 });
    expect(posted[before].message).toEqual({ type: 'started', runId: 9 });
    expect(posted[before + 1].message.type).toBe('plan');
    await until(() => finished(9));
  });


  it('a run of the text it was asked to prepare gives the same plan as one without', async () => {
    send({ type: 'run', runId: 10, text: lenet, input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(10));
    send({ type: 'prepare', text: lenet });
    send({ type: 'run', runId: 11, text: lenet, input: { kind: 'pattern', pattern: 'circle' }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(11));
    const [plan10, plan11] = [of(10)[0], of(11)[0]];
    expect({ ...plan11, runId: 10 }).toEqual(plan10);
    expect(of(11).filter((m) => m.type === 'layer')).toHaveLength(12);
  });

  it('uses pixels the UI decoded instead of decoding the bytes', async () => {
    const pixels = { width: 2, height: 2, data: new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255]) };
    send({ type: 'run', runId: 12, text: lenet, input: { kind: 'image', id: 'y.png', bytes: new Uint8Array([1, 2, 3]), pixels }, seed: 1, notation: '×', channels: 1 });
    await until(() => finished(12));
    expect(of(12).some((m) => m.type === 'notice')).toBe(false);
    const input = of(12).find((m) => m.type === 'input');
    expect(input?.type === 'input' && input.tensor.shape).toEqual([1, 32, 32]);
    expect(input?.type === 'input' && input.tensor.max).toBeGreaterThan(input?.type === 'input' ? input.tensor.min : 0);
  });
});
