/**
 * The feature-map preview's UI thread: wires the page together. The state and
 * its transitions are webview/session.ts; the worker's lifecycle
 * worker-client.ts; the extension's messages extension-messages.ts and
 * input-decoding.ts; runs runs.ts; the maps sections.ts; the readout and zoom
 * readout.ts; the PNG export export.ts.
 */
import type { ColormapChoice, InputChoice, MapNormalisation, PlanMessage, PreviewTab } from '../src/protocol/webview';
import { COLORMAP_CHOICES } from './colormap';
import { element, labelled } from './dom';
import { listenToExtension } from './extension-messages';
import { inputPicker } from './input-picker';
import { receiveImage } from './input-decoding';
import { inputKey, parseInputKey } from './inputs';
import { Readout } from './readout';
import { setColormapChoice } from './render';
import { RunRecord } from './run-record';
import { createRuns } from './runs';
import { SlicedQueue } from './scheduler';
import { createSections, SLICE_MS } from './sections';
import { PreviewSession, type StatusLine } from './session';
import { ThumbnailLoader } from './thumbnails';
import { button, loadControls, select, showTab, tabs } from './ui/controls';
import { vscodeApi } from './vscode-api';
import { WorkerClient } from './worker-client';
import './preview.css';

performance.mark('convlens:webview-start');
const scriptNonce = (document.currentScript instanceof HTMLScriptElement ? document.currentScript.nonce : undefined) ?? '';

const vscode = vscodeApi();
const root = document.getElementById('app') as HTMLElement;
const session = new PreviewSession();
const run = new RunRecord();

const worker = new WorkerClient({
  source: root.dataset.workerUri ?? '',
  onMessage: (message) => runs.receive(message),
  onError: (message) => showStatus({ message, kind: 'error' }),
  onRestart: () => {
    root.dataset.workerRestarts = String(Number(root.dataset.workerRestarts ?? 0) + 1);
  },
});
void worker.start();

const toolbar = element('div', 'toolbar');
const inputSelect = select<string>([], '', (key) => setInput(parseInputKey(key)), 'input-picker');
const thumbnails = new ThumbnailLoader(
  (id) => vscode.postMessage({ type: 'requestImage', id }),
  (bytes) => URL.createObjectURL(new Blob([bytes as BlobPart])),
);
const picker = inputPicker((next) => setInput(next), (id) => thumbnails.load(id));
const normalisationSelect = select<MapNormalisation>(
  [
    { value: 'channel', label: 'Normalise per channel' },
    { value: 'layer', label: 'Normalise per layer' },
  ],
  session.normalisation,
  (value) => {
    session.normalisation = value;
    saveState();
    sections.redrawAll();
  },
  'normalisation',
);
const colormapSelect = select<ColormapChoice>(
  COLORMAP_CHOICES,
  session.colormap,
  (value) => {
    session.colormap = value;
    setColormapChoice(value);
    saveState();
    if (run.input) sections.renderInput(run.input);
    sections.redrawAll();
  },
  'colormap',
);
const weightsNote = element('div', 'weights');
weightsNote.dataset.testid = 'weights';
const reseed = button(
  'Re-seed',
  () => {
    session.reseed(Math.random());
    saveState();
    runs.request();
  },
  { title: 'Draw new random weights for the layers that use the seeded init', testId: 'reseed' },
);
const prediction = element('div', 'prediction');
prediction.dataset.testid = 'prediction';
prediction.hidden = true;
toolbar.append(labelled('Input', inputSelect.element), normalisationSelect.element, colormapSelect.element, weightsNote, reseed, prediction);

const progress = element('div', 'progress');
progress.append(element('div', 'bar'));
progress.dataset.testid = 'progress';
const status = element('div', 'status');
status.dataset.testid = 'status';
const layersView = element('div', 'layers');
const summaryView = element('pre', 'summary');
summaryView.dataset.testid = 'summary';

const tabView = tabs<PreviewTab>(
  [
    { id: 'maps', label: 'Feature maps', content: layersView },
    { id: 'summary', label: 'Summary', content: summaryView },
  ],
  session.tab,
  (id) => {
    session.tab = id;
    saveState();
  },
);

const readout = new Readout({
  run,
  toWorker: (message) => worker.post(message),
  notation: () => session.notation,
  normalisation: () => session.normalisation,
  inputPicture: () => sections.inputPicture(),
});
root.append(toolbar, picker.element, progress, status, tabView, readout.element, readout.zoom);

