/**
 * Runs: starting one when the session has what it needs, and turning the
 * worker's replies into the run's record and the page (plan, input, layers,
 * end). What they change on screen is queued and drawn in slices.
 */
import type { PlanMessage, WebviewToExtension, WorkerToUi } from '../src/protocol/webview';
import { predictionLine } from './prediction';
import type { Readout } from './readout';
import type { RunRecord, RunUpdate } from './run-record';
import { once, type SlicedQueue, type Steps } from './scheduler';
import type { Sections } from './sections';
import { errorStatus, planStatus, type PreviewSession, type StatusLine } from './session';
import type { WorkerClient } from './worker-client';

export interface RunsOptions {
  /** The page's root: its data attributes say how runs went (the end-to-end tests and the benchmark read them). */
  readonly root: HTMLElement;
  readonly run: RunRecord;
  readonly session: PreviewSession;
  readonly work: SlicedQueue;
  readonly worker: WorkerClient;
  readonly sections: Sections;
  readonly readout: Readout;
  readonly toExtension: (message: WebviewToExtension) => void;
  readonly showStatus: (status: StatusLine) => void;
  /** A plan arrived: the toolbar shows its weights and summary. */
  readonly onPlan: (plan: PlanMessage, weights: { readonly note: string; readonly random: boolean }) => void;
  readonly progress: HTMLElement;
  readonly prediction: HTMLElement;
}

export type Runs = ReturnType<typeof createRuns>;

export function createRuns(options: RunsOptions) {
  const { root, run, session, work, worker, sections } = options;
  const progressBar = options.progress.querySelector<HTMLElement>('.bar');
  let runStartedAt = 0;
  let messageSeq = 0;
  /** The run whose every computed layer is on the page (off-screen ones included), once it is done. */
  let drawnRun = 0;

  /** Starts a run if everything it needs is here; else asks for what is missing. */
  function request(): void {
    const step = session.nextRun();
    for (const message of step.requests) options.toExtension(message);
    if (step.prepare !== undefined) worker.post({ type: 'prepare', text: step.prepare });
    const next = step.run;
    if (!next) return;
    performance.mark(`convlens:run-${next.runId}-start`);
    run.begin(next.runId);
    options.readout.forget();
    work.drop((tag) => tag !== next.runId);
    sections.forgetDeferred();
    runStartedAt = performance.now();
    root.dataset.runState = 'running';
    setProgress(0, 1);
    worker.run(next);
  }

  /**
   * Worker messages update the run's record at once; what they change on
   * screen is queued and drawn in slices, visible sections first, so a big
   * model's stream of layers never blocks the page.
   */
  function receive(message: WorkerToUi): void {
    if (message.type === 'values') return options.readout.onValues(message);
    const update = run.apply(message);
    if (update.kind === 'ignored') return;
    if (update.kind === 'input' || (update.kind === 'layer' && run.results.size === 1)) performance.mark(`convlens:run-${run.runId}-${update.kind}`);
    if (update.kind === 'notice') {
      options.showStatus({ message: update.message, kind: 'error' });
      return;
    }
    // Handled in order, after the plan's sections exist.
    work.add(`message:${++messageSeq}`, run.runId, () => (update.kind === 'plan' ? planSteps(update.plan) : once(() => handleUpdate(update))));
  }

  function handleUpdate(update: RunUpdate): void {
    switch (update.kind) {
      case 'input':
        sections.renderInput(update.tensor);
        break;
      case 'layer':
      case 'channels':
        sections.queueDraw(update.index);
        break;
      case 'done':
        onDone(update.ms);
        break;
      case 'error':
        if (update.layer === undefined) root.dataset.runState = 'failed';
        else sections.noteError(update.layer, update.message);
        options.showStatus(errorStatus(run.plan, update.message, update.layer));
        break;
      default:
        break;
    }
    const { done, total } = run.progress;
    setProgress(done, total);
  }

  function* planSteps(plan: PlanMessage): Steps {
    performance.mark(`convlens:run-${plan.runId}-plan`);
    const weights = session.planArrived(plan);
    options.onPlan(plan, { note: weights.weightsNote, random: weights.random });
    if (weights.request) options.toExtension(weights.request);
    options.showStatus(planStatus(plan));
    options.prediction.hidden = true;
    yield* sections.buildSteps(plan);
    sections.afterPlan();
    const { done, total } = run.progress;
    setProgress(done, total);
  }

  function onDone(ms: number): void {
    root.dataset.runState = run.phase;
    const total = performance.now() - runStartedAt;
    root.dataset.lastRunMs = String(Math.round(total));
    root.dataset.workerMs = String(Math.round(ms));
    root.dataset.layersRendered = String(run.results.size);
    performance.mark(`convlens:run-${run.runId}-done`);
    sections.markNotRun();
    showPrediction();
    checkDrawn();
  }

  /** Marks the run drawn once every computed layer is drawn or waits off-screen for its turn. */
  function checkDrawn(): void {
    if (drawnRun === run.runId || (run.phase !== 'done' && run.phase !== 'stopped')) return;
    const { drawn, waiting } = sections.drawnCount();
    root.dataset.layersDrawn = String(drawn);
    root.dataset.layersDeferred = String(waiting);
    if (drawn + waiting < run.results.size || work.size > 0) return;
    drawnRun = run.runId;
    performance.mark(`convlens:run-${run.runId}-drawn`);
  }

  function showPrediction(): void {
    const plan = run.plan;
    const line = plan ? predictionLine(plan, run.results.get(plan.layers.length - 1)?.slices[0]) : null;
    if (!line) return;
    const prediction = options.prediction;
    prediction.hidden = false;
    prediction.dataset.class = String(line.classIndex);
    prediction.dataset.random = String(line.random);
    prediction.textContent = line.text;
    prediction.title = line.title;
  }

  function setProgress(done: number, total: number): void {
    const fraction = total > 0 ? done / total : 0;
    // A transform, not a width: the bar moves on every layer, and this needs no layout.
    if (progressBar) progressBar.style.transform = `scaleX(${fraction.toFixed(3)})`;
    const progress = options.progress;
    progress.dataset.done = String(done);
    progress.dataset.total = String(total);
    progress.classList.toggle('complete', total > 0 && done >= total);
  }

  return { request, receive, checkDrawn };
}
