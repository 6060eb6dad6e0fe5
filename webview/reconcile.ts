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
 * Makes `parent`'s children exactly `wanted`, in order, moving only the
 * elements that are out of place (replaceChildren would detach and re-attach
 * every section, and restyle all of them). Returns the number of moves.
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
  for (let i = 0; i < wanted.length; i++) {
    const at = i < parent.children.length ? parent.children[i] : null;
    if (at !== wanted[i]) {
      parent.insertBefore(wanted[i], at);
      moves++;
    }
  }
  return moves;
}
