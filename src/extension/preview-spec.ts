/**
 * What the preview's page needs to know about the spec before its worker has
 * analysed it: the model's input shape (its first input choice, the pattern
 * thumbnails' aspect) and the weights file it names (asked for before the
 * first run, so that run does not go ahead on the random init). Read from
 * the language's own analysis, the one the worker and the server make. Pure.
 */
import { analyze } from '../language/analyze';
import type { SpecFacts } from '../protocol/webview';

export function specFacts(text: string): SpecFacts {
  const model = analyze(text).model;
  return { inputShape: model?.inputShape ? [...model.inputShape] : null, weightsPath: model?.weightsPath ?? null };
}
