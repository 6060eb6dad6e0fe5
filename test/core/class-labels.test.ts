import { describe, expect, it } from 'vitest';
import { LABEL_LIMITS, LabelsError, labelsFor, parseLabels } from '../../src/core/class-labels';
import { IMAGENET_CLASSES } from '../../src/core/imagenet-classes';

describe('parseLabels', () => {
  it('reads one label per line, LF or CRLF, trimming and dropping trailing blank lines', () => {
    expect(parseLabels(' cat \r\ndog\n\nbird\n\n\n')).toEqual(['cat', 'dog', '', 'bird']);
  });

  it('reads a JSON array of strings', () => {
    expect(parseLabels('  ["a, b", "c"]\n')).toEqual(['a, b', 'c']);
  });

  it('rejects empty, binary, non-string JSON and oversized input', () => {
    expect(() => parseLabels('\n\n')).toThrow(LabelsError);
    expect(() => parseLabels('a\u0000b')).toThrow('not a text file');
    expect(() => parseLabels('[1, 2]')).toThrow('array of strings');
    expect(() => parseLabels('[unclosed')).toThrow('not valid JSON');
    expect(() => parseLabels('x\n'.repeat(LABEL_LIMITS.maxLabels + 1))).toThrow('at most 100,000');
    expect(() => parseLabels(`ok\n${'y'.repeat(LABEL_LIMITS.maxLength + 1)}`)).toThrow('label 2 is 257 characters long');
  });
});

describe('labelsFor', () => {
  it('auto names exactly the 1,000-class outputs with ImageNet', () => {
    expect(labelsFor({ kind: 'auto' }, 1000)).toBe(IMAGENET_CLASSES);
    expect(labelsFor({ kind: 'auto' }, 10)).toBeNull();
    expect(labelsFor({ kind: 'auto' }, 1001)).toBeNull();
    expect(labelsFor({ kind: 'none' }, 1000)).toBeNull();
  });

  it('refuses a choice whose size does not match the output', () => {
    expect(() => labelsFor({ kind: 'imagenet' }, 10)).toThrow('outputs 10');
    expect(() => labelsFor({ kind: 'list', labels: ['a', 'b'], from: 'l.txt' }, 3)).toThrow('l.txt has 2 labels, but the model outputs 3 classes');
    expect(labelsFor({ kind: 'list', labels: ['a', 'b'], from: 'l.txt' }, 2)).toEqual(['a', 'b']);
  });

  it('ImageNet list is torchvision\'s order: 1,000 distinct, non-empty names', () => {
    expect(IMAGENET_CLASSES).toHaveLength(1000);
    expect(IMAGENET_CLASSES[0]).toBe('tench');
    expect(IMAGENET_CLASSES[281]).toBe('tabby');
    expect(IMAGENET_CLASSES.every((n) => n.length > 0)).toBe(true);
  });
});
