import { describe, expect, it } from 'vitest';
import { matchSections, placeChildren, type ChildList } from '../../webview/reconcile';

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

  it('empties the parent', () => {
    const p = parent(['a', 'b']);
    placeChildren(p, []);
    expect(p.list).toEqual([]);
  });
});
