import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { LineIndex } from '../../src/language/line-index';
import { buildPlan, stopInfo } from '../../webview/plan';

const lenet = analyze(readFileSync(join(__dirname, '../../samples/lenet5.cnn'), 'utf8'));
const options = { runId: 1, seed: 1, weightsLoaded: null, weightOrigin: () => 'random' as const };

describe('buildPlan', () => {
  it('gives each layer the hover numbers: name, kind, shape, params, line', () => {
    const plan = buildPlan(lenet, options);
    expect(plan.model).toBe('LeNet5');
    expect(plan.inputShape).toEqual([1, 32, 32]);
    expect(plan.stop).toBeNull();
    expect(plan.layers[0]).toMatchObject({ name: 'conv1', kind: 'conv', outputShape: [6, 28, 28], params: 156, line: 4, callLines: [] });
    expect(plan.summary).toContain('Total params: 61,706');
  });

  it('writes the summary in the configured notation', () => {
    expect(buildPlan(lenet, { ...options, notation: 'x' }).summary).toContain('6x28x28');
    expect(buildPlan(lenet, options).summary).toContain('6×28×28');
  });

  it('says when the weights file is named but not loaded, and that the init is random', () => {
    const plan = buildPlan(lenet, options);
    expect(plan.weightsPath).toBe('lenet5.safetensors');
    expect(plan.weightsNote).toMatch(/lenet5\.safetensors not loaded yet; RANDOM init \(seed 1\)/);
  });

  it('builds the plan of a model with 130,000 layers (more than a spread fits on the stack)', () => {
    const text = `model Deep {\n  input x: 1×4×4\n${'  relu\n'.repeat(130_000)}}\n`;
    const plan = buildPlan(analyze(text), { ...options, weightOrigin: () => 'none' as const });
    expect(plan.layers).toHaveLength(130_000);
    expect(plan.summary).toContain('relu130000');
  });

  it('says the weights are trained when the file is loaded', () => {
    const plan = buildPlan(lenet, { ...options, weightsLoaded: 'lenet5.safetensors', weightOrigin: () => 'file' as const });
    expect(plan.weightsNote).toBe('trained, from lenet5.safetensors');
  });
});

describe('stopInfo', () => {
  it('stops at the first layer at or after the first error, with its line and message', () => {
    const text = 'model M {\n  input x: 1×8×8\n  conv 4, k=3\n  conv 4, k=30\n  relu\n}\n';
    const analysis = analyze(text);
    const stop = stopInfo(analysis, new LineIndex(text));
    expect(stop).toMatchObject({ layer: 1, line: 3, code: 'kernel-exceeds-input' });
    expect(stop?.message).toMatch(/30/);
  });

  it('stops before the layer an earlier error in its arguments belongs to, even when its shape is known', () => {
    const text = 'model M {\n  input x: 1×8×8\n  relu\n  conv 4, k=3, strides=2\n  relu\n}\n';
    const analysis = analyze(text);
    expect(stopInfo(analysis, new LineIndex(text))?.layer).toBe(1);
  });

  it('stops after the last layer at an error that follows it, and before the first layer when the input is unknown', () => {
    const after = 'model M {\n  input x: 1×8×8\n  relu\n}\nfoo bar\n';
    expect(stopInfo(analyze(after), new LineIndex(after))).toMatchObject({ layer: 1, line: 4, code: 'syntax-error' });
    const unknown = 'model M {\n  input x: 1×nope\n  relu\n}\n';
    expect(stopInfo(analyze(unknown), new LineIndex(unknown))).toMatchObject({ layer: 0, line: 1 });
  });

  it('stops at the first layer after an error that leaves its shape known', () => {
    const text = 'model M {\n  input x: 1×8×8\n  relu\n  let a = nope\n  relu\n}\n';
    expect(stopInfo(analyze(text), new LineIndex(text))).toMatchObject({ layer: 1, line: 3, code: 'unknown-name' });
  });

  it('runs everything on a clean spec', () => {
    expect(stopInfo(lenet, new LineIndex(lenet.text))).toBeNull();
  });

  it('samples/broken.cnn stops at the first mistake, on line 7', () => {
    const text = readFileSync(join(__dirname, '../../samples/broken.cnn'), 'utf8');
    const stop = stopInfo(analyze(text), new LineIndex(text));
    expect(stop?.line).toBe(6);
    expect(stop?.code).toBe('channel-mismatch');
  });
});
