/**
 * What the preview's page needs to know about the spec before its worker has
 * analysed it: the model's input shape (its first input choice, the pattern
 * thumbnails' aspect) and the weights file it names (asked for before the
 * first run, so that run does not go ahead on the random init). The language
 * server has analysed the document already: it is asked first, and the
 * extension analyses the text itself only when the server cannot answer for
 * this version. Free of `vscode`.
 */
import { analyze } from '../language/analyze';
import { modelFacts } from '../language/model-facts';
import type { PreviewFactsResult } from '../protocol/lsp';
import type { SpecFacts } from '../protocol/webview';

/** A document as the facts need it. */
export interface FactsDocument {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

export type FactsSource = (document: FactsDocument) => Promise<SpecFacts>;

/** How long to wait for the server before analysing here: the page waits for the facts before it starts a run. */
export const SERVER_FACTS_TIMEOUT_MS = 1000;

/** The facts from the extension's own analysis of the text. */
export function specFacts(text: string): SpecFacts {
  return modelFacts(analyze(text));
}

/**
 * Facts from the server's analysis of this version of the document (the
 * `convlens/previewFacts` request); from the extension's own when the server
 * is not running, fails, is behind, or takes longer than `timeoutMs`.
 */
export function serverFacts(request: (uri: string) => Promise<PreviewFactsResult | null>, timeoutMs = SERVER_FACTS_TIMEOUT_MS): FactsSource {
  return async (document) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      const result = await Promise.race([request(document.uri), late]);
      if (result && result.version === document.version) return { inputShape: result.inputShape, weightsPath: result.weightsPath };
    } catch {
      // Not running, or the request failed: analysed here instead.
    } finally {
      clearTimeout(timer);
    }
    return specFacts(document.getText());
  };
}
