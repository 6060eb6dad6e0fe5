import { describe, expect, it } from 'vitest';
import { channelCount, sliceChannels } from '../../webview/slice';

describe('sliceChannels', () => {
  const data = Float32Array.from({ length: 3 * 4 }, (_, i) => i - 2);

  it('cuts channels [1, 3) of a 3×2×2 tensor, keeping the whole tensor’s min and max', () => {
    const s = sliceChannels([3, 2, 2], data, 1, 3);
    expect(s).toMatchObject({ from: 1, to: 3, min: -2, max: 9, shape: [3, 2, 2] });
    expect([...s.data]).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('clamps the range to the channels there are, and copies (so the copy can be transferred)', () => {
    const s = sliceChannels([3, 2, 2], data, 2, 99);
    expect([s.from, s.to]).toEqual([2, 3]);
    expect(s.data.buffer).not.toBe(data.buffer);
  });

  it('sends a vector whole, as one channel', () => {
    const s = sliceChannels([12], data, 0, 1);
    expect([s.from, s.to, s.data.length]).toEqual([0, 1, 12]);
    expect(channelCount([12])).toBe(1);
    expect(channelCount([3, 2, 2])).toBe(3);
  });
});
