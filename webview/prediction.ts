/**
 * What the preview says a classifier predicts: the core's reading of the
 * scores (src/core/image.ts `topClasses`: a softmax over logits, the values
 * themselves when the model already ends in one), named as `convlens run`
 * names them (ImageNet classes for a 1,000-way output). Pure.
 */
import { labelsFor } from '../src/core/class-labels';
import { topClasses, type ClassScore } from '../src/core/image';
import type { OutputChannels, PlanMessage } from '../src/protocol/webview';
import { isTiles } from './tiles';

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

/** What the toolbar says a finished run predicts. */
export interface PredictionLine {
  readonly text: string;
  /** The top five, one a line. */
  readonly title: string;
  readonly classIndex: number;
  readonly random: boolean;
}

/**
 * The prediction of a run that reached the model's end, when its output is a
 * score vector (2 to 1,000 classes); null otherwise.
 */
export function predictionLine(plan: PlanMessage, output: OutputChannels | undefined): PredictionLine | null {
  if (plan.stop || plan.layers.length === 0) return null;
  if (!output || isTiles(output) || output.shape.length !== 1 || output.shape[0] < 2 || output.shape[0] > 1000) return null;
  const top = predict(output.data, 5);
  const random = plan.layers.some((l) => l.weightOrigin === 'random');
  return {
    text: `Prediction${random ? ' (random weights)' : ''}: ${describeClass(top[0])}`,
    title: `Top-${top.length}:\n${top.map(describeClass).join('\n')}`,
    classIndex: top[0].index,
    random,
  };
}
