// AnalysisCache: one analysis per (uri, version), and for open documents an
// analyzer of their own that may reuse the previous version's analysis.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { DocumentAnalyzer } from '../../src/language/incremental/document-analyzer';
import type { Analysis } from '../../src/language/types';
import { AnalysisCache } from '../../src/server/analysis-cache';

const text = `model M {
  input x: 3×32×32
  conv 8, k=3
  relu
}
`;

describe('AnalysisCache', () => {
  it('gives each document its own analyzer, keeps it across versions and drops it on close', () => {
    const made: string[] = [];
    const cache = new AnalysisCache(analyze, () => {
      const analyzer = new DocumentAnalyzer();
      const id = `analyzer ${made.length}`;
      made.push(id);
      return (t: string): Analysis => analyzer.analyze(t);
    });
    const a1 = TextDocument.create('file:///a.cnn', 'cnn', 1, text);
    const b1 = TextDocument.create('file:///b.cnn', 'cnn', 1, text);
    cache.get(a1);
    cache.get(b1);
    const a2 = TextDocument.update(a1, [{ text: text.replace('conv 8', 'conv 16') }], 2);
    const analysis = cache.get(a2).analysis;
    expect(made).toEqual(['analyzer 0', 'analyzer 1']);
    expect(analysis.layers[0].outputShape).toEqual([16, 30, 30]);
    expect(cache.get(a2).analysis).toBe(analysis);

    cache.delete('file:///a.cnn');
    cache.get(TextDocument.create('file:///a.cnn', 'cnn', 1, text));
    expect(made).toHaveLength(3);
  });

  it('uses the plain analyzer when no per-document one is given', () => {
    const cache = new AnalysisCache(analyze);
    const doc = TextDocument.create('file:///a.cnn', 'cnn', 1, text);
    expect(cache.get(doc).analysis.layers).toHaveLength(2);
    expect(cache.get(doc).lines.lineCount).toBe(6);
  });

  it('stands in the plain analysis when a document analyzer fails, and gives the document a new analyzer', () => {
    let made = 0;
    const failures: string[] = [];
    const cache = new AnalysisCache(
      analyze,
      () => {
        made++;
        return (t: string): Analysis => {
          if (t.includes('relu')) throw new RangeError('Maximum call stack size exceeded');
          return analyze(t);
        };
      },
      (uri, error) => failures.push(`${uri}: ${(error as Error).message}`),
    );
    const doc = TextDocument.create('file:///a.cnn', 'cnn', 1, text);
    expect(cache.get(doc).analysis).toEqual(analyze(text));
    expect(failures).toEqual(['file:///a.cnn: Maximum call stack size exceeded']);
    cache.get(TextDocument.update(doc, [{ text: text.replace('relu', 'gelu') }], 2));
    expect(made).toBe(2);
  });
});
