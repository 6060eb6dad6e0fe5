/**
 * The layer graph of an analysis, for tests that check a quick fix changes
 * only what it means to: each layer's kind, resolved arguments, producers and
 * output shape.
 */
import type { TextChange } from '../../src/language/text-change';
import type { Analysis, Layer } from '../../src/language/types';

export interface GraphNode {
  readonly index: number;
  readonly kind: string;
  /** The resolved arguments as JSON. */
  readonly args: string;
  /** Producer node indices; -1 for the model input, null for an unknown tensor (after an error). */
  readonly inputs: readonly (number | null)[];
  readonly shape: string;
  readonly span: { readonly start: number; readonly end: number };
}

export function graphOf(analysis: Analysis): GraphNode[] {
  return analysis.layers.map((layer: Layer, index) => ({
    index,
    kind: layer.kind,
    args: JSON.stringify(layer.args),
    inputs: layer.inputs.map((producer, i) => (producer === -1 && layer.inputShapes[i] === null ? null : producer)),
    shape: layer.outputShape ? layer.outputShape.join('×') : '?',
    span: layer.span,
  }));
}

/** Longest common subsequence of two node lists under `same`, as pairs of indices. */
function lcs(a: readonly GraphNode[], b: readonly GraphNode[], same: (x: GraphNode, y: GraphNode) => boolean): Map<number, number> {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[i][j] = same(a[i], b[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  }
  const pairs = new Map<number, number>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (same(a[i], b[j])) pairs.set(i++, j++);
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

export interface Expected {
  /** Kinds of the layers the fix adds, in order. */
  readonly added: readonly string[];
  /** The edits the fix makes: layers whose call they touch may change their arguments. */
  readonly changes: readonly TextChange[];
}

/**
 * What differs between `before` and `after` beyond `expected`, in words; empty
 * when the fix preserves everything else. Layers pair up by kind and
 * arguments first, then by kind alone for those the fix edited. A paired
 * layer must take the same producers, looking through the added layers to
 * what they take (a spliced-in `flatten` or projection), and keep its shape
 * unless it was unknown or lies downstream of what the fix changed.
 */
export function unexpectedChanges(before: readonly GraphNode[], after: readonly GraphNode[], expected: Expected): string[] {
  const problems: string[] = [];
  const touches = (node: GraphNode) => expected.changes.some((c) => c.span.start >= node.span.start && c.span.start <= node.span.end);
  const pairs = lcs(before, after, (x, y) => x.kind === y.kind && x.args === y.args);
  // Layers whose arguments the fix edited pair by kind, in order, among those left.
  const leftBefore = before.filter((b) => !pairs.has(b.index));
  const pairedAfter = new Set(pairs.values());
  const leftAfter = after.filter((a) => !pairedAfter.has(a.index));
  const rest = lcs(leftBefore, leftAfter, (x, y) => x.kind === y.kind && touches(x));
  for (const [i, j] of rest) pairs.set(leftBefore[i].index, leftAfter[j].index);

  for (const b of before) if (!pairs.has(b.index)) problems.push(`layer ${b.index} (${b.kind}) is gone`);
  const mapped = new Set(pairs.values());
  const added = after.filter((a) => !mapped.has(a.index));
  const addedKinds = added.map((a) => a.kind);
  if (addedKinds.join() !== expected.added.join()) problems.push(`added ${JSON.stringify(addedKinds)}, expected ${JSON.stringify(expected.added)}`);

  const isAdded = new Set(added.map((a) => a.index));
  // Look through added layers to the producer they splice in front of.
  const through = (producer: number | null): number | null => {
    let p = producer;
    while (p !== null && p >= 0 && isAdded.has(p)) p = after[p].inputs[0];
    return p;
  };
  const changed = new Set<number>(isAdded);
  for (const [i, j] of pairs) if (before[i].args !== after[j].args) changed.add(j);
  // Downstream of an added or edited layer, shapes may change.
  const downstream = new Set<number>(changed);
  for (const a of after) if (a.inputs.some((p) => p !== null && downstream.has(p))) downstream.add(a.index);

  for (const [i, j] of pairs) {
    const b = before[i];
    const a = after[j];
    if (b.args !== a.args && !touches(b)) problems.push(`layer ${i} (${b.kind}) changed its arguments ${b.args} → ${a.args}`);
    const wanted = b.inputs.map((p) => (p === null ? null : p === -1 ? -1 : pairs.get(p)));
    const got = a.inputs.map(through);
    const sameInputs = wanted.length === got.length && wanted.every((p, k) => p === null || p === got[k]);
    if (!sameInputs) problems.push(`layer ${i} (${b.kind}) takes ${JSON.stringify(got)} instead of ${JSON.stringify(wanted)}`);
    if (b.shape !== '?' && b.shape !== a.shape && !downstream.has(j)) problems.push(`layer ${i} (${b.kind}) changed shape ${b.shape} → ${a.shape}`);
  }
  return problems;
}
