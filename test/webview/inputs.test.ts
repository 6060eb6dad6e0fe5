import { describe, expect, it } from 'vitest';
import type { ImageEntry } from '../../src/protocol/webview';
import { defaultInput, imageRefusal, inputKey, parseInputKey } from '../../webview/inputs';

const image = (label: string, group: ImageEntry['group'] = 'sample'): ImageEntry => ({ id: `file:///${label}.png`, label, group, thumbnail: '' });
const images = [image('astronaut'), image('checkerboard'), image('digit-0'), image('digit-7'), image('mine', 'workspace')];

describe('input keys', () => {
  it('round-trips patterns and images, and rejects unknown patterns', () => {
    expect(parseInputKey(inputKey({ kind: 'pattern', pattern: 'stripes' }))).toEqual({ kind: 'pattern', pattern: 'stripes' });
    expect(parseInputKey(inputKey({ kind: 'image', id: 'file:///a:b.png' }))).toEqual({ kind: 'image', id: 'file:///a:b.png' });
    expect(parseInputKey('pattern:nope')).toBeNull();
    expect(parseInputKey('what')).toBeNull();
  });
});

describe('defaultInput', () => {
  it('a digit for LeNet-sized inputs', () => {
    expect(defaultInput([1, 32, 32], images)).toEqual({ kind: 'image', id: 'file:///digit-0.png' });
  });
  it('a photo (not a digit or a pattern) for bigger image models', () => {
    expect(defaultInput([3, 224, 224], images)).toEqual({ kind: 'image', id: 'file:///astronaut.png' });
    expect(defaultInput([1, 128, 128], images)).toEqual({ kind: 'image', id: 'file:///astronaut.png' });
  });
  it('a chirp for signals, a sphere for volumes, a pattern when there are no images', () => {
    expect(defaultInput([1, 8000], images)).toEqual({ kind: 'pattern', pattern: 'chirp' });
    expect(defaultInput([1, 16, 64, 64], images)).toEqual({ kind: 'pattern', pattern: 'circle' });
    expect(defaultInput([3, 224, 224], [])).toEqual({ kind: 'pattern', pattern: 'checkerboard' });
  });
});

describe('imageRefusal', () => {
  it('accepts an image for any C×H×W input (it is resized and its channels converted)', () => {
    expect(imageRefusal([3, 224, 224], '×')).toBeNull();
    expect(imageRefusal([1, 32, 32], 'x')).toBeNull();
  });
  it('refuses one for signals and volumes, naming the shape in the user’s notation', () => {
    expect(imageRefusal([1, 8000], '×')).toBe('an image needs a C×H×W input; this model takes 1×8000: pick a pattern');
    expect(imageRefusal([1, 16, 64, 64], 'x')).toBe('an image needs a CxHxW input; this model takes 1x16x64x64: pick a pattern');
  });
});
