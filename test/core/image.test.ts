import { describe, expect, it } from 'vitest';
import { centerCrop, channelStats, convertChannels, featureGrid, imageToTensor, normalizeImageNet, resize, rgbaToTensor, tensorToImage, topClasses, type RgbaImage } from '../../src/core/image';
import { tensor } from '../../src/core/tensor';

function rgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number?]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b, a = 255] = pixel(x, y);
      data.set([r, g, b, a], 4 * (y * width + x));
    }
  }
  return { width, height, data };
}

describe('image → tensor', () => {
  it('gives 3×H×W in [0, 1], alpha composited over black', () => {
    const t = rgbaToTensor(rgba(2, 1, (x) => (x === 0 ? [255, 0, 51] : [255, 255, 255, 0])));
    expect(t.shape).toEqual([3, 1, 2]);
    expect([...t.data]).toEqual([1, 0, 0, 0, Math.fround(51 / 255), 0]);
  });

  it('converts RGB to luma with BT.601 weights and gray to RGB by repeating (1e-6)', () => {
    const rgb = tensor([3, 1, 1], [1, 0.5, 0.25]);
    expect(convertChannels(rgb, 1).data[0]).toBeCloseTo(0.299 + 0.587 * 0.5 + 0.114 * 0.25, 6);
    expect([...convertChannels(tensor([1, 1, 2], [0.1, 0.9]), 3).data]).toEqual([0.1, 0.9, 0.1, 0.9, 0.1, 0.9].map(Math.fround));
  });

  it('normalises with ImageNet mean and std per channel (1e-6)', () => {
    const x = normalizeImageNet(tensor([3, 1, 1], [0.485, 0.456 + 0.224, 0]));
    expect(x.data[0]).toBeCloseTo(0, 6);
    expect(x.data[1]).toBeCloseTo(1, 6);
    expect(x.data[2]).toBeCloseTo(-0.406 / 0.225, 5);
  });

  it('imageToTensor converts, resizes and normalises to the model input', () => {
    const image = rgba(64, 48, (x) => [x * 4, x * 4, x * 4]);
    const x = imageToTensor(image, { shape: [1, 24, 32] });
    expect(x.shape).toEqual([1, 24, 32]);
    // Area resize by 2 of a ramp: output column o averages input columns 2o, 2o+1 (1e-6).
    expect(x.data[5]).toBeCloseTo(((10 + 11) * 2) / 255, 6);
    const n = imageToTensor(image, { shape: [3, 24, 32], normalize: 'imagenet' });
    expect(n.data[0]).toBeCloseTo((0.5 * 4 / 255 * 1 - 0.485) / 0.229, 5);
  });

  it('crops the centre to the input aspect ratio by default, or stretches', () => {
    // 4×2 image: left half 0, right half 1; a 1×1 input sees the centre 2×2 (half 0, half 1) by default.
    const image = rgba(4, 2, (x) => (x < 2 ? [0, 0, 0] : [255, 255, 255]));
    expect(imageToTensor(image, { shape: [1, 1, 1] }).data[0]).toBeCloseTo(0.5, 6);
    const stretched = imageToTensor(image, { shape: [1, 1, 2], fit: 'stretch' });
    expect([...stretched.data]).toEqual([0, 1]);
    const covered = imageToTensor(image, { shape: [1, 2, 2] });
    expect([...covered.data]).toEqual([0, 1, 0, 1]);
  });

  it('rejects a model input that is not C×H×W', () => {
    expect(() => imageToTensor(rgba(1, 1, () => [0, 0, 0]), { shape: [1, 16] })).toThrow(/must be C×H×W/);
  });
});

describe('centerCrop', () => {
  it('keeps the middle window with the asked aspect ratio', () => {
    const x = tensor([1, 2, 6], [...Array(12).keys()]);
    expect(centerCrop(x, 1)).toEqual({ shape: [1, 2, 2], data: Float32Array.from([2, 3, 8, 9]) });
    expect(centerCrop(x, 3)).toBe(x);
  });
});

