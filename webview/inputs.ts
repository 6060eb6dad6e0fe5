/** The input picker's choices, encoded as one string each for the dropdown. Pure. */
import { formatShape } from '../src/language/notation';
import type { ImageEntry, InputChoice, PatternName, ShapeNotation } from '../src/protocol/webview';
import { PATTERNS } from './patterns';

export type InputKey = `pattern:${PatternName}` | `image:${string}`;

export function inputKey(choice: InputChoice): InputKey {
  return choice.kind === 'pattern' ? `pattern:${choice.pattern}` : `image:${choice.id}`;
}

export function parseInputKey(key: string): InputChoice | null {
  if (key.startsWith('pattern:')) {
    const name = key.slice('pattern:'.length);
    const known = PATTERNS.find((p) => p.name === name);
    return known ? { kind: 'pattern', pattern: known.name } : null;
  }
  if (key.startsWith('image:')) return { kind: 'image', id: key.slice('image:'.length) };
  return null;
}

const DIGIT = /digit|mnist|^\d\b|[-_ ]\d\.(png|jpe?g)$/i;
const PATTERN = /pattern|checker|stripe|gradient|synthetic|circle|noise/i;

/**
 * A sensible first input: a digit for small one-channel models (LeNet), a
 * photo for other image models, a pattern when there are no images or the
 * input is not an image.
 */
export function defaultInput(shape: readonly number[] | null, images: readonly ImageEntry[]): InputChoice {
  if (!shape || shape.length === 2) return { kind: 'pattern', pattern: 'chirp' };
  if (shape.length !== 3) return { kind: 'pattern', pattern: 'circle' };
  const samples = images.filter((i) => i.group === 'sample');
  const pool = samples.length > 0 ? samples : images;
  const small = shape[0] === 1 && Math.max(shape[1], shape[2]) <= 32;
  const pick = small
    ? pool.find((i) => DIGIT.test(i.label))
    : (pool.find((i) => !DIGIT.test(i.label) && !PATTERN.test(i.label)) ?? pool.find((i) => !DIGIT.test(i.label)));
  if (pick) return { kind: 'image', id: pick.id };
  return { kind: 'pattern', pattern: small ? 'circle' : 'checkerboard' };
}

/**
 * Why an image cannot be this model's input, or null when it can: an image
 * is C×H×W (resized, its channels converted), so a signal or a volume takes
 * a pattern instead. `convlens run --image` refuses the same (error[run-input]).
 */
export function imageRefusal(shape: readonly number[], notation: ShapeNotation): string | null {
  if (shape.length === 3) return null;
  return `an image needs a ${['C', 'H', 'W'].join(notation)} input; this model takes ${formatShape(shape, notation)}: pick a pattern`;
}
