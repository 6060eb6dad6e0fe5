// Parsing again only what an edit reached, taking the rest of the previous
// syntax tree moved into place: every result equals a fresh parse().
import { describe, expect, it } from 'vitest';
import { parseReusingItems } from '../../../src/language/incremental/reparse';
import { parse } from '../../../src/language/parser';
import { random, samples } from '../same-analysis';

describe('parseReusingItems', () => {
  /** An edit inside a random block (an item that is not the last): a character typed, deleted or changed, or a snippet. */
  function editInBlock(text: string, next: () => number): { text: string; edit: { start: number; oldLength: number; newLength: number } } | null {
    const starts = [...text.matchAll(/^block /gm)].map((m) => m.index!);
    if (starts.length === 0) return null;
    const start = starts[Math.floor(next() * starts.length)];
    const end = text.indexOf('\n}', start) + 2;
    const at = start + Math.floor(next() * (end - start));
    const snippets = ['1', ' ', 'x', '\n', '\n  relu\n', '}', '{', '(', ', k=3', '}\nblock c() {\n  relu\n', '#', '"'];
    const inserted = next() < 0.6 ? snippets[Math.floor(next() * snippets.length)] : '';
    const removed = inserted && next() < 0.5 ? 0 : Math.min(end - at, Math.floor(next() * 4));
    return { text: text.slice(0, at) + inserted + text.slice(at + removed), edit: { start: at, oldLength: removed, newLength: inserted.length } };
  }

  it('gives what parse gives for edits inside the blocks before a model, or null and the previous tree untouched', () => {
    const next = random(8000);
    let reused = 0;
    let tried = 0;
    for (const sample of samples) {
      for (let i = 0; i < 60; i++) {
        const change = editInBlock(sample.text, next);
        if (!change) break;
        tried++;
        const previous = parse(sample.text);
        const program = parseReusingItems(change.text, previous, change.edit)?.program;
        if (program) {
          reused++;
          expect(program, `${sample.name} edit ${i}`).toEqual(parse(change.text));
        } else {
          expect(previous, `${sample.name} edit ${i}: untouched`).toEqual(parse(sample.text));
        }
      }
    }
    expect(tried).toBeGreaterThan(200);
    // Edits that leave a syntax error in the block are parsed whole; the others reuse.
    expect(reused).toBeGreaterThan(tried * 0.3);
  });

  it('declines an edit in the last item, one reaching the next item, or a text with errors', () => {
    const text = 'block b(c) {\n  conv c\n}\nmodel M {\n  input x: 3×8×8\n  b(8)\n}\n';
    const inModel = text.indexOf('b(8)');
    expect(parseReusingItems(text.replace('b(8)', 'b(9)'), parse(text), { start: inModel + 2, oldLength: 1, newLength: 1 })).toBeNull();
    const reaching = text.indexOf('}\nmodel');
    expect(parseReusingItems(text.slice(0, reaching) + text.slice(reaching + 2), parse(text), { start: reaching, oldLength: 2, newLength: 0 })).toBeNull();
    const broken = text.replace('conv c', 'conv c,,');
    expect(parseReusingItems(broken, parse(text), { start: text.indexOf('conv c') + 6, oldLength: 0, newLength: 2 })).toBeNull();
    const fixed = parseReusingItems(text, parse(broken), { start: text.indexOf('conv c') + 6, oldLength: 2, newLength: 0 });
    expect(fixed).toBeNull();
    // Deferred, the previous tree stays as it was until the move.
    const previous = parse(text);
    const at = text.indexOf('conv c') + 5;
    const deferred = parseReusingItems(text.replace('conv c', 'conv cc'), previous, { start: at, oldLength: 0, newLength: 1 }, true)!;
    expect(previous).toEqual(parse(text));
    deferred.move!();
    expect(deferred.program).toEqual(parse(text.replace('conv c', 'conv cc')));
  });
});