describe('resize', () => {
  it('area: averages the covered pixels, also for non-integer ratios (1e-6)', () => {
    const x = tensor([1, 1, 3], [0, 3, 6]);
    // 3 → 2: output 0 covers [0, 1.5): (0·1 + 3·0.5)/1.5 = 1; output 1 covers [1.5, 3): (3·0.5 + 6)/1.5 = 5.
    const y = resize(x, { height: 1, width: 2, method: 'area' });
    expect(y.data[0]).toBeCloseTo(1, 6);
    expect(y.data[1]).toBeCloseTo(5, 6);
  });

  it('bilinear: samples at pixel centres (align_corners=False), clamped at the edges (1e-6)', () => {
    const y = resize(tensor([1, 1, 2], [0, 1]), { height: 1, width: 4, method: 'bilinear' });
    expect([...y.data].map((v) => +v.toFixed(6))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('keeps a constant image constant and returns the input when the size already fits', () => {
    const x = tensor([2, 5, 7], new Array(70).fill(0.3));
    for (const method of ['area', 'bilinear'] as const) {
      for (const v of resize(x, { height: 3, width: 11, method }).data) expect(v).toBeCloseTo(0.3, 6);
    }
    expect(resize(x, { height: 5, width: 7 })).toBe(x);
  });
});

describe('outputs', () => {
  it('channelStats: min, max, mean per channel; a vector is one channel', () => {
    expect(channelStats(tensor([2, 1, 2], [1, 3, -1, 5]))).toEqual([
      { min: 1, max: 3, mean: 2 },
      { min: -1, max: 5, mean: 2 },
    ]);
    expect(channelStats(tensor([3], [1, 2, 6]))).toEqual([{ min: 1, max: 6, mean: 3 }]);
  });

  it('featureGrid tiles channels, each scaled to its own range, magnified to at least minCell', () => {
    const x = tensor([4, 2, 2], [0, 1, 2, 3, 5, 5, 5, 5, -1, 0, 0, 1, 9, 9, 9, 10]);
    const grid = featureGrid(x, { minCell: 4, gap: 1 });
    // 2×2 cells zoomed ×2 → 4×4, two columns and two rows with a 1-pixel gap.
    expect([grid.width, grid.height]).toEqual([9, 9]);
    const at = (x: number, y: number) => grid.data[4 * (y * grid.width + x)];
    expect(at(0, 0)).toBe(0); // channel 0's minimum
    expect(at(3, 3)).toBe(255); // channel 0's maximum, magnified
    expect(at(5, 0)).toBe(128); // channel 1 is constant: mid-gray
    expect(at(4, 0)).toBe(40); // the gap
  });

  it('featureGrid draws vectors, C×L strips and volumes', () => {
    expect(featureGrid(tensor([10], [...Array(10).keys()]), { minCell: 1 })).toMatchObject({ width: 4, height: 3 });
    expect(featureGrid(tensor([2, 16], new Array(32).fill(0)), { minCell: 1 })).toMatchObject({ width: 16, height: 17 });
    expect(featureGrid(tensor([1, 3, 2, 2], new Array(12).fill(0)), { minCell: 2 })).toMatchObject({ width: 2, height: 2 });
  });

  it('featureGrid keeps big layers within maxSide', () => {
    const grid = featureGrid(tensor([64, 112, 112]), { maxSide: 512 });
    expect(Math.max(grid.width, grid.height)).toBeLessThanOrEqual(512);
  });

  it('tensorToImage turns [0, 1] back into bytes', () => {
    expect([...tensorToImage(tensor([1, 1, 2], [0, 1])).data]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it('topClasses: softmax over logits, or the values themselves when already probabilities', () => {
    const top = topClasses([1, 3, 2], 2);
    expect(top.map((c) => c.index)).toEqual([1, 2]);
    expect(top[0].probability).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 12);
    expect(topClasses([0.1, 0.7, 0.2], 5)).toEqual([
      { index: 1, probability: 0.7 },
      { index: 2, probability: 0.2 },
      { index: 0, probability: 0.1 },
    ].map((c) => ({ ...c, probability: expect.closeTo(c.probability, 12) })));
  });
});
