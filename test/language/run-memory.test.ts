import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { DocumentAnalyzer } from '../../src/language/incremental/document-analyzer';
import { estimateRunMemory, formatMemory, RUN_MEMORY_LIMIT_BYTES } from '../../src/language/run-memory';

const sample = (name: string) => readFileSync(join(__dirname, '..', '..', 'samples', name), 'utf8');
const STREAM_BLOCK = 4 * 1024 * 1024;

describe('estimateRunMemory', () => {
  it('counts the input, the held outputs, this output and this layer’s parameters, in float32', () => {
    const a = analyze('model M {\n  input x: 3×8×8\n  conv 4, k=3, padding=1\n  relu\n}\n');
    // conv1: input 192 + output 256 + params 4·27 + 4 = 112; relu1: input 192 + held 256 + output 256.
    expect(a.peakMemoryBytes).toBe(4 * Math.max(192 + 256 + 112, 192 + 256 + 256));
  });

  it('keeps a skip connection’s tensor until its last reader', () => {
    const a = analyze('model M {\n  input x: 1×4×4\n  y = relu\n  conv 1, k=1\n  z = conv 1, k=1\n  add(y, z)\n}\n');
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // At conv2: input 16 + held (relu1 16, conv1 16) + output 16 + params 2; at add only 64.
    const estimate = estimateRunMemory(a.model!.inputShape, a.layers)!;
    expect(estimate).toEqual({ peakBytes: 4 * (16 + 16 + 16 + 16 + 2), peakLayer: 2 });
  });

  it('counts a streamed linear weight as one block', () => {
    const a = analyze('model Huge {\n  input x: 1×1×1\n  flatten\n  linear 1000000000\n}\n');
    // linear1: input 1 + flatten's output 1 + output 1e9 + bias 1e9 + one weight block.
    expect(a.peakMemoryBytes).toBe(4 * (1 + 1 + 1e9 + 1e9 + STREAM_BLOCK));
  });

  it('keeps the samples well under the limit (VGG-16 at 224×224 included)', () => {
    const vgg = analyze(sample('vgg16.cnn')).peakMemoryBytes!;
    expect(vgg).toBeGreaterThan(10 * 1024 ** 2);
    expect(vgg).toBeLessThan(1024 ** 3);
  });
});

describe('the run-memory warning', () => {
  const huge = 'model Huge {\n  input x: 1×1×1\n  flatten\n  linear 1000000000\n}\n';

  it('warns at the layer of the peak, naming the estimate and the limit', () => {
    const a = analyze(huge);
    expect(a.diagnostics).toEqual([
      {
        code: 'run-memory',
        severity: 'warning',
        span: { start: huge.indexOf('linear 1'), end: huge.indexOf('linear 1') + 'linear 1000000000'.length },
        message: 'running this model takes about 7.5 GiB (float32 weights and activations, at `linear1`), more than 4 GiB: `convlens run` refuses it unless given --max-memory',
      },
    ]);
    expect(formatMemory(RUN_MEMORY_LIMIT_BYTES)).toBe('4 GiB');
  });

  it('points at the model-level block call when the peak is inside a block', () => {
    const text = 'block big() {\n  flatten\n  linear 1000000000\n}\nmodel M {\n  input x: 1×1×1\n  big()\n}\n';
    const d = analyze(text).diagnostics.find((x) => x.code === 'run-memory')!;
    expect(text.slice(d.span.start, d.span.end)).toBe('big()');
  });

  it('is said of no sample', () => {
    for (const name of ['resnet50.cnn', 'vgg16.cnn', 'unet.cnn', 'volume3d.cnn', 'convnext_tiny.cnn']) {
      expect(analyze(sample(name)).diagnostics.map((d) => d.code)).not.toContain('run-memory');
    }
  });

  it('follows an edit on the incremental path (a layer grown past the limit, then shrunk)', () => {
    const analyzer = new DocumentAnalyzer();
    const small = huge.replace('1000000000', '10');
    for (const text of [small, huge, small, huge.replace('x: 1×1×1', 'x: 1×1×2')]) {
      const got = analyzer.analyze(text);
      const fresh = analyze(text);
      expect(got.diagnostics).toEqual(fresh.diagnostics);
      expect(got.peakMemoryBytes).toBe(fresh.peakMemoryBytes);
    }
  });
});
