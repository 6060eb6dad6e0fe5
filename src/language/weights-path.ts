/**
 * Where a spec's `weights "…"` file is: the one rule the CLI, the preview and
 * the document links share, so that all three read the same file or refuse
 * the same string. Pure: paths are absolute, `/`-separated strings (a
 * Windows path as `C:/dir/x`); the edges turn them into URIs or file names.
 *
 * The rule (docs/language.md, "Weights"):
 * - the string is a path relative to the `.cnn` file's folder; `\` separates
 *   like `/`, and `.` and `..` are resolved before anything is compared;
 * - absolute paths, drive letters, URLs (`file:`, `https:`, `command:` …),
 *   control characters and names not ending in `.safetensors` are refused;
 * - the resolved file must lie inside one of the edge's roots (the preview:
 *   the workspace folder; the CLI: the spec's folder or the working directory),
 *   compared segment by segment, so `/ws-evil` is not inside `/ws`.
 */

import { messages } from './messages';

export type WeightsPathProblem = 'empty' | 'url' | 'absolute' | 'control-character' | 'not-safetensors' | 'outside';

export type WeightsPathResolution =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly problem: WeightsPathProblem; readonly message: string };

/** Why the string cannot name a weights file, whatever folder the spec is in; undefined when it can. */
export function weightsPathProblem(weights: string): { readonly problem: WeightsPathProblem; readonly message: string } | undefined {
  if (/[\u0000-\u001f\u007f]/.test(weights)) return refusal('control-character', messages.weightsPathControl());
  const path = weights.trim();
  if (path === '') return refusal('empty', messages.weightsPathEmpty());
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(path)) {
    return refusal('url', messages.weightsPathUrl(path.slice(0, path.indexOf(':') + 1)));
  }
  if (/^[\\/]/.test(path) || /^[A-Za-z]:/.test(path) || path.startsWith('~')) {
    return refusal('absolute', messages.weightsPathAbsolute());
  }
  if (!/\.safetensors$/i.test(path)) return refusal('not-safetensors', messages.weightsPathNotSafetensors());
  return undefined;
}

export interface WeightsPathOptions {
  /** Absolute folders the file must lie in (normalised here); default: the spec's folder. */
  readonly roots?: readonly string[];
  /** What the roots are, for the refusal: "the workspace" unless given. */
  readonly rootsLabel?: string;
}

/** The weights file of the spec at `specPath` (absolute), resolved and normalised, if it lies inside one of the roots. */
export function resolveWeightsPath(specPath: string, weights: string, options: WeightsPathOptions = {}): WeightsPathResolution {
  const problem = weightsPathProblem(weights);
  if (problem) return { ok: false, ...problem };
  const folder = parentPath(normalizePath(specPath));
  const path = normalizePath(`${folder}/${weights.trim().replace(/\\/g, '/')}`);
  const allowed = (options.roots ?? [folder]).map(normalizePath);
  if (!allowed.some((root) => isWithin(root, path))) return { ok: false, ...refusal('outside', messages.weightsPathOutside(options.rootsLabel ?? 'the workspace')) };
  return { ok: true, path };
}

/**
 * `path` with `\` as `/`, `.` and empty segments dropped and `..` applied; a
 * `..` at the root stays at the root, as the file system does. The root is
 * `/` or a drive (`C:/`).
 */
export function normalizePath(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:/.exec(slashed)?.[0] ?? '';
  const segments: string[] = [];
  for (const segment of slashed.slice(drive.length).split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `${drive}/${segments.join('/')}`;
}

/** Whether normalised `path` is `root` or inside it, comparing whole segments (drive letters case-blind). */
export function isWithin(root: string, path: string): boolean {
  const fold = (p: string) => p.replace(/^[A-Za-z]:/, (d) => d.toUpperCase());
  const r = fold(root);
  const p = fold(path);
  return p === r || p.startsWith(r.endsWith('/') ? r : `${r}/`);
}

/** The folder holding normalised `path`. */
export function parentPath(path: string): string {
  const cut = path.lastIndexOf('/');
  const parent = path.slice(0, cut);
  return parent === '' || /^[A-Za-z]:$/.test(parent) ? `${parent}/` : parent;
}

function refusal(problem: WeightsPathProblem, message: string): { readonly problem: WeightsPathProblem; readonly message: string } {
  return { problem, message };
}
