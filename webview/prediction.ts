/**
 * What the preview says a classifier predicts: the core's reading of the
 * scores (src/core/image.ts `topClasses`: a softmax over logits, the values
 * themselves when the model already ends in one), named as `convlens run`
 * names them (ImageNet classes for a 1,000-way output). Pure.
 */
import { labelsFor } from '../src/core/class-labels';
import { topClasses, type ClassScore } from '../src/core/image';

export interface Prediction extends ClassScore {
  /** The class name, when the output size has known names. */
  readonly label?: string;
}

/** The `count` most probable classes of a score vector, best first. */
export function predict(scores: ArrayLike<number>, count: number): Prediction[] {
  const names = labelsFor({ kind: 'auto' }, scores.length);
  return topClasses(scores, count).map((c) => (names ? { ...c, label: names[c.index] } : c));
}

/** `class 207 (golden retriever) 45.1%`, as the CLI prints each of its top-5. */
export function describeClass(prediction: Prediction): string {
  return `class ${prediction.index}${prediction.label ? ` (${prediction.label})` : ''} ${(100 * prediction.probability).toFixed(1)}%`;
}
