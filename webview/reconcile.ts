/**
 * Which layer sections a new run can keep. Sections are matched by key
 * (name, kind, output shape), so an edit that changes one layer rebuilds one
 * section and the rest keep their elements and last maps until redrawn. Pure.
 */

/**
 * For each new key, the index of an old section with the same key (each old
 * one used once, the earliest unused first), or null when a new section is needed.
 */
export function matchSections(oldKeys: readonly string[], newKeys: readonly string[]): (number | null)[] {
  const byKey = new Map<string, number[]>();
  oldKeys.forEach((key, index) => {
    const list = byKey.get(key);
    if (list) list.push(index);
    else byKey.set(key, [index]);
  });
  return newKeys.map((key) => byKey.get(key)?.shift() ?? null);
}

/** The DOM operations `placeChildren` needs: how many of `wanted` are not already where they belong. */
export interface ChildList<T> {
  readonly children: ArrayLike<T>;
  insertBefore(child: T, before: T | null): unknown;
  removeChild(child: T): unknown;
}

/**
 * Makes `parent`'s children exactly `wanted`, in order, moving as few as it
 * can: the longest run of children already in the right relative order stays
 * put and the rest are inserted around it (moving a section detaches and
 * re-attaches its toolkit buttons, which is costly). Returns the number of
 * removals and inserts.
 */
export function placeChildren<T>(parent: ChildList<T>, wanted: readonly T[]): number {
  const keep = new Set(wanted);
  let moves = 0;
  for (let i = parent.children.length - 1; i >= 0; i--) {
    const child = parent.children[i];
    if (!keep.has(child)) {
      parent.removeChild(child);
      moves++;
    }
  }
  const position = new Map<T, number>();
  for (let i = 0; i < parent.children.length; i++) position.set(parent.children[i], i);
  const stay = longestIncreasing(wanted.map((child) => position.get(child) ?? -1));
  for (let i = wanted.length - 1; i >= 0; i--) {
    if (stay.has(i)) continue;
    parent.insertBefore(wanted[i], i + 1 < wanted.length ? wanted[i + 1] : null);
    moves++;
  }
  return moves;
}

/** Indices of a longest strictly increasing subsequence of `values`, ignoring negative entries (not yet placed). */
export function longestIncreasing(values: readonly number[]): Set<number> {
  // tails[k]: index (into values) of the smallest tail of an increasing run of length k + 1.
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  values.forEach((value, i) => {
    if (value < 0) return;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < value) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  });
  const result = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) result.add(i);
  return result;
}

/** A parent that takes children a few at a time (an element, or a DocumentFragment). */
export interface Appendable<T> {
  append(...children: T[]): void;
}

/** Appends at most this many children per call: a spread's arguments go on the stack. */
const APPEND_CHUNK = 4096;

/**
 * Appends `children` to `parent` in order. `parent.append(...children)` would
 * overflow the stack above ~125,000 children (a layer whose channels are all
 * shown can have that many canvases).
 */
export function appendAll<T>(parent: Appendable<T>, children: readonly T[]): void {
  for (let i = 0; i < children.length; i += APPEND_CHUNK) parent.append(...children.slice(i, i + APPEND_CHUNK));
}
