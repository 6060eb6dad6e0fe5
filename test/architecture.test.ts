import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rules of STYLE.md that no single source file owns, checked on the import lines.

const SRC = join(__dirname, '..', 'src');

function tsFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...tsFiles(path));
    else if (name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** The module specifiers a file imports or re-exports, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
}

/** A relative specifier resolved to the `.ts` file it names, or undefined (a package, or a `.json`). */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/** What each file imports among the others: the relative imports that resolve to one of them. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const inside = new Set(files);
  return new Map(files.map((f) => [f, importsOf(f).map((s) => resolveImport(f, s)).filter((t): t is string => t !== undefined && inside.has(t))]));
}

/** The first cycle in an import graph, as the files along it (the first repeated at the end), or null. */
function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

describe('src/language is pure (the CLI, the server and the browser worker all run it)', () => {
  const files = tsFiles(join(SRC, 'language'));
  it('has files to check', () => expect(files.length).toBeGreaterThan(10));
  for (const file of files) {
    it(`${relative(SRC, file)} imports neither vscode, vscode-languageserver nor Node`, () => {
      for (const spec of importsOf(file)) {
        expect(spec.startsWith('.'), `${spec} in ${file}`).toBe(true);
        const target = resolve(dirname(file), spec);
        const layer = relative(SRC, target).split(/[\\/]/)[0];
        expect(['language', 'core'], `${spec} in ${file}`).toContain(layer);
      }
    });
  }
});

describe('import cycles', () => {
  const named = (cycle: string[] | null) => cycle?.map((f) => relative(SRC, f)) ?? null;

  it('are found when there are some (the check can fail)', () => {
    const graph = new Map([
      ['server.ts', ['hover.ts', 'safe.ts']],
      ['safe.ts', []],
      ['hover.ts', ['safe.ts', 'server.ts']],
    ]);
    expect(findCycle(graph)).toEqual(['server.ts', 'hover.ts', 'server.ts']);
    expect(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toBeNull();
  });

  it('reads type-only imports and re-exports too', () => {
    const server = join(SRC, 'server', 'server.ts');
    expect(importGraph([server, join(SRC, 'server', 'feature.ts')]).get(server)).toEqual([join(SRC, 'server', 'feature.ts')]);
  });

  it('src/server has none: feature modules import their contract from feature.ts, not server.ts', () => {
    expect(named(findCycle(importGraph(tsFiles(join(SRC, 'server')))))).toBeNull();
  });

  it('src/language has none', () => {
    expect(named(findCycle(importGraph(tsFiles(join(SRC, 'language')))))).toBeNull();
  });
});

describe('one name, one meaning', () => {
  /** Known collisions still to be resolved, each with where it is; remove an entry once it is. */
  const pending: Record<string, string> = {};

  it('every exported type, interface and class of src/ and webview/ is defined in one file', () => {
    const files = [...tsFiles(SRC), ...tsFiles(join(__dirname, '..', 'webview'))];
    const where = new Map<string, string[]>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^export (?:declare )?(?:type|interface|class|enum) ([A-Za-z0-9_]+)/gm)) {
        where.set(m[1], [...(where.get(m[1]) ?? []), relative(join(SRC, '..'), file)]);
      }
    }
    const collisions = [...where].filter(([name, list]) => list.length > 1 && !(name in pending)).map(([name, list]) => `${name}: ${list.join(', ')}`);
    expect(collisions).toEqual([]);
    // A resolved collision leaves the list, so it cannot come back unnoticed.
    expect(Object.keys(pending).filter((name) => (where.get(name)?.length ?? 0) < 2)).toEqual([]);
  });
});
