import { describe, expect, it } from 'vitest';
import { layer } from './one-layer';

describe('pooling', () => {
  it('maxpool stride defaults to the kernel', () => {
    expect(layer('3×9×9', 'maxpool 2').shape).toEqual([3, 4, 4]);
  });
  it('ceil mode counts the partial last window', () => {
    expect(layer('3×9×9', 'maxpool 2, ceil=true').shape).toEqual([3, 5, 5]);
  });
  it('avgpool with padding above half the kernel is refused, as in PyTorch', () => {
    expect(layer('3×9×9', 'avgpool 2, padding=2').codes).toEqual(['invalid-argument']);
  });
  it('adaptive and global pooling fix the output size', () => {
    expect(layer('512×13×17', 'adaptiveavgpool 7').shape).toEqual([512, 7, 7]);
    expect(layer('512×13×17', 'adaptivemaxpool (2, 3)').shape).toEqual([512, 2, 3]);
    expect(layer('512×13×17', 'gap').shape).toEqual([512, 1, 1]);
  });
});
