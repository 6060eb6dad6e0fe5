// The run state's table (src/language/incremental/checkpoint.ts): every field
// of the state is copied so that the copy and the live state never change each
// other, and two states that differ in any one field are never taken as the
// same. The fields are enumerated from a live state, not from the table, so a
// field dropped from the table fails here.
import { describe, expect, it } from 'vitest';
import { analyzeWithHooks } from '../../../src/language/analyze';
import { sameAnalyzerState, takeCheckpoint, type Checkpoint, type Correspondence } from '../../../src/language/incremental/checkpoint';
import { Shift } from '../../../src/language/incremental/offsets';
import { parse } from '../../../src/language/parser';
import type { AnalyzerState } from '../../../src/language/analyzer-state';

// Before `relu`, every field of the state holds something: a label, a warning
// (the stride drops a row), block calls, a dry run (`if false`), names, counters.
const text = `block pair(c) {
  y = conv c, k=3, padding=1
  add(y, in)
}
model M {
  input x: 8×9×9
  stem: conv 8, k=1
  a = conv 8, k=2, stride=2
  if false { gap }
  pair(8)
  repeat 2 { pair(8) }
  relu
}
`;

/** Runs `look` on the live state before the model's last statement, while the run is there, with a way to take checkpoints of it. */
function atLastStatement(look: (live: AnalyzerState, take: () => Checkpoint) => void): void {
  const program = parse(text);
  let looked = false;
  analyzeWithHooks(text, program, {
    betweenStatements: (index, state, model) => {
      if (index === model.body.statements.length - 1) {
        look(state, () => takeCheckpoint(program, model, index, state)!);
        looked = true;
      }
      return null;
    },
  });
  expect(looked).toBe(true);
}

/** No edit: every span corresponds to itself, and no statement is the edited one. */
const identity: Correspondence = { shift: new Shift({ start: text.length, oldLength: 0, newLength: 0 }), editedBefore: { start: text.length, end: text.length }, editedNow: { start: text.length, end: text.length } };

/** One change per field that the rest of the model would see (in place for containers, so that a shared container shows). */
const changes: { readonly [K in keyof AnalyzerState]-?: (state: AnalyzerState) => void } = {
  layers: (s) => void s.layers.push(s.layers[0]),
  diagnostics: (s) => void s.diagnostics.push({ code: 'unknown-name', severity: 'error', span: { start: 1, end: 2 }, message: 'changed' }),
  symbols: (s) => {
    const [start, symbol] = s.symbols.entries().next().value!;
    s.symbols.set(start, { ...symbol, isResult: !symbol.isResult });
  },
  calls: (s) => {
    const [start, record] = s.calls.entries().next().value!;
    s.calls.set(start, { ...record, count: record.count + 1 });
  },
  calledBlocks: (s) => void s.calledBlocks.add('other'),
  dryRunSpans: (s) => void s.dryRunSpans.add(1),
  names: (s) => void s.names.delete(s.names.keys().next().value!),
  counters: (s) => void s.counters.set('conv', (s.counters.get('conv') ?? 0) + 1),
  labels: (s) => void s.labels.add('other'),
  current: (s) => {
    s.current = s.current!.renamed('other', s.current!.origin);
  },
  modelInput: (s) => {
    s.modelInput = null;
  },
  tensorCount: (s) => void s.tensorCount++,
  // The rest adds the same to either total; the comparison refuses only when the sum would not be exact.
  totalParams: (s) => {
    s.totalParams = 2 ** 53;
  },
  totalMacs: (s) => {
    s.totalMacs = 2 ** 53;
  },
  steps: (s) => void s.steps++,
  budgetExceeded: (s) => {
    s.budgetExceeded = !s.budgetExceeded;
  },
};

describe('the run state table', () => {
  let fields: (keyof AnalyzerState)[] = [];
  atLastStatement((live) => {
    fields = Object.keys(live) as (keyof AnalyzerState)[];
  });

  it('covers a state where every container holds something', () => {
    atLastStatement((live, take) => {
      expect(fields.length).toBeGreaterThanOrEqual(16);
      for (const key of fields) {
        const value: unknown = live[key];
        if (Array.isArray(value)) expect(value.length, key).toBeGreaterThan(0);
        if (value instanceof Map || value instanceof Set) expect(value.size, key).toBeGreaterThan(0);
      }
      expect(live.diagnostics.map((d) => d.code)).toEqual(['stride-drops-input']);
      expect([...live.labels]).toContain('stem');
      expect(sameAnalyzerState(take().state, take().state, identity)).toBe(true);
    });
  });

  for (const key of Object.keys(changes) as (keyof AnalyzerState)[]) {
    it(`refuses reuse when \`${key}\` differs`, () => {
      expect(fields).toContain(key);
      atLastStatement((_, take) => {
        const a = take();
        const b = take();
        changes[key](b.state);
        expect(sameAnalyzerState(a.state, b.state, identity)).toBe(false);
      });
    });

    it(`copies \`${key}\`: changing the live state afterwards leaves the checkpoint as it was`, () => {
      atLastStatement((live, take) => {
        const kept = take();
        const reference = take();
        changes[key](live);
        expect(sameAnalyzerState(kept.state, reference.state, identity)).toBe(true);
        expect(sameAnalyzerState(kept.state, take().state, identity)).toBe(false);
      });
    });
  }

  it('has a change for every field of a live state', () => {
    expect(Object.keys(changes).sort()).toEqual([...fields].sort());
  });
});
