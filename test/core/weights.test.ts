import { describe, expect, it } from 'vitest';
import type { GraphLayer } from '../../src/core/graph';
import { encodeSafetensors } from '../../src/core/safetensors';
import { fallbackWeights, handKernelWeight, initWeights, layerParams, safetensorsWeights, WeightError } from '../../src/core/weights';
import { getLayerSpec } from '../../src/language/catalogue';

/** A layer as the analysis makes one, pointing at its kind's catalogue entry. */
function layer(kind: string, args: GraphLayer['args'], input: number[], name = `${kind}1`): GraphLayer {
  return { id: 0, name, kind, op: getLayerSpec(kind)!, inputs: [-1], inputSlots: [0], inputShapes: [input], outputShape: input, args };
}

const conv = layer('conv', { out: 8, k: 3, groups: 2, bias: true, stride: 1, padding: 0, dilation: 1 }, [4, 10, 10]);

describe('layerParams', () => {
  it('gives PyTorch shapes and kaiming-uniform(a=√5) bounds, 1/√fan_in, for conv', () => {
    const [w, b] = layerParams(conv);
    expect(w).toEqual({ key: 'conv1.weight', role: 'weight', shape: [8, 2, 3, 3], init: { kind: 'uniform', bound: 1 / Math.sqrt(18) } });
    expect(b).toEqual({ key: 'conv1.bias', role: 'bias', shape: [8], init: { kind: 'uniform', bound: 1 / Math.sqrt(18) } });
  });

  it('uses weight.size(1)·k for a transposed conv fan_in, as PyTorch does', () => {
    const [w] = layerParams(layer('convtranspose', { out: 6, k: [2, 3], groups: 1, bias: false }, [4, 5, 5]));
    expect(w.shape).toEqual([4, 6, 2, 3]);
    expect(w.init).toEqual({ kind: 'uniform', bound: 1 / Math.sqrt(36) });
  });

  it('covers linear, batchnorm (with buffers), layernorm without affine and layerscale', () => {
    expect(layerParams(layer('linear', { out: 10, bias: false }, [400])).map((p) => [p.key, p.shape])).toEqual([['linear1.weight', [10, 400]]]);
    expect(layerParams(layer('batchnorm', { eps: 1e-5, affine: true }, [3, 4, 4])).map((p) => [p.role, p.init])).toEqual([
      ['weight', { kind: 'constant', value: 1 }],
      ['bias', { kind: 'constant', value: 0 }],
      ['running_mean', { kind: 'constant', value: 0 }],
      ['running_var', { kind: 'constant', value: 1 }],
    ]);
    expect(layerParams(layer('layernorm', { affine: false }, [3, 4, 4]))).toEqual([]);
    expect(layerParams(layer('layerscale', { init: 0.5 }, [3, 4, 4]))).toEqual([{ key: 'layerscale1.weight', role: 'weight', shape: [3], init: { kind: 'constant', value: 0.5 } }]);
    expect(layerParams(layer('relu', {}, [3]))).toEqual([]);
  });
});

describe('initWeights', () => {
  it('is deterministic per model and layer name, and differs across them', () => {
    const [w] = layerParams(conv);
    const a = initWeights('Net').get(w, conv);
    expect(initWeights('Net').get(w, conv)).toEqual(a);
    expect(initWeights('Other').get(w, conv)).not.toEqual(a);
    const renamed = { ...conv, name: 'stem' };
    expect(initWeights('Net').get(layerParams(renamed)[0], renamed)).not.toEqual(a);
  });

  it('draws U(−b, b): inside the bound, mean ≈ 0 and variance ≈ b²/3 (within 3%)', () => {
    const big = layer('conv', { out: 256, k: 3, groups: 1, bias: true }, [128, 8, 8]);
    const [w] = layerParams(big);
    const values = initWeights('M').get(w, big);
    const b = 1 / Math.sqrt(128 * 9);
    let sum = 0;
    let sq = 0;
    let largest = 0;
    for (const v of values) {
      largest = Math.max(largest, Math.abs(v));
      sum += v;
      sq += v * v;
    }
    expect(largest).toBeLessThanOrEqual(b);
    const mean = sum / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.01 * b);
    expect(sq / values.length / ((b * b) / 3)).toBeGreaterThan(0.97);
    expect(sq / values.length / ((b * b) / 3)).toBeLessThan(1.03);
  });

  it('streams the same values in row blocks as it gives whole', () => {
    const lin = layer('linear', { out: 7, bias: true }, [5]);
    const [w] = layerParams(lin);
    const whole = initWeights('M').get(w, lin);
    const blocks = [...initWeights('M').blocks!(w, lin, 3)];
    expect(blocks.map((b) => b.length)).toEqual([15, 15, 5]);
    const joined = new Float32Array(35);
    blocks.forEach((b, i) => joined.set(b, i * 15));
    expect(joined).toEqual(whole);
  });

  it('fills constants for norms', () => {
    const bn = layer('batchnorm', {}, [3, 2, 2]);
    const [, , , variance] = layerParams(bn);
    expect([...initWeights('M').get(variance, bn)]).toEqual([1, 1, 1]);
  });
});

