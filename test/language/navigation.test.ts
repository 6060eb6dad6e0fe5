import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import type { Span } from '../../src/language/ast';
import { definition, highlights, prepareRename, references, rename } from '../../src/language/navigation';

const text = `block proj(c, stride=1) {
  y = conv c, k=1, stride=stride
  y | relu
}

model M {
  input image: 8×32×32
  feat = conv 8, k=3, padding=1
  proj(8)
  add(feat, image) | proj(8, stride=2)
  feat | relu
}
`;
const analysis = analyze(text);

/** The span of the nth occurrence of `needle`. */
function spanOf(needle: string, nth = 0): Span {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  return { start: at, end: at + needle.length };
}
const at = (needle: string, nth = 0, delta = 0) => spanOf(needle, nth).start + delta;

describe('navigation', () => {
  it('goes from a tensor’s use, a block call (also just after its name) and a parameter’s use to the definition', () => {
    expect(definition(analysis, at('feat', 1))).toEqual(spanOf('feat', 0));
    expect(definition(analysis, at('proj(8)', 0, 4))).toEqual(spanOf('proj', 0));
    expect(definition(analysis, at('stride', 2))).toEqual(spanOf('stride', 0));
  });

  it('has no definition for a layer kind or a number', () => {
    expect(definition(analysis, at('relu'))).toBeNull();
    expect(definition(analysis, at('32'))).toBeNull();
  });

  it('finds every reference, with or without the declaration', () => {
    expect(references(analysis, at('feat'), { includeDeclaration: true })).toEqual([spanOf('feat', 0), spanOf('feat', 1), spanOf('feat', 2)]);
    expect(references(analysis, at('feat'), { includeDeclaration: false })).toEqual([spanOf('feat', 1), spanOf('feat', 2)]);
  });

  it('highlights the definition as a write and the uses as reads', () => {
    expect(highlights(analysis, at('image'))).toEqual([
      { span: spanOf('image', 0), kind: 'write' },
      { span: spanOf('image', 1), kind: 'read' },
    ]);
  });

  it('prepares a rename on the name under the cursor', () => {
    expect(prepareRename(analysis, at('proj(8, stride'))).toEqual({ span: spanOf('proj', 2), placeholder: 'proj' });
    expect(prepareRename(analysis, at('relu'))).toBeNull();
  });

  it('renames a block at its definition and every call', () => {
    const result = rename(analysis, at('proj'), 'projection');
    expect(result).toEqual({ changes: [0, 1, 2].map((n) => ({ span: spanOf('proj', n), newText: 'projection' })) });
  });

  it('refuses a keyword, a built-in layer for a block, or a non-name', () => {
    expect(rename(analysis, at('feat'), 'repeat')).toEqual({ refused: '`repeat` is a keyword' });
    expect(rename(analysis, at('feat'), 'in')).toEqual({ refused: '`in` is a keyword' });
    expect(rename(analysis, at('proj'), 'conv')).toEqual({ refused: '`conv` is a built-in layer' });
    expect(rename(analysis, at('feat'), '2x')).toEqual({ refused: '`2x` is not a name: use letters, digits and _, not starting with a digit' });
    for (const keyword of ['model', 'block', 'input', 'weights', 'let', 'repeat', 'as', 'if', 'else', 'true', 'false', 'and', 'or', 'not']) {
      expect(rename(analysis, at('feat'), keyword), keyword).toEqual({ refused: `\`${keyword}\` is a keyword` });
    }
    expect(rename(analysis, at('feat'), 'models')).toHaveProperty('changes');
    // A tensor may take a layer's name; only a block would shadow the layer.
    expect(rename(analysis, at('feat'), 'conv')).toHaveProperty('changes');
  });
});
