import { describe, expect, it } from 'vitest';
import type { GraphLayer } from '../../src/core/graph';
import { biasTensor, numberArg, paramShape, requiredParam, sizesArg, weightTensor, windowOf, type KernelContext, type LayerOp } from '../../src/core/layer-op';
import { tensor } from '../../src/core/tensor';
import { constantInit, paramSpec, WeightError } from '../../src/core/weights';

/** A kind with a [2, 3] weight and, unless `bias=false`, a [2] bias. */
const op: LayerOp = {
  params: (layer) => [paramSpec(layer, 'weight', [2, 3], constantInit(1)), ...(layer.args.bias === false ? [] : [paramSpec(layer, 'bias', [2], constantInit(0))])],
  run: ({ x }) => x,
};

function layer(args: GraphLayer['args']): GraphLayer {
  return { id: 0, name: 'fc', kind: 'fc', op, inputs: [-1], inputSlots: [0], inputShapes: [[3]], outputShape: [2], args };
}

function context(l: GraphLayer, values: Partial<Record<string, Float32Array>>): KernelContext {
  const x = tensor([3], [1, 2, 3]);
  return { layer: l, inputs: [x], x, param: (role) => values[role] ?? null, stream: () => null };
}

describe('kernel adapter helpers', () => {
  it('read the weight with the shape its kind declares, and the bias as a vector', () => {
    const fc = layer({});
    const ctx = context(fc, { weight: new Float32Array(6), bias: new Float32Array(2) });
    expect(paramShape(fc, 'weight')).toEqual([2, 3]);
    expect(weightTensor(ctx).shape).toEqual([2, 3]);
    expect(biasTensor(ctx)?.shape).toEqual([2]);
    expect(biasTensor(context(layer({ bias: false }), { weight: new Float32Array(6) }))).toBeNull();
  });

  it('name the layer when a parameter it needs is missing', () => {
    const ctx = context(layer({}), {});
    expect(() => requiredParam(ctx, 'running_mean')).toThrow(WeightError);
    expect(() => weightTensor(ctx)).toThrow('`fc` has no weight');
  });

  it('take the window geometry from the analysis, and say so when there is none', () => {
    expect(() => windowOf(layer({}))).toThrow('`fc` (fc) has no window geometry from the analysis');
  });

  it('read sizes and numbers, with a fallback for an absent argument', () => {
    expect(sizesArg(3)).toBe(3);
    expect(sizesArg([1, 7])).toEqual([1, 7]);
    expect(sizesArg('same')).toBeUndefined();
    expect(numberArg(undefined, 1e-5)).toBe(1e-5);
    expect(numberArg(0.2, 1e-5)).toBe(0.2);
  });
});