/**
 * Drawing is queued and done in slices of at most SLICE_MS, visible sections
 * first, so a big model's stream of layers never blocks the page. A layer's
 * maps are drawn as soon as they arrive (a small model's layers, arriving
 * within a frame or two, still appear together).
 */
const work = new SlicedQueue({
  budgetMs: SLICE_MS,
  now: () => performance.now(),
  later: laterTask(),
  onDrained: () => runs.checkDrawn(),
});

const sections = createSections({
  layersView,
  run,
  session,
  work,
  readout,
  toExtension: (message, transfer) => vscode.postMessage(message, transfer),
  toWorker: (message) => worker.post(message),
  onMapsDrawn: recordFirstMaps,
});

const runs = createRuns({
  root,
  run,
  session,
  work,
  worker,
  sections,
  readout,
  toExtension: (message) => vscode.postMessage(message),
  showStatus,
  onPlan,
  progress,
  prediction,
});

/**
 * Continues in a new task without setTimeout's 4 ms clamp: a MessageChannel
 * round trip. (`scheduler.postTask` was tried: its slices went ahead of the
 * extension's messages, and edits were handled up to 250 ms late.)
 */
function laterTask(): (f: () => void) => void {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return (f) => {
    waiting.push(f);
    channel.port2.postMessage(null);
  };
}

function showStatus({ message, kind }: StatusLine): void {
  status.textContent = message;
  status.dataset.kind = kind;
  status.hidden = message === '';
}

function saveState(): void {
  vscode.setState(session.saved());
}

/** A run's plan: its summary, its weights and the input shape it found. */
function onPlan(plan: PlanMessage, weights: { readonly note: string; readonly random: boolean }): void {
  summaryView.textContent = plan.summary;
  if (plan.inputShape && pickerShown) picker.setItems(session.images, session.inputShape);
  weightsNote.textContent = weights.note;
  weightsNote.dataset.random = String(weights.random);
  reseed.hidden = !weights.random;
}

listenToExtension({
  init: (message) => {
    performance.mark('convlens:init');
    session.init(message, message.state ?? vscode.getState());
    normalisationSelect.setValue(session.normalisation);
    colormapSelect.setValue(session.colormap);
    setColormapChoice(session.colormap);
    showTab(tabView, session.tab);
    if (pickerShown) picker.setItems(session.images, session.inputShape);
    syncInputSelect();
    saveState();
    runs.request();
  },
  spec: (message) => {
    session.spec(message);
    runs.request();
  },
  cursor: (message) => sections.cursorAt(message.line),
  images: (message) => {
    session.images = message.images;
    if (pickerShown) picker.setItems(session.images, session.inputShape);
    syncInputSelect();
  },
  imageData: (message) => receiveImage(message, { session, thumbnails, onReady: () => runs.request(), onError: (error) => showStatus({ message: error, kind: 'error' }) }),
  weightsData: (message) => {
    if (message.bytes) {
      session.weightsArrived(message.path, message.bytes);
      runs.request();
    } else {
      const note = session.weightsRefused(message.path, message.error ?? 'not readable');
      runs.request();
      weightsNote.textContent = note;
      weightsNote.dataset.random = 'true';
    }
  },
});

/** The thumbnails are built once the first maps are up (or after a moment): their DOM and image loads stay off the first run's path. */
let pickerShown = false;
function showPicker(): void {
  if (pickerShown) return;
  pickerShown = true;
  picker.setItems(session.images, session.inputShape);
  syncInputSelect();
}
setTimeout(showPicker, 1500);

function syncInputSelect(): void {
  const current = session.choice ? inputKey(session.choice) : '';
  inputSelect.setOptions(session.inputOptions(), current);
  picker.setSelected(current);
}

function setInput(next: InputChoice | null): void {
  if (!next) return;
  session.choice = next;
  syncInputSelect();
  saveState();
  runs.request();
}

let firstMapsRecorded = false;
function recordFirstMaps(): void {
  if (firstMapsRecorded) return;
  firstMapsRecorded = true;
  performance.mark('convlens:first-maps');
  root.dataset.firstMapsMs = String(Math.round(performance.now()));
  requestAnimationFrame(() =>
    setTimeout(() => {
      showPicker();
      loadToolkit();
    }, 0),
  );
}

/** The controls' toolkit loads once the first maps are up (or after a moment, whichever is first). */
function loadToolkit(): void {
  void loadControls(root.dataset.toolkitUri ?? '', scriptNonce).then(() => {
    root.dataset.controls = customElements.get('vscode-button') ? 'ready' : 'failed';
  });
}
setTimeout(loadToolkit, 1500);

vscode.postMessage({ type: 'ready' });
