import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { weightsLinks } from '../../src/language/document-links';

describe('weightsLinks', () => {
  it('covers the text inside the quotes of every non-empty weights path, inside repeats and branches too', () => {
    const text = 'model M {\n  input x: 1×8×8\n  weights "a b.safetensors"\n  if true {\n    weights "w/c.safetensors"\n  }\n  weights ""\n  relu\n}\n';
    const links = weightsLinks(analyze(text));
    expect(links.map((l) => [text.slice(l.span.start, l.span.end), l.path])).toEqual([
      ['a b.safetensors', 'a b.safetensors'],
      ['w/c.safetensors', 'w/c.safetensors'],
    ]);
  });

  it('gives the unescaped path beside the span of its source text', () => {
    const text = 'model M {\n  input x: 1×8×8\n  weights "a\\"b.safetensors"\n}\n';
    const [link] = weightsLinks(analyze(text));
    expect(text.slice(link.span.start, link.span.end)).toBe('a\\"b.safetensors');
    expect(link.path).toBe('a"b.safetensors');
  });
});
