import { describe, expect, it } from 'vitest';
import { appendAll, longestIncreasing, matchSections, placeChildren, type ChildList } from '../../webview/reconcile';

/** A parent whose children are strings, recording each insert and removal. */
function parent(children: string[]): ChildList<string> & { ops: string[]; list: string[] } {
  const list = [...children];
  const ops: string[] = [];
  return {
    list,
    ops,
    get children() {
      return list;
    },
    insertBefore(child, before) {
      const at = list.indexOf(child);
      if (at >= 0) list.splice(at, 1);
      list.splice(before === null ? list.length : list.indexOf(before), 0, child);
      ops.push(`insert ${child}`);
    },
    removeChild(child) {
      list.splice(list.indexOf(child), 1);
      ops.push(`remove ${child}`);
    },
  };
}

describe('matchSections', () => {
  it('same keys: every section kept in place', () => {
    expect(matchSections(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual([0, 1, 2]);
  });

  it('one layer changed: only that one is new', () => {
    expect(matchSections(['conv|64', 'bn', 'relu'], ['conv|32', 'bn', 'relu'])).toEqual([null, 1, 2]);
  });

  it('a layer inserted: the later ones are found at their old index', () => {
    expect(matchSections(['a', 'b', 'c'], ['a', 'x', 'b', 'c'])).toEqual([0, null, 1, 2]);
  });

  it('repeated keys are each used once, earliest first', () => {
    expect(matchSections(['r', 'r'], ['r', 'r', 'r'])).toEqual([0, 1, null]);
  });
});

describe('placeChildren', () => {
  it('nothing moves when the order is already right', () => {
    const p = parent(['in', 'a', 'b', 'c']);
    expect(placeChildren(p, ['in', 'a', 'b', 'c'])).toBe(0);
    expect(p.ops).toEqual([]);
  });

  it('a replaced section: one removal and one insert', () => {
    const p = parent(['a', 'b', 'c']);
    placeChildren(p, ['a', 'x', 'c']);
    expect(p.list).toEqual(['a', 'x', 'c']);
    expect(p.ops).toEqual(['remove b', 'insert x']);
  });

  it('appends new sections at the end and drops a trailing banner', () => {
    const p = parent(['a', 'banner']);
    placeChildren(p, ['a', 'b', 'c']);
    expect(p.list).toEqual(['a', 'b', 'c']);
  });

  it('reorders when it must', () => {
    const p = parent(['a', 'b', 'c']);
    placeChildren(p, ['c', 'a', 'b']);
    expect(p.list).toEqual(['c', 'a', 'b']);
  });

  it('sections left behind are moved to the end, not every section after them', () => {
    const p = parent(['in', 'banner', 's0', 's1', 's2', 's3', 's4', 's5']);
    placeChildren(p, ['in', 'n0', 'n1', 's2', 's3', 's4', 's5', 's0', 's1']);
    expect(p.list).toEqual(['in', 'n0', 'n1', 's2', 's3', 's4', 's5', 's0', 's1']);
    expect(p.ops).toEqual(['remove banner', 'insert s1', 'insert s0', 'insert n1', 'insert n0']);
  });

  it('empties the parent', () => {
    const p = parent(['a', 'b']);
    placeChildren(p, []);
    expect(p.list).toEqual([]);
  });
});

describe('longestIncreasing', () => {
  it('keeps the longest increasing run, skipping negatives', () => {
    expect([...longestIncreasing([0, -1, 3, 4, 1, 2, 5])].sort()).toEqual([0, 4, 5, 6]);
    expect([...longestIncreasing([])]).toEqual([]);
    expect([...longestIncreasing([-1, -1])]).toEqual([]);
    expect([...longestIncreasing([2, 1, 0])]).toHaveLength(1);
  });
});

describe('appendAll', () => {
  it('appends 200,000 children in order (a spread of them overflows the stack)', () => {
    const got: number[] = [];
    const parent = { append: (...children: number[]) => void got.push(...children) };
    const children = Array.from({ length: 200_000 }, (_, i) => i);
    appendAll(parent, children);
    expect(got.length).toBe(200_000);
    expect(got.every((c, i) => c === i)).toBe(true);
  });
});
