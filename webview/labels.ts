/**
 * What the small pictures in the preview are called: an input's channels and
 * a conv's kernel thumbnails. Pure.
 */

/**
 * Names for an input's channels: R, G and B for a three-channel image, else
 * `ch 0`, `ch 1`, … (a pattern, a grey image, a spectrogram's bands).
 */
export function inputChannelLabels(channels: number, image: boolean): string[] {
  if (image && channels === 3) return ['R', 'G', 'B'];
  return Array.from({ length: channels }, (_, c) => `ch ${c}`);
}

/**
 * The kernel view's captions. The worker sends, per output channel, the
 * filter's slice for input channel 0, or for all three input channels of a
 * conv that reads an RGB image (shown in colour).
 */
export function kernelLabels(filters: number, rgb: boolean): { readonly heading: string; readonly captions: string[]; readonly titles: string[] } {
  const input = rgb ? 'input channels R, G, B (as colour; grey is zero)' : 'input channel 0';
  return {
    heading: `Kernels: one per output channel, ${input}`,
    captions: Array.from({ length: filters }, (_, f) => `out ${f}`),
    titles: Array.from({ length: filters }, (_, f) => `output channel ${f}, ${input}`),
  };
}
