import { describe, expect, it } from 'vitest';
import type { LayerInfo, PlanMessage, TensorSlice } from '../../src/protocol/webview';
import { RunRecord } from '../../webview/run-record';

const info = (id: number, name: string): LayerInfo => ({
  id,
  name,
  kind: 'conv',
  line: id + 2,
  callLines: [],
  offset: 0,
  outputShape: [4, 2, 2],
  params: 10,
  macs: 10,
  receptiveField: [3, 3],
  jump: [1, 1],
  fieldStart: [0, 0],
  weightOrigin: 'random',
});

const plan = (runId: number, stop: PlanMessage['stop'] = null): PlanMessage => ({
  type: 'plan',
  runId,
  model: 'M',
  inputShape: [1, 4, 4],
  layers: [info(0, 'a'), info(1, 'b'), info(2, 'c')],
  stop,
  summary: '',
  weightsPath: null,
  weightsNote: '',
  totalParams: 30,
});

const slice = (from: number, to: number): TensorSlice => ({ shape: [4, 2, 2], from, to, data: new Float32Array((to - from) * 4), min: 0, max: 1 });

describe('RunRecord', () => {
  it('takes a run’s plan, layers and end, counting progress', () => {
    const state = new RunRecord();
    state.begin(1);
    expect(state.apply(plan(1)).kind).toBe('plan');
    expect(state.progress).toEqual({ done: 0, total: 3 });
    const update = state.apply({ type: 'layer', runId: 1, index: 1, output: slice(0, 2), ms: 3 });
    expect(update).toMatchObject({ kind: 'layer', index: 1 });
    expect(state.progress).toEqual({ done: 1, total: 3 });
    expect(state.apply({ type: 'done', runId: 1, ms: 9, cancelled: false }).kind).toBe('done');
    expect(state.phase).toBe('done');
  });

  it('drops everything from a superseded run, so a cancelled run never paints', () => {
    const state = new RunRecord();
    state.begin(1);
    state.apply(plan(1));
    state.begin(2);
    expect(state.apply({ type: 'layer', runId: 1, index: 0, output: slice(0, 2), ms: 1 }).kind).toBe('ignored');
    expect(state.apply(plan(1)).kind).toBe('ignored');
    expect(state.apply({ type: 'done', runId: 1, ms: 1, cancelled: true }).kind).toBe('ignored');
    expect(state.plan).toBeNull();
    expect(state.results.size).toBe(0);
  });

  it('counts only the layers before a stop, and ends as stopped', () => {
    const state = new RunRecord();
    state.begin(3);
    state.apply(plan(3, { layer: 1, line: 3, column: 2, code: 'kernel-exceeds-input', message: 'too big' }));
    expect(state.progress.total).toBe(1);
    state.apply({ type: 'done', runId: 3, ms: 1, cancelled: false });
    expect(state.phase).toBe('stopped');
  });

  it('appends "show all" channels only when they continue the ones received', () => {
    const state = new RunRecord();
    state.begin(1);
    state.apply(plan(1));
    state.apply({ type: 'layer', runId: 1, index: 0, output: slice(0, 2), ms: 1 });
    expect(state.apply({ type: 'channels', runId: 1, index: 0, output: slice(3, 4) }).kind).toBe('ignored');
    expect(state.apply({ type: 'channels', runId: 1, index: 0, output: slice(2, 4) }).kind).toBe('channels');
    expect(state.channelsReceived(0)).toBe(4);
    expect(state.apply({ type: 'channels', runId: 1, index: 2, output: slice(2, 4) }).kind).toBe('ignored');
  });

  it('a run-level error fails the run; a layer error does not', () => {
    const state = new RunRecord();
    state.begin(1);
    state.apply(plan(1));
    expect(state.apply({ type: 'error', runId: 1, layer: 2, message: 'no tensor' })).toMatchObject({ kind: 'error', layer: 2 });
    expect(state.phase).toBe('running');
    state.apply({ type: 'error', runId: 1, message: 'boom' });
    expect(state.phase).toBe('failed');
    expect(state.error).toBe('boom');
  });

  it('passes a notice on without ending the run', () => {
    const state = new RunRecord();
    state.begin(1);
    expect(state.apply({ type: 'notice', runId: 1, message: 'pattern instead' })).toEqual({ kind: 'notice', message: 'pattern instead' });
    expect(state.phase).toBe('running');
  });

  it('ignores a layer the plan does not have', () => {
    const state = new RunRecord();
    state.begin(1);
    expect(state.apply({ type: 'layer', runId: 1, index: 0, output: slice(0, 1), ms: 1 }).kind).toBe('ignored');
  });
});
