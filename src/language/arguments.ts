/**
 * Layer arguments as their definitions declare them: where each sits, where
 * a call gave it, and whether a value fits its type.
 */
import type { Call, Span } from './ast';
import type { ArgSpec, LayerSpec } from './catalogue';
import { smallInteger } from './evaluate';
import type { Value } from './types';

/** The words a `padding` argument takes besides numbers. */
export const PADDING_WORDS: readonly string[] = ['same', 'valid'];
export const PADDING_EXPECTED = 'whole numbers ≥ 0, `same` or `valid`';
/** Per layer kind: where each argument sits in `spec.args`, so resolving a call needs no searching. */
export interface ArgLookup {
  readonly byName: ReadonlyMap<string, number>;
  /** Index of the argument a positional value fills, or -1. */
  readonly positional: number;
  /** `spec.args[i].default`, whole numbers as small integers (see `smallInteger`). */
  readonly defaults: readonly (Value | undefined)[];
}

const argLookups = new Map<LayerSpec, ArgLookup>();

export function argLookup(spec: LayerSpec): ArgLookup {
  let lookup = argLookups.get(spec);
  if (!lookup) {
    // `resolveArgs` tracks given arguments in the bits of one integer.
    if (spec.args.length > 31) throw new Error(`layer \`${spec.kind}\` has more than 31 arguments`);
    const byName = new Map<string, number>();
    spec.args.forEach((a, i) => {
      if (!byName.has(a.name)) byName.set(a.name, i);
    });
    const defaults = spec.args.map((a) => (typeof a.default === 'number' ? smallInteger(a.default) : a.default));
    lookup = { byName, positional: spec.args.findIndex((a) => a.positional), defaults };
    argLookups.set(spec, lookup);
  }
  return lookup;
}

/**
 * Where the argument `name` was given in a call: the first argument that
 * `resolveArgs` matched to it (later duplicates are errors), else undefined.
 */
export function argumentSpan(call: Call, spec: LayerSpec, name: string): Span | undefined {
  let positionalUsed = false;
  for (const arg of call.args) {
    if (arg.name) {
      if (arg.name.name === name) return arg.value.span;
    } else if (spec.inputs !== 'many') {
      const positional = positionalUsed ? undefined : spec.args.find((a) => a.positional);
      positionalUsed = true;
      if (positional?.name === name) return arg.value.span;
    }
  }
  return undefined;
}

const isWhole = (v: Value): v is number => typeof v === 'number' && Number.isInteger(v);
const inRange = (spec: ArgSpec, v: number) => (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max);

/** The range part of a type message, e.g. ` ≥ 1`; only built when a value is out of it. */
function rangeText(spec: ArgSpec): string {
  return spec.min !== undefined && spec.max !== undefined ? ` between ${spec.min} and ${spec.max}` : spec.min !== undefined ? ` ≥ ${spec.min}` : '';
}

/** `one of \`none\`, \`tanh\``: an enum's values as its messages list them. */
export function enumText(values: readonly string[]): string {
  return `one of ${values.map((v) => `\`${v}\``).join(', ')}`;
}

/** Why a value does not fit its argument type, or undefined when it does. */
export function checkArgType(spec: ArgSpec, value: Value): string | undefined {
  switch (spec.type) {
    case 'int':
      return isWhole(value) && inRange(spec, value) ? undefined : `a whole number${rangeText(spec)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inRange(spec, value) ? undefined : `a number${rangeText(spec)}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : '`true` or `false`';
    case 'enum':
      return typeof value === 'string' && spec.values?.includes(value) ? undefined : enumText(spec.values ?? []);
    case 'sizes':
    case 'int-list': {
      if (isWhole(value)) return inRange(spec, value) ? undefined : `whole numbers${rangeText(spec)}`;
      const items = Array.isArray(value) ? value : [value];
      return items.length > 0 && items.every((v) => isWhole(v) && inRange(spec, v)) ? undefined : `whole numbers${rangeText(spec)}`;
    }
    case 'padding': {
      if (value === 'same' || value === 'valid') return undefined;
      if (isWhole(value)) return value >= 0 ? undefined : PADDING_EXPECTED;
      const items = Array.isArray(value) ? value : [value];
      return items.length > 0 && items.every((v) => isWhole(v) && v >= 0) ? undefined : PADDING_EXPECTED;
    }
    case 'kernel-weights':
      return typeof value === 'string' || Array.isArray(value) ? undefined : 'a kernel name or a matrix';
  }
}
