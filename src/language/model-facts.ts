/**
 * What a spec's model says about its input and its weights file, read from
 * its analysis: the preview's page acts on these before its worker has
 * analysed the text (the first input it picks, the weights it waits for).
 * Pure.
 */
import type { Analysis } from './types';

export interface ModelFacts {
  /** The model's input shape; null when there is no model or the shape is unknown. */
  readonly inputShape: readonly number[] | null;
  /** The `weights "…"` path the model names, as written; null when none. */
  readonly weightsPath: string | null;
}

export function modelFacts(analysis: Analysis): ModelFacts {
  const model = analysis.model;
  return { inputShape: model?.inputShape ? [...model.inputShape] : null, weightsPath: model?.weightsPath ?? null };
}
