/**
 * Class names for a classifier's output: the built-in ImageNet-1k list, or a
 * user's labels file (one name per line, or a JSON array of strings).
 */
import { IMAGENET_CLASSES } from './imagenet-classes';

/** Bounds on a labels file, so a wrong file (a binary, a huge log) fails fast. */
export const LABEL_LIMITS = { maxLabels: 100_000, maxLength: 256 } as const;

export class LabelsError extends Error {}

/**
 * Reads a labels file. A JSON array of strings is taken as is; anything else
 * is one label per line (CRLF or LF; trailing blank lines dropped, blank lines
 * inside kept as empty names so indices stay aligned).
 */
export function parseLabels(text: string): string[] {
  if (text.includes('\u0000')) throw new LabelsError('not a text file');
  const trimmed = text.trim();
  let labels: string[];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new LabelsError(`not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new LabelsError('a JSON labels file must be an array of strings');
    labels = parsed;
  } else {
    labels = text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trim());
    while (labels.length > 0 && labels[labels.length - 1] === '') labels.pop();
  }
  if (labels.length === 0) throw new LabelsError('no labels');
  if (labels.length > LABEL_LIMITS.maxLabels) throw new LabelsError(`${labels.length.toLocaleString('en-US')} labels; at most ${LABEL_LIMITS.maxLabels.toLocaleString('en-US')} are read`);
  const long = labels.findIndex((l) => l.length > LABEL_LIMITS.maxLength);
  if (long >= 0) throw new LabelsError(`label ${long + 1} is ${labels[long].length} characters long; at most ${LABEL_LIMITS.maxLength} are allowed`);
  return labels;
}

/** Which names to print for a classifier's `classCount` outputs. */
export type LabelChoice = { readonly kind: 'auto' } | { readonly kind: 'none' } | { readonly kind: 'imagenet' } | { readonly kind: 'list'; readonly labels: readonly string[]; readonly from: string };

/**
 * The labels for `classCount` classes, or null for plain indices. `auto` names
 * a 1,000-way output with the ImageNet classes (the only common 1,000-class
 * task) and leaves every other size as indices. An explicit choice whose size
 * does not match is an error rather than a silent misnaming.
 */
export function labelsFor(choice: LabelChoice, classCount: number): readonly string[] | null {
  switch (choice.kind) {
    case 'none':
      return null;
    case 'auto':
      return classCount === IMAGENET_CLASSES.length ? IMAGENET_CLASSES : null;
    case 'imagenet':
      if (classCount !== IMAGENET_CLASSES.length) throw new LabelsError(`the ImageNet labels name 1,000 classes, but the model outputs ${classCount.toLocaleString('en-US')}`);
      return IMAGENET_CLASSES;
    case 'list':
      if (choice.labels.length !== classCount) throw new LabelsError(`${choice.from} has ${choice.labels.length.toLocaleString('en-US')} labels, but the model outputs ${classCount.toLocaleString('en-US')} classes`);
      return choice.labels;
  }
}
