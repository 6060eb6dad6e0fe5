import { describe, expect, it } from 'vitest';
import type { ImageEntry } from '../../src/protocol/webview';
import { PATTERNS } from '../../webview/patterns';
import { fitBox, moveFocus, PICKER_LIMITS, pickerGroups, thumbnailShape, type Box } from '../../webview/picker';

const image = (id: string, group: ImageEntry['group']): ImageEntry => ({ id, label: id, group, thumbnail: `https://r/${id}` });

describe('pickerGroups', () => {
  it('samples, then workspace images, then patterns, each with its key and thumbnail', () => {
    const groups = pickerGroups([image('w.png', 'workspace'), image('s.png', 'sample')], PATTERNS);
    expect(groups.map((g) => g.id)).toEqual(['sample', 'workspace', 'pattern']);
    expect(groups[0].items[0]).toMatchObject({ key: 'image:s.png', src: 'https://r/s.png', choice: { kind: 'image', id: 's.png' } });
    expect(groups[2].items.map((i) => i.key)).toEqual(PATTERNS.map((p) => `pattern:${p.name}`));
    expect(groups[2].items[0].src).toBeUndefined();
  });

  it('leaves out empty groups', () => {
    expect(pickerGroups([], PATTERNS).map((g) => g.id)).toEqual(['pattern']);
  });

  it(`shows at most ${PICKER_LIMITS.workspace} workspace images and counts the rest`, () => {
    const many = Array.from({ length: 130 }, (_, i) => image(`w${i}.png`, 'workspace'));
    const [workspace] = pickerGroups(many, []);
    expect(workspace.items).toHaveLength(PICKER_LIMITS.workspace);
    expect(workspace.hidden).toBe(130 - PICKER_LIMITS.workspace);
  });
});

describe('fitBox / thumbnailShape', () => {
  it('square 224x224 -> 40x40', () => expect(fitBox(224, 224, 40)).toEqual({ width: 40, height: 40 }));
  it('wide 200x100 -> 40x20', () => expect(fitBox(200, 100, 40)).toEqual({ width: 40, height: 20 }));
  it('tall 3x1000 -> at least 1 pixel wide', () => expect(fitBox(3, 1000, 40)).toEqual({ width: 1, height: 40 }));
  it('small 28x28 is drawn at the box size, not 28', () => expect(fitBox(28, 28, 40)).toEqual({ width: 40, height: 40 }));
  it('an unknown size is a square', () => expect(fitBox(0, Number.NaN, 40)).toEqual({ width: 40, height: 40 }));
  it('RGB 3x224x112 -> [3, 40, 20]', () => expect(thumbnailShape([3, 224, 112], 40)).toEqual([3, 40, 20]));
  it('grey 1x32x32 -> [1, 40, 40]', () => expect(thumbnailShape([1, 32, 32], 40)).toEqual([1, 40, 40]));
  it('a signal 2x100, or no shape yet -> a grey square', () => {
    expect(thumbnailShape([2, 100], 40)).toEqual([1, 40, 40]);
    expect(thumbnailShape(null, 40)).toEqual([1, 40, 40]);
  });
});

describe('moveFocus', () => {
  // Two groups: a row of 4 (the last one wrapping to a second row of 1), then a group of 3 on its own row.
  const box = (left: number, top: number): Box => ({ left, top, width: 40, height: 40 });
  const boxes = [box(0, 0), box(44, 0), box(88, 0), box(132, 0), box(0, 44), box(0, 110), box(44, 110), box(88, 110)];

  it('Left/Right step through the items and stop at the ends', () => {
    expect(moveFocus(boxes, 1, 'ArrowRight')).toBe(2);
    expect(moveFocus(boxes, 0, 'ArrowLeft')).toBe(0);
    expect(moveFocus(boxes, 7, 'ArrowRight')).toBe(7);
  });

  it('Home/End go to the first and last', () => {
    expect(moveFocus(boxes, 4, 'Home')).toBe(0);
    expect(moveFocus(boxes, 4, 'End')).toBe(7);
  });

  it('Down goes to the nearest item in the next row, across groups', () => {
    expect(moveFocus(boxes, 2, 'ArrowDown')).toBe(4);
    expect(moveFocus(boxes, 4, 'ArrowDown')).toBe(5);
  });

  it('Up goes to the nearest item in the row above', () => {
    expect(moveFocus(boxes, 7, 'ArrowUp')).toBe(4);
    expect(moveFocus(boxes, 4, 'ArrowUp')).toBe(0);
  });

  it('stays put with no row beyond, and answers -1 for no items', () => {
    expect(moveFocus(boxes, 1, 'ArrowUp')).toBe(1);
    expect(moveFocus(boxes, 6, 'ArrowDown')).toBe(6);
    expect(moveFocus([], 0, 'ArrowRight')).toBe(-1);
  });
});
