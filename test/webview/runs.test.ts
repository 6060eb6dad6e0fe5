import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerInfo, PlanMessage, RunRequest, TensorSlice, UiToWorker, WebviewToExtension, WorkerToUi } from '../../src/protocol/webview';
import { RunRecord } from '../../webview/run-record';
import { SlicedQueue } from '../../webview/scheduler';
import { PreviewSession, type StatusLine } from '../../webview/session';

/** The runs module, with the page's elements, sections, readout and worker stood in for. */
type Runs = { request(): void; receive(message: WorkerToUi): void; checkDrawn(): void };
let createRuns: (options: Record<string, unknown>) => Runs;

beforeAll(async () => {
  // Not a literal path: the module is type-checked with the DOM lib (webview/tsconfig.json), not with this project's.
  const module = '../../webview/runs';
  ({ createRuns } = await import(/* @vite-ignore */ module));
});

const layer = (name: string): LayerInfo => ({ id: 0, name, kind: 'linear', line: 2, callLines: [], offset: 0, outputShape: [3], params: 9, macs: 9, receptiveField: null, jump: null, fieldStart: null, weightOrigin: 'random' });
const plan = (runId: number, overrides: Partial<PlanMessage> = {}): PlanMessage => ({ type: 'plan', runId, model: 'M', inputShape: [3], layers: [layer('fc1'), layer('fc2')], stop: null, summary: 'table', weightsPath: null, weightsNote: 'seeded random init (seed 1)', totalParams: 18, ...overrides });
const scores = (values: number[]): TensorSlice => ({ shape: [values.length], from: 0, to: values.length, data: Float32Array.from(values), min: Math.min(...values), max: Math.max(...values) });

function setUp() {
  const session = new PreviewSession();
  session.init({ type: 'init', uri: 'file:///w/m.cnn', notation: '×', fileName: 'm.cnn', text: 'model M {}', facts: { inputShape: [3], weightsPath: null }, version: 1, images: [] }, undefined);
  const run = new RunRecord();
  const events: string[] = [];
  const statuses: StatusLine[] = [];
  const toExtension: WebviewToExtension[] = [];
  const runs: RunRequest[] = [];
  const posted: UiToWorker[] = [];
  const work = new SlicedQueue({ budgetMs: 1000, now: () => 0, later: (slice) => queueMicrotask(slice) });
  const root = { dataset: {} as Record<string, string> };
  const bar = { style: { transform: '' } };
  const progress = { dataset: {} as Record<string, string>, classList: { toggle: () => {} }, querySelector: () => bar };
  const prediction = { hidden: true, dataset: {} as Record<string, string>, textContent: '', title: '' };
  const sections = {
    buildSteps: function* (p: PlanMessage) {
      events.push(`sections for ${p.layers.length}`);
    },
    afterPlan: () => events.push('after plan'),
    renderInput: () => events.push('input'),
    queueDraw: (index: number) => events.push(`draw ${index}`),
    noteError: (index: number, message: string) => events.push(`note ${index}: ${message}`),
    markNotRun: () => events.push('not run'),
    drawnCount: () => ({ drawn: run.results.size, waiting: 0 }),
    forgetDeferred: () => events.push('forget deferred'),
  };
  const readout = { forget: () => events.push('forget values'), onValues: () => events.push('values') };
  const worker = { post: (m: UiToWorker) => posted.push(m), run: (r: RunRequest) => runs.push(r) };
  const subject = createRuns({
    root,
    run,
    session,
    work,
    worker,
    sections,
    readout,
    toExtension: (m: WebviewToExtension) => toExtension.push(m),
    showStatus: (s: StatusLine) => statuses.push(s),
    onPlan: (p: PlanMessage, weights: { note: string; random: boolean }) => events.push(`plan: ${weights.note}`),
    progress,
    prediction,
  });
  return { session, run, events, statuses, toExtension, runs, posted, root, progress, prediction, subject, bar };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('runs', () => {
  it('starts a run: a new record, the old values and waiting drawings forgotten, the page marked running', () => {
    const { subject, runs, run, events, root, progress } = setUp();
    subject.request();
    expect(runs.map((r) => [r.runId, r.input])).toEqual([[1, { kind: 'pattern', pattern: 'circle' }]]);
    expect(run.runId).toBe(1);
    expect(events).toEqual(['forget values', 'forget deferred']);
    expect(root.dataset.runState).toBe('running');
    expect(progress.dataset).toEqual({ done: '0', total: '1' });
  });

  it('asks the extension for what the run waits for, and has the worker analyse the text meanwhile', () => {
    const { subject, session, runs, toExtension, posted } = setUp();
    session.choice = { kind: 'image', id: 'file:///a.png' };
    subject.request();
    expect(runs).toEqual([]);
    expect(toExtension).toEqual([{ type: 'requestImage', id: 'file:///a.png' }]);
    expect(posted).toEqual([{ type: 'prepare', text: 'model M {}' }]);
  });

  it('draws a run in order: the plan (status, sections), the input, each layer, then the end with the prediction', async () => {
    const { subject, events, statuses, root, prediction, progress } = setUp();
    subject.request();
    subject.receive(plan(1));
    subject.receive({ type: 'input', runId: 1, tensor: scores([0, 1, 2]) });
    subject.receive({ type: 'layer', runId: 1, index: 0, output: scores([0, 1, 2]), ms: 1 });
    subject.receive({ type: 'layer', runId: 1, index: 1, output: scores([0, 5, 2]), ms: 1 });
    subject.receive({ type: 'done', runId: 1, ms: 4, cancelled: false });
    await settle();
    expect(events.slice(2)).toEqual(['plan: Weights: seeded random init (seed 1)', 'sections for 2', 'after plan', 'input', 'draw 0', 'draw 1', 'not run']);
    expect(statuses).toEqual([{ message: '', kind: 'info' }]);
    expect(progress.dataset).toEqual({ done: '2', total: '2' });
    expect(root.dataset).toMatchObject({ runState: 'done', layersRendered: '2', layersDrawn: '2', layersDeferred: '0' });
    expect(prediction).toMatchObject({ hidden: false, dataset: { class: '1', random: 'true' } });
    expect(prediction.textContent).toMatch(/^Prediction \(random weights\): class 1 /);
  });

  it('ignores a superseded run, and shows a notice or an error in the status line', async () => {
    const { subject, events, statuses, root } = setUp();
    subject.request();
    subject.request();
    subject.receive(plan(1));
    subject.receive({ type: 'notice', runId: 2, message: 'The image could not be decoded' });
    subject.receive(plan(2));
    subject.receive({ type: 'error', runId: 2, layer: 1, message: 'no tensor `fc2.weight`' });
    subject.receive({ type: 'error', runId: 2, message: 'out of memory' });
    await settle();
    expect(events.filter((e) => e.startsWith('sections'))).toHaveLength(1);
    expect(events).toContain('note 1: no tensor `fc2.weight`');
    expect(statuses.map((s) => s.message)).toEqual(['The image could not be decoded', '', 'Stopped at layer `fc2`: no tensor `fc2.weight`', 'The run failed: out of memory']);
    expect(root.dataset.runState).toBe('failed');
  });

  it('asks for the weights file a plan names, and hands channel values to the readout', async () => {
    const { subject, toExtension, events } = setUp();
    subject.request();
    subject.receive(plan(1, { weightsPath: 'm.safetensors' }));
    subject.receive({ type: 'values', runId: 1, index: 0, channel: 0 });
    await settle();
    expect(toExtension).toEqual([{ type: 'requestWeights', path: 'm.safetensors' }]);
    expect(events).toContain('values');
  });
});
