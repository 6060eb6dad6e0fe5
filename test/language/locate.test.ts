import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { argumentAt, callAt, callSummaryOf, contains, itemAt, layersOf, layerStatementAt, symbolAt, wordAt } from '../../src/language/locate';

const text = `block pair(c) {
  conv c, k=3, padding=1 | relu
  add in
}
model M {
  input x: 8×16×16
  stem: conv 8, k=1
  repeat 2 {
    pair(8)
  }
  y = relu
  if true {
    z = y | maxpool 2
  }
}
`;
const analysis = analyze(text);
/** The offset of the `nth` occurrence of `needle`, plus `plus`. */
function at(needle: string, plus = 0, nth = 1): number {
  let offset = -1;
  for (let i = 0; i < nth; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`no ${needle}`);
  return offset + plus;
}
const slice = (span: { start: number; end: number } | undefined) => (span ? text.slice(span.start, span.end) : undefined);

it('the example analyses cleanly', () => {
  expect(analysis.diagnostics).toEqual([]);
});

describe('contains', () => {
  it('is half-open: the end is past the span', () => {
    expect(contains({ start: 2, end: 4 }, 2)).toBe(true);
    expect(contains({ start: 2, end: 4 }, 3)).toBe(true);
    expect(contains({ start: 2, end: 4 }, 4)).toBe(false);
  });
});

describe('callAt', () => {
  it('finds the stage of a pipeline under the offset, with its statement and item', () => {
    const found = callAt(analysis.program, at('relu', 1))!;
    expect(found.call.callee.name).toBe('relu');
    expect(slice(found.statement.span)).toBe('conv c, k=3, padding=1 | relu');
    expect(found.item.name.name).toBe('pair');
    expect(found.label).toBeUndefined();
  });

  it('on a label, gives the labelled call and the label', () => {
    const found = callAt(analysis.program, at('stem'))!;
    expect(found.call.callee.name).toBe('conv');
    expect(found.label?.name).toBe('stem');
  });

  it('looks inside repeats and branches', () => {
    expect(callAt(analysis.program, at('pair(8)'))?.call.callee.name).toBe('pair');
    expect(callAt(analysis.program, at('maxpool'))?.call.callee.name).toBe('maxpool');
  });

  it('finds nothing between calls, on other statements or outside items', () => {
    expect(callAt(analysis.program, at(' | relu', 1))).toBeNull();
    expect(callAt(analysis.program, at('input'))).toBeNull();
    expect(callAt(analysis.program, text.length)).toBeNull();
  });
});

describe('layerStatementAt and itemAt', () => {
  it('find the pipeline and the block or model holding an offset', () => {
    expect(slice(layerStatementAt(analysis.program, at('y ='))?.span)).toBe('y = relu');
    expect(slice(layerStatementAt(analysis.program, at('pair(8)', 2))?.span)).toBe('pair(8)');
    expect(layerStatementAt(analysis.program, at('repeat'))).toBeNull();
    expect(itemAt(analysis.program, at('add'))?.name.name).toBe('pair');
    expect(itemAt(analysis.program, at('input'))?.name.name).toBe('M');
  });
});

describe('argumentAt', () => {
  it('finds the argument under the offset, keyword and value alike', () => {
    const call = callAt(analysis.program, at('padding=1'))!.call;
    expect(argumentAt(call, at('padding=1'))?.name?.name).toBe('padding');
    expect(argumentAt(call, at('padding=1', 8))?.name?.name).toBe('padding');
    expect(argumentAt(call, at('conv c', 5))?.name).toBeUndefined();
    expect(argumentAt(call, at('conv c'))).toBeNull();
  });
});

describe('symbolAt', () => {
  it('finds a definition or a reference, end excluded unless asked', () => {
    const definition = at('y =');
    expect(symbolAt(analysis, definition)?.symbol.name).toBe('y');
    expect(symbolAt(analysis, at('y |'))?.span).toEqual({ start: at('y |'), end: at('y |') + 1 });
    expect(symbolAt(analysis, definition + 1)).toBeNull();
    expect(symbolAt(analysis, definition + 1, { includeEnd: true })?.symbol.name).toBe('y');
  });
});

describe('wordAt', () => {
  it('gives the whole word under the offset, or nothing off a word', () => {
    expect(wordAt(text, at('add in', 5))).toEqual({ name: 'in', span: { start: at('add in', 4), end: at('add in', 4) + 2 } });
    expect(wordAt(text, at('padding=1', 3))?.name).toBe('padding');
    expect(wordAt(text, at('padding=1', 7))).toBeNull();
    expect(wordAt(text, text.length)).toBeNull();
    expect(wordAt('k_2x', 0)?.name).toBe('k_2x');
  });
});

describe('layersOf and callSummaryOf', () => {
  it('give every layer a call expanded to, and a block call site’s totals', () => {
    const conv = callAt(analysis.program, at('conv c'))!.call;
    expect(layersOf(analysis, conv).map((l) => l.name)).toEqual(['pair1.conv1', 'pair2.conv1']);
    const pair = callAt(analysis.program, at('pair(8)'))!.call;
    expect(layersOf(analysis, pair)).toEqual([]);
    expect(callSummaryOf(analysis, pair)).toMatchObject({ block: 'pair', expansions: 2 });
    expect(callSummaryOf(analysis, conv)).toBeUndefined();
  });
});
