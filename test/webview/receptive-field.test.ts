import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { fieldRegion, fieldStarts } from '../../webview/receptive-field';

const sample = (name: string) => analyze(readFileSync(join(__dirname, '../../samples', name), 'utf8'));

describe('fieldStarts', () => {
  it('LeNet-5 (no padding): every field starts at the input origin', () => {
    const analysis = sample('lenet5.cnn');
    const starts = fieldStarts(analysis.layers);
    const conv2 = analysis.layers.findIndex((l) => l.name === 'conv2');
    expect(starts[0]).toEqual([0, 0]);
    expect(starts[conv2]).toEqual([0, 0]);
    expect(analysis.layers[conv2].receptiveField).toEqual([14, 14]);
  });

  it('ResNet-18 stem: conv k=7 s=2 p=3 starts at −3, then maxpool k=3 s=2 p=1 at −3 − 1·2 = −5', () => {
    const analysis = sample('resnet18.cnn');
    const starts = fieldStarts(analysis.layers);
    const conv = analysis.layers.findIndex((l) => l.kind === 'conv');
    const pool = analysis.layers.findIndex((l) => l.kind === 'maxpool');
    expect(starts[conv]).toEqual([-3, -3]);
    expect(starts[pool]).toEqual([-5, -5]);
  });

  it('x=[1,8,8] k=3 s=1 p=same keeps the field centred: start −1', () => {
    const analysis = analyze('model M {\n  input x: 1×8×8\n  conv 1, k=3, padding=same\n  relu\n}\n');
    expect(fieldStarts(analysis.layers)).toEqual([
      [-1, -1],
      [-1, -1],
    ]);
  });

  it('is null after an error', () => {
    const analysis = analyze('model M {\n  input x: 1×8×8\n  conv 1, k=30\n  relu\n}\n');
    expect(fieldStarts(analysis.layers).every((s) => s === null)).toBe(true);
  });
});

describe('fieldRegion', () => {
  const field = { receptiveField: [5, 5], jump: [2, 2], fieldStart: [-2, -2] };

  it('y=3 x=0 with r=5 j=2 start=−2 sees rows 4–8 and cols 0–2 (clipped at the edge)', () => {
    expect(fieldRegion(field, [3, 0], [32, 32])).toEqual({ from: [4, 0], to: [8, 2], size: [5, 5] });
  });

  it('clips at the far edge', () => {
    expect(fieldRegion(field, [15, 15], [32, 32])).toEqual({ from: [28, 28], to: [31, 31], size: [5, 5] });
  });

  it('is null when the field is unknown or the rank differs', () => {
    expect(fieldRegion({ receptiveField: null, jump: null, fieldStart: null }, [0, 0], [8, 8])).toBeNull();
    expect(fieldRegion(field, [0], [8])).toBeNull();
  });
});
