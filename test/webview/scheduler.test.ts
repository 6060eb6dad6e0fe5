import { describe, expect, it } from 'vitest';
import { once, SlicedQueue, type Steps } from '../../webview/scheduler';

/** A queue on a fake clock: each step advances it by `stepMs`; `later` only records the continuation. */
function harness(budgetMs = 8) {
  let clock = 0;
  const pending: (() => void)[] = [];
  let drained = 0;
  const queue = new SlicedQueue({ budgetMs, now: () => clock, later: (f) => pending.push(f), onDrained: () => drained++ });
  const log: string[] = [];
  function* job(name: string, steps: number, stepMs: number): Steps {
    for (let i = 0; i < steps; i++) {
      clock += stepMs;
      log.push(`${name}${i}`);
      if (i < steps - 1) yield;
    }
  }
  const runSlice = () => {
    const f = pending.shift();
    if (!f) throw new Error('nothing scheduled');
    f();
  };
  return { queue, job, log, pending, runSlice, drained: () => drained, tick: (ms: number) => (clock += ms) };
}

describe('SlicedQueue', () => {
  it('runs steps until the budget is spent, then continues in a later task: budget=8 step=3 -> 3 steps a slice', () => {
    const h = harness(8);
    h.queue.add('a', 1, () => h.job('a', 7, 3));
    expect(h.log).toEqual([]);
    expect(h.pending).toHaveLength(1);
    h.runSlice();
    expect(h.log).toEqual(['a0', 'a1', 'a2']);
    h.runSlice();
    expect(h.log).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    h.runSlice();
    expect(h.log).toHaveLength(7);
    expect(h.pending).toHaveLength(0);
    expect(h.drained()).toBe(1);
  });

  it('schedules one continuation however many jobs are added', () => {
    const h = harness();
    h.queue.add('a', 1, () => h.job('a', 1, 1));
    h.queue.add('b', 1, () => h.job('b', 1, 1));
    expect(h.pending).toHaveLength(1);
    h.runSlice();
    expect(h.log).toEqual(['a0', 'b0']);
  });

  it('runs urgent jobs in order before any background job', () => {
    const h = harness(100);
    h.queue.add('bg', 1, () => h.job('bg', 1, 1), 'background');
    h.queue.add('u1', 1, () => h.job('u', 2, 1));
    h.queue.add('u2', 1, () => h.job('v', 1, 1));
    h.runSlice();
    expect(h.log).toEqual(['u0', 'u1', 'v0', 'bg0']);
  });

  it('promote moves a background job behind the urgent ones; demote sends an unstarted one back', () => {
    const h = harness(100);
    h.queue.add('b1', 1, () => h.job('b', 1, 1), 'background');
    h.queue.add('c1', 1, () => h.job('c', 1, 1), 'background');
    h.queue.add('u', 1, () => h.job('u', 1, 1));
    h.queue.add('d', 1, () => h.job('d', 1, 1));
    h.queue.promote('c1');
    h.queue.demote('d');
    h.runSlice();
    expect(h.log).toEqual(['u0', 'c0', 'b0', 'd0']);
  });

  it('a job added again under its key replaces the queued one, started or not', () => {
    const h = harness(4);
    h.queue.add('a', 1, () => h.job('old', 4, 3));
    h.runSlice();
    expect(h.log).toEqual(['old0', 'old1']);
    h.queue.add('a', 2, () => h.job('new', 1, 1));
    h.runSlice();
    expect(h.log).toEqual(['old0', 'old1', 'new0']);
    expect(h.queue.size).toBe(0);
  });

  it('drop removes a superseded run’s jobs, started ones included', () => {
    const h = harness(4);
    h.queue.add('a', 1, () => h.job('a', 5, 3));
    h.queue.add('b', 1, () => h.job('b', 1, 1), 'background');
    h.queue.add('c', 2, () => h.job('c', 1, 1));
    h.runSlice();
    h.queue.drop((tag) => tag !== 2);
    h.runSlice();
    expect(h.log).toEqual(['a0', 'a1', 'c0']);
  });

  it('finish runs one job to its end at once, whatever the budget', () => {
    const h = harness(1);
    h.queue.add('x', 1, () => h.job('x', 1, 1));
    h.queue.add('a', 1, () => h.job('a', 5, 3), 'background');
    h.queue.finish('a');
    expect(h.log).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(h.queue.has('a')).toBe(false);
    expect(h.queue.has('x')).toBe(true);
  });

  it('a step may queue more work, which runs in the same slice when the budget allows', () => {
    const h = harness(100);
    h.queue.add('first', 1, () => once(() => h.queue.add('second', 1, () => once(() => h.log.push('second')))));
    h.runSlice();
    expect(h.log).toEqual(['second']);
    expect(h.pending).toHaveLength(0);
  });

  it('a step that throws is dropped, and the rest still runs later', () => {
    const h = harness(100);
    h.queue.add('bad', 1, () => once(() => {
      throw new Error('boom');
    }));
    h.queue.add('good', 1, () => once(() => h.log.push('good')));
    expect(() => h.runSlice()).toThrow('boom');
    h.runSlice();
    expect(h.log).toEqual(['good']);
  });
});
