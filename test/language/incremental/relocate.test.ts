// relocateSyntax moves a parsed tree in place as if the text had been parsed at
// another offset: every span once, including those the parser shares between
// nodes (a bare call's span is its callee's, a positional argument's its value's).
import { describe, expect, it } from 'vitest';
import { relocateSyntax, takeOver } from '../../../src/language/incremental/relocate';
import { parse } from '../../../src/language/parser';
import { samples } from '../same-analysis';

describe('relocateSyntax', () => {
  for (const sample of samples) {
    it(`moves ${sample.name} to where it parses after inserted lines`, () => {
      const moved = parse(sample.text);
      const prefix = '\n\n# moved\n';
      const at = parse(prefix + sample.text);
      relocateSyntax(takeOver({ items: moved.items, comments: moved.comments }), prefix.length);
      expect(moved.items).toEqual(at.items);
      expect(moved.comments).toEqual(at.comments.slice(1));
    });
  }

  it('moves backwards too, and moves nothing by 0', () => {
    const text = 'block b(c, s=1) {\n  y = conv c, stride=s | relu\n  add(y, in)\n}\nmodel M {\n  input x: 3×8×8\n  b(8)  # call\n  if true { relu } else if false { gap } else { flatten }\n}\n';
    const moved = parse(`   ${text}`);
    relocateSyntax(takeOver({ items: moved.items, comments: moved.comments }), -3);
    expect(moved).toEqual(parse(text));
    const still = parse(text);
    relocateSyntax(takeOver({ items: still.items, comments: still.comments }), 0);
    expect(still).toEqual(parse(text));
  });

  it('moves an expression of 50,000 terms without running out of stack', () => {
    const text = `model M {\n  input x: 3×8×8\n  conv ${Array(50_000).fill('1').join('+')}, k=1\n}\n`;
    const moved = parse(` ${text}`);
    relocateSyntax(takeOver({ items: moved.items, comments: moved.comments }), -1);
    expect(moved.items[0].span).toEqual(parse(text).items[0].span);
    const conv = moved.items[0].body.statements[1];
    expect(conv.span).toEqual(parse(text).items[0].body.statements[1].span);
  });
});
