// Where offsets of one version are in the next after one replacement, and the
// analysis records moved with them (src/language/incremental/offsets.ts).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/language/analyze';
import { Shift, shifted, shiftLayers } from '../../../src/language/incremental/offsets';

// `abcdefghij` → `abcXYZhij`: `def` (3..6) replaced by `XYZ!` (4 characters).
const shift = new Shift({ start: 3, oldLength: 3, newLength: 4 });

describe('Shift', () => {
  it('keeps what lies before the replaced text and moves what follows it by the length difference', () => {
    expect(shift.start(2)).toBe(2);
    expect(shift.start(6)).toBe(7);
    expect(shift.end(3)).toBe(3);
    expect(shift.end(9)).toBe(10);
    expect(shift.span({ start: 0, end: 3 })).toEqual({ start: 0, end: 3 });
    expect(shift.span({ start: 6, end: 9 })).toEqual({ start: 7, end: 10 });
    // A span around the replaced text keeps its start and moves its end.
    expect(shift.span({ start: 1, end: 8 })).toEqual({ start: 1, end: 9 });
    expect(shift.none).toBe(false);
    expect(new Shift({ start: 3, oldLength: 2, newLength: 2 }).none).toBe(true);
  });

  it('has no counterpart for a position inside the replaced text: the work asking gives null', () => {
    expect(shifted(() => shift.start(4))).toBeNull();
    expect(shifted(() => shift.end(5))).toBeNull();
    expect(shifted(() => shift.span({ start: 4, end: 8 }))).toBeNull();
    expect(shifted(() => shift.start(8))).toBe(9);
    // Other errors are not swallowed.
    expect(() =>
      shifted(() => {
        throw new Error('broken');
      }),
    ).toThrow('broken');
  });

  it('tells whether a span of the new text is an old one moved', () => {
    expect(shift.same({ start: 0, end: 2 }, { start: 0, end: 2 })).toBe(true);
    expect(shift.same({ start: 6, end: 9 }, { start: 7, end: 10 })).toBe(true);
    expect(shift.same({ start: 6, end: 9 }, { start: 6, end: 9 })).toBe(false);
  });
});

describe('shiftLayers', () => {
  it('moves the spans and call stacks after the edit, shares untouched layers and one stack per expansion', () => {
    const text = 'block b() {\n  relu\n  gap\n}\nmodel M {\n  input x: 3×8×8\n  b()\n}\n';
    const { layers } = analyze(text);
    const at = text.indexOf('  b()');
    const moved = shiftLayers(layers, new Shift({ start: at, oldLength: 0, newLength: 2 }));
    const fresh = analyze(text.slice(0, at) + '  ' + text.slice(at)).layers;
    expect(moved).toEqual(fresh);
    // The layers' spans lie in the block, before the edit; only their call stacks moved, and they share the moved one.
    expect(moved[0].span).toBe(layers[0].span);
    expect(moved[0].callStack).toBe(moved[1].callStack);
    const untouched = shiftLayers(layers, new Shift({ start: text.length, oldLength: 0, newLength: 1 }));
    expect(untouched[0]).toBe(layers[0]);
  });
});
