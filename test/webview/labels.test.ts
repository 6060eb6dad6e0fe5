import { describe, expect, it } from 'vitest';
import { inputChannelLabels, kernelLabels } from '../../webview/labels';

describe('inputChannelLabels', () => {
  it('an RGB image: R, G, B', () => {
    expect(inputChannelLabels(3, true)).toEqual(['R', 'G', 'B']);
  });

  it('a pattern of three channels, or any other count: ch 0, ch 1, …', () => {
    expect(inputChannelLabels(3, false)).toEqual(['ch 0', 'ch 1', 'ch 2']);
    expect(inputChannelLabels(4, true)).toEqual(['ch 0', 'ch 1', 'ch 2', 'ch 3']);
    expect(inputChannelLabels(1, true)).toEqual(['ch 0']);
  });
});

describe('kernelLabels', () => {
  it('names each thumbnail by its output channel and the heading by the input channel shown', () => {
    const labels = kernelLabels(3, false);
    expect(labels.captions).toEqual(['out 0', 'out 1', 'out 2']);
    expect(labels.titles[2]).toBe('output channel 2, input channel 0');
    expect(labels.heading).toMatch(/input channel 0/);
  });

  it('an RGB first conv: the three input channels in colour', () => {
    expect(kernelLabels(2, true).titles[1]).toBe('output channel 1, input channels R, G, B (as colour; grey is zero)');
  });
});
