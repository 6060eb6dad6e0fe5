import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/prng';
import { analyze } from '../../src/language/analyze';
import { runLayers, RunWeights, type EngineLayer } from '../../webview/engine';
import type { LayerInfo, PlanMessage, TensorSlice } from '../../src/protocol/webview';
import { describeClass, predict, predictionLine } from '../../webview/prediction';
import { runCli } from '../cli/cli-harness';

/** The CLI's input when run without --image: seeded noise in [0, 1). */
function seededNoise(model: string, shape: readonly number[]): Float32Array {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const random = new Random(`${model}/input`);
  for (let i = 0; i < data.length; i++) data[i] = random.next();
  return data;
}

/** The preview's final scores for `text`, run as the worker runs it (seed 1 is the CLI's init). */
async function previewScores(text: string): Promise<Float32Array> {
  const analysis = analyze(text);
  const model = analysis.model!;
  const input = { shape: [...model.inputShape!], data: seededNoise(model.name, model.inputShape!) };
  let last: EngineLayer | undefined;
  for await (const layer of runLayers(analysis, input, { weights: new RunWeights(model.name, 1, undefined), stopBefore: analysis.layers.length, signal: { aborted: false } })) last = layer;
  return last!.output.data;
}

/** `convlens run FILE`'s top-5 line as [class, percent] pairs. */
async function cliTop(text: string): Promise<[number, string][]> {
  const file = join(mkdtempSync(join(tmpdir(), 'convlens-prediction-')), 'model.cnn');
  writeFileSync(file, text);
  const r = await runCli('run', file);
  expect(r.code, r.err).toBe(0);
  const line = /^Top-\d+: (.*)$/m.exec(r.out)?.[1] ?? '';
  return [...line.matchAll(/class (\d+) (?:\([^)]*\) )?([\d.]+)%/g)].map((m) => [Number(m[1]), m[2]]);
}

describe('the preview prediction', () => {
  it('x=[1,8,8] linear 5 then softmax: the same classes and percentages as `convlens run` (no second softmax)', async () => {
    const text = 'model Soft {\n  input x: 1×8×8\n  flatten\n  linear 5\n  softmax\n}\n';
    const cli = await cliTop(text);
    expect(cli).toHaveLength(5);
    const preview = predict(await previewScores(text), 5).map((c) => [c.index, (100 * c.probability).toFixed(1)]);
    expect(preview).toEqual(cli);
  });

  it('x=[1,8,8] linear 5 (logits): the same classes and percentages as `convlens run`', async () => {
    const text = 'model Logits {\n  input x: 1×8×8\n  flatten\n  linear 5\n}\n';
    const preview = predict(await previewScores(text), 5).map((c) => [c.index, (100 * c.probability).toFixed(1)]);
    expect(preview).toEqual(await cliTop(text));
  });

  it('names the classes of a 1,000-way output with the ImageNet labels, as the CLI does', () => {
    const scores = new Float32Array(1000);
    scores[207] = 10;
    const [top] = predict(scores, 1);
    expect(top).toMatchObject({ index: 207, label: 'golden retriever' });
    expect(describeClass(top)).toMatch(/^class 207 \(golden retriever\) \d+\.\d%$/);
    expect(predict(new Float32Array(10), 1)[0].label).toBeUndefined();
  });
});

describe('predictionLine: what the toolbar says a finished run predicts', () => {
  const layer = (weightOrigin: LayerInfo['weightOrigin']): LayerInfo => ({ id: 0, name: 'fc', kind: 'linear', line: 2, callLines: [], offset: 0, outputShape: [4], params: 4, macs: 4, receptiveField: null, jump: null, fieldStart: null, weightOrigin });
  const plan = (overrides: Partial<PlanMessage> = {}): PlanMessage => ({ type: 'plan', runId: 1, model: 'M', inputShape: [4], layers: [layer('file')], stop: null, summary: '', weightsPath: null, weightsNote: '', totalParams: 4, ...overrides });
  const scores = (values: number[]): TensorSlice => ({ shape: [values.length], from: 0, to: values.length, data: Float32Array.from(values), min: Math.min(...values), max: Math.max(...values) });

  it('names the top class with its probability, the top five in the title, and says when the weights are random', () => {
    const line = predictionLine(plan(), scores([0, 3, 1, 0]))!;
    expect(line.classIndex).toBe(1);
    expect(line.random).toBe(false);
    expect(line.text).toMatch(/^Prediction: class 1 \d+\.\d%$/);
    expect(line.title.split('\n')).toHaveLength(5);
    expect(predictionLine(plan({ layers: [layer('random')] }), scores([0, 3, 1, 0]))!.text).toMatch(/^Prediction \(random weights\): class 1 /);
  });

  it('says nothing for a run that stopped, a map, a single score or more than 1,000', () => {
    const stop = { layer: 0, line: 1, column: 0, code: 'x', message: 'x' };
    expect(predictionLine(plan({ stop }), scores([0, 1]))).toBeNull();
    expect(predictionLine(plan(), { ...scores([0, 1, 2, 3]), shape: [1, 2, 2] })).toBeNull();
    expect(predictionLine(plan(), scores([1]))).toBeNull();
    expect(predictionLine(plan(), scores(new Array(1001).fill(0)))).toBeNull();
    expect(predictionLine(plan({ layers: [] }), scores([0, 1]))).toBeNull();
    expect(predictionLine(plan(), undefined)).toBeNull();
  });
});