describe('safetensorsWeights', () => {
  const lin = layer('linear', { out: 2, bias: true }, [3], 'fc');
  const [w, b] = layerParams(lin);

  it('reads a tensor by `<layer>.<role>`, accepting extra size-1 axes', () => {
    const src = safetensorsWeights(encodeSafetensors({ 'fc.weight': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, 'fc.bias': { shape: [1, 2], data: Float32Array.from([7, 8]) } }));
    expect([...src.get(w, lin)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...src.get(b, lin)]).toEqual([7, 8]);
    expect(src.unused()).toEqual([]);
  });

  it('names the tensor and the layer for a missing tensor', () => {
    const src = safetensorsWeights(encodeSafetensors({ 'fc.weight': { shape: [2, 3], data: new Float32Array(6) } }));
    expect(() => src.get(b, lin)).toThrow(new WeightError('the weights file has no tensor `fc.bias` for layer `fc` (linear, expects 2)'));
  });

  it('reports a wrong shape with both shapes', () => {
    const src = safetensorsWeights(encodeSafetensors({ 'fc.weight': { shape: [3, 2], data: new Float32Array(6) } }));
    expect(() => src.get(w, lin)).toThrow('tensor `fc.weight` is 3×2 in the weights file, but layer `fc` needs 2×3');
  });

  it('reports an unreadable dtype as a WeightError', () => {
    const header = new TextEncoder().encode(JSON.stringify({ 'fc.weight': { dtype: 'I32', shape: [2, 3], data_offsets: [0, 24] } }));
    const bytes = new Uint8Array(8 + header.length + 24);
    new DataView(bytes.buffer).setUint32(0, header.length, true);
    bytes.set(header, 8);
    expect(() => safetensorsWeights(bytes).get(w, lin)).toThrow(WeightError);
    expect(() => safetensorsWeights(bytes).get(w, lin)).toThrow(/dtype I32/);
  });

  it('falls back to init for tensors a file lacks when combined with fallbackWeights', () => {
    const src = fallbackWeights(safetensorsWeights(encodeSafetensors({})), initWeights('M'));
    expect(src.get(w, lin)).toEqual(initWeights('M').get(w, lin));
  });

  it('knows what it has (name, shape, float dtype), and a fallback streams from the source that has it', () => {
    const file = safetensorsWeights(encodeSafetensors({ 'fc.weight': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) } }));
    expect(file.has!(w, lin)).toBe(true);
    expect(file.has!(b, lin)).toBe(false);
    const src = fallbackWeights(file, initWeights('M'));
    expect([...src.blocks!(w, lin, 1)].map((x) => [...x])).toEqual([[1, 2, 3, 4, 5, 6]]); // the file cannot stream: one block
    const fromInit = [...src.blocks!(b, lin, 1)];
    expect(fromInit.map((x) => x.length)).toEqual([1, 1]);
    expect(Float32Array.from([fromInit[0][0], fromInit[1][0]])).toEqual(initWeights('M').get(b, lin));
  });
});

describe('handKernelWeight', () => {
  it('puts one named kernel per output channel on every input channel', () => {
    const edges = layer('conv', { out: 2, k: 3, weights: ['sobel_x', 'identity'] }, [3, 8, 8]);
    const weight = handKernelWeight(edges, [2, 3, 3, 3])!;
    const sobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
    const identity = [0, 0, 0, 0, 1, 0, 0, 0, 0];
    expect([...weight]).toEqual([...sobelX, ...sobelX, ...sobelX, ...identity, ...identity, ...identity]);
  });

  it('fills every filter from one literal matrix', () => {
    const lit = layer('conv', { out: 2, k: 2, weights: [[1, 2], [3, 4]] }, [1, 8, 8]);
    expect([...handKernelWeight(lit, [2, 1, 2, 2])!]).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('is null without weights=', () => {
    expect(handKernelWeight(conv, [8, 2, 3, 3])).toBeNull();
  });
});
