import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index';

// The library entry: every kernel is exported (no numerics here).

describe('core index', () => {
  it('exports the tensor helpers, geometry and every kernel', () => {
    const names = [
      'tensor', 'numel', 'zeros', 'windowGeometry', 'conv', 'conv1d', 'conv2d', 'conv3d', 'convTranspose',
      'maxPool', 'avgPool', 'adaptiveAvgPool', 'adaptiveMaxPool', 'globalAvgPool', 'batchNorm', 'layerNorm', 'groupNorm',
      'relu', 'relu6', 'leakyRelu', 'gelu', 'silu', 'sigmoid', 'hardswish', 'hardsigmoid', 'tanh', 'abs', 'softmax',
      'linear', 'flatten', 'add', 'mul', 'concat', 'split', 'chunk', 'channelShuffle', 'upsample', 'layerScale', 'dropout',
    ];
    for (const name of names) expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
  });
});
