import { describe, expect, it } from 'vitest';
import { layer } from './one-layer';

describe('conv', () => {
  it('x=[3,224,224] k=3 out=64 p=1: params 3·3·3·64 + 64 = 1,792', () => {
    expect(layer('3×224×224', 'conv 64, k=3, padding=1')).toMatchObject({ shape: [64, 224, 224], params: 1792, macs: 224 * 224 * 64 * 27 });
  });
  it('x=[3,224,224] k=7 s=2 p=3 → 112', () => {
    expect(layer('3×224×224', 'conv 64, k=7, stride=2, padding=3, bias=false')).toMatchObject({ shape: [64, 112, 112], params: 9408 });
  });
  it('x=[32,56,56] depthwise k=3 groups=32: 9 weights per channel', () => {
    expect(layer('32×56×56', 'conv 32, k=3, padding=1, groups=32, bias=false')).toMatchObject({ shape: [32, 56, 56], params: 288 });
  });
  it('x=[8,9,13] k=1×7 p=(0,3): non-square kernel keeps the size', () => {
    expect(layer('8×9×13', 'conv 4, k=1×7, padding=(0, 3)')).toMatchObject({ shape: [4, 9, 13], params: 8 * 7 * 4 + 4 });
  });
  it('x=[1,10,10] k=3 p=(1,0,2,0): per-side padding (top, bottom, left, right)', () => {
    expect(layer('1×10×10', 'conv 1, k=3, padding=(1, 0, 2, 0)')).toMatchObject({ shape: [1, 9, 10] });
  });
  it('x=[1,15,15] k=3 s=2 p=same → ⌈15/2⌉ = 8', () => {
    expect(layer('1×15×15', 'conv 1, k=3, stride=2, padding=same')).toMatchObject({ shape: [1, 8, 8] });
  });
  it('x=[1,20,20] k=3 d=3 → 20 − 6 = 14', () => {
    expect(layer('1×20×20', 'conv 1, k=3, dilation=3')).toMatchObject({ shape: [1, 14, 14] });
  });
  it('x=[2,100] 1D and x=[1,8,16,16] 3D', () => {
    expect(layer('2×100', 'conv 4, k=5, stride=5')).toMatchObject({ shape: [4, 20], params: 2 * 5 * 4 + 4 });
    expect(layer('1×8×16×16', 'conv 2, k=3, padding=1')).toMatchObject({ shape: [2, 8, 16, 16], params: 27 * 2 + 2 });
  });
  it('reports groups that do not divide the channels', () => {
    expect(layer('6×8×8', 'conv 8, k=3, groups=4').codes).toEqual(['groups-mismatch']);
  });
  it('reports a kernel larger than its padded input, and an empty output', () => {
    expect(layer('1×4×4', 'conv 1, k=7, padding=1').codes).toEqual(['kernel-exceeds-input']);
  });
  it('reports a rank mismatch for conv1d on an image', () => {
    expect(layer('3×8×8', 'conv1d 4, k=3').codes).toEqual(['rank-mismatch']);
  });
  it('checks hand-set weights against k and the channel count', () => {
    expect(layer('1×8×8', 'conv 2, k=3, weights=[sobel_x, sobel_y]').codes).toEqual([]);
    expect(layer('1×8×8', 'conv 3, k=3, weights=[sobel_x, sobel_y]').codes).toEqual(['invalid-weights']);
    expect(layer('1×8×8', 'conv 1, k=5, weights=sobel_x').codes).toEqual(['invalid-weights']);
    expect(layer('1×8×8', 'conv 1, k=2, weights=[[1, 0], [0, -1]]').codes).toEqual([]);
    expect(layer('1×8×8', 'conv 1, k=3, weights=[[1, 0], [0, -1]]').codes).toEqual(['invalid-weights']);
  });
});

describe('convtranspose', () => {
  it('x=[64,28,28] k=2 s=2 → 56; params C_in·C_out·k² + C_out', () => {
    expect(layer('64×28×28', 'convtranspose 32, k=2, stride=2')).toMatchObject({ shape: [32, 56, 56], params: 64 * 32 * 4 + 32, macs: 64 * 28 * 28 * 32 * 4 });
  });
  it('x=[4,7,7] k=3 s=2 p=1 op=1 → 14', () => {
    expect(layer('4×7×7', 'convtranspose 2, k=3, stride=2, padding=1, output_padding=1')).toMatchObject({ shape: [2, 14, 14] });
  });
  it('rejects output padding not smaller than the stride', () => {
    expect(layer('4×7×7', 'convtranspose 2, k=3, stride=2, output_padding=2').codes).toEqual(['invalid-argument']);
  });
});
