/**
 * The feature-map preview's UI thread: talks to the extension, drives the
 * worker, and draws each layer as its output arrives.
 */
import type { RgbaImage } from '../src/core/image';
import { formatCount, formatShape } from '../src/language/notation';
import type {
  ColormapChoice,
  ExtensionToWebview,
  ImageEntry,
  InputChoice,
  LayerInfo,
  MapNormalisation,
  PlanMessage,
  PreviewState,
  PreviewTab,
  ShapeNotation,
  TensorSlice,
  UiToWorker,
  ValuesMessage,
  WorkerToUi,
} from '../src/protocol/webview';
import { asBytes } from './bytes';
import { decodeImage } from './decode-image';
import { COLORMAP_CHOICES, isColormapChoice, type ValueRange } from './colormap';
import { defaultInput, inputKey, parseInputKey, type InputKey } from './inputs';
import { channelRanges, formatValue, rangeFor } from './normalise';
import { inputPicker } from './input-picker';
import { PATTERNS } from './patterns';
import { describeDropped, parseExtensionMessage } from './message-guard';
import { inputChannelLabels, kernelLabels } from './labels';
import { ThumbnailLoader } from './thumbnails';
import { layerAtLine } from './cursor';
import { fieldRegion } from './receptive-field';
import { drawBars, drawKernelRgb, drawMap, drawPicture, drawPlot, drawTile, legend, setColormapChoice, type DrawnMap } from './render';
import { isTiles } from './tiles';
import { Lru } from './lru';
import { chooseReleases, mayDrawOffscreen } from './canvas-budget';
import { appendAll, matchSections, placeChildren } from './reconcile';
import { describeClass, predict } from './prediction';
import { RunState, type LayerResult, type RunUpdate } from './run-state';
import { once, SlicedQueue, type Steps } from './scheduler';
import { composeSheet, tileLayout } from './tiling';
import { button, loadControls, plainButton, select, showTab, tabs } from './ui/controls';
import { vscodeApi } from './vscode-api';
import './preview.css';

performance.mark('convlens:webview-start');
const scriptNonce = (document.currentScript instanceof HTMLScriptElement ? document.currentScript.nonce : undefined) ?? '';

const vscode = vscodeApi();
const root = document.getElementById('app') as HTMLElement;

/** Channels shown per layer before "show all". */
const FIRST_CHANNELS = 16;

const run = new RunState();
let uri = '';
let text = '';
/** The `weights "…"` path the extension's analysis of `text` found. */
let weightsPath: string | null = null;
let images: readonly ImageEntry[] = [];
let choice: InputChoice | null = null;
let seed = 1;
let normalisation: MapNormalisation = 'channel';
let colormap: ColormapChoice = 'auto';
let tab: PreviewTab = 'maps';
let notation: ShapeNotation = '×';
let runCounter = 0;
let runStartedAt = 0;
let firstMapsRecorded = false;
let activeLayer = -1;
let pendingCursorLine: number | null = null;
const imageBytes = new Map<string, Uint8Array>();
/** Decoded images by id; null when the page could not decode one. */
const imagePixels = new Map<string, RgbaImage | null>();
const requestedImages = new Set<string>();
let weights: { path: string; bytes: Uint8Array } | null = null;
let weightsRequested: string | null = null;
/** Weights files the extension could not or would not give, with its reason: runs go ahead on the seeded init, and the weights note keeps saying why. */
const weightsFailed = new Map<string, string>();

let worker: Worker | null = null;
/** The worker bundle as a blob: URL, kept to restart a worker stuck in a stale run. */
let workerUrl: string | null = null;
const workerQueue: UiToWorker[] = [];

/**
 * Webview resources live on another origin than the page, and a Worker must
 * be same-origin: fetch the bundle and start it from a blob URL.
 */
async function startWorker(): Promise<void> {
  // Started by the page's first script (src/extension/preview-html.ts), if it could.
  const early = (window as { convlensWorker?: Promise<{ url: string; worker: Worker }> }).convlensWorker;
  const started = early ? await early.catch(() => null) : null;
  if (started) {
    workerUrl = started.url;
    worker = adoptWorker(started.worker);
  } else {
    const source = root.dataset.workerUri ?? '';
    try {
      const response = await fetch(source);
      if (!response.ok) throw new Error(`${response.status}`);
      workerUrl = URL.createObjectURL(new Blob([await response.blob()], { type: 'text/javascript' }));
    } catch {
      workerUrl = source;
    }
    worker = createWorker(workerUrl);
    performance.mark('convlens:worker-created');
  }
  for (const message of workerQueue.splice(0)) worker.postMessage(message);
}

function createWorker(url: string): Worker {
  return adoptWorker(new Worker(url));
}

function adoptWorker(created: Worker): Worker {
  created.onmessage = (event: MessageEvent<WorkerToUi>) => onWorkerMessage(event.data);
  created.onerror = (event) => showStatus(`The preview worker failed: ${event.message}`, 'error');
  return created;
}

void startWorker();

function toWorker(message: UiToWorker): void {
  if (worker) worker.postMessage(message);
  else {
    const index = workerQueue.findIndex((m) => m.type === message.type);
    if (message.type === 'run' && index >= 0) workerQueue.splice(index, 1);
    workerQueue.push(message);
  }
}

const toolbar = element('div', 'toolbar');
const inputSelect = select<string>([], '', (key) => setInput(parseInputKey(key)), 'input-picker');
const thumbnails = new ThumbnailLoader(
  (id) => vscode.postMessage({ type: 'requestImage', id }),
  (bytes) => URL.createObjectURL(new Blob([bytes as BlobPart])),
);
const picker = inputPicker((next) => setInput(next), (id) => thumbnails.load(id));
/** The model's input shape as last known (the extension's analysis, then the plan's): the pattern thumbnails' aspect ratio. */
let inputShape: readonly number[] | null = null;
const normalisationSelect = select<MapNormalisation>(
  [
    { value: 'channel', label: 'Normalise per channel' },
    { value: 'layer', label: 'Normalise per layer' },
  ],
  normalisation,
  (value) => {
    normalisation = value;
    saveState();
    redrawAll();
  },
  'normalisation',
);
const colormapSelect = select<ColormapChoice>(
  COLORMAP_CHOICES,
  colormap,
  (value) => {
    colormap = value;
    setColormapChoice(colormap);
    saveState();
    if (run.input) renderInput(run.input);
    redrawAll();
  },
  'colormap',
);
const weightsNote = element('div', 'weights');
weightsNote.dataset.testid = 'weights';
const reseed = button('Re-seed', () => {
  seed = (seed % 9973) + 1 + Math.floor(Math.random() * 1000);
  saveState();
  requestRun();
}, { title: 'Draw new random weights for the layers that use the seeded init', testId: 'reseed' });
const prediction = element('div', 'prediction');
prediction.dataset.testid = 'prediction';
prediction.hidden = true;
toolbar.append(labelled('Input', inputSelect.element), normalisationSelect.element, colormapSelect.element, weightsNote, reseed, prediction);

const progress = element('div', 'progress');
const progressBar = element('div', 'bar');
progress.append(progressBar);
progress.dataset.testid = 'progress';
const status = element('div', 'status');
status.dataset.testid = 'status';
const layersView = element('div', 'layers');
const summaryView = element('pre', 'summary');
summaryView.dataset.testid = 'summary';
const readout = element('div', 'readout');
readout.hidden = true;
const readoutText = element('div', 'readout-text');
const readoutPicture = element('div', 'readout-picture');
readout.append(readoutPicture, readoutText);
const zoom = element('div', 'zoom');
zoom.hidden = true;

const tabView = tabs<PreviewTab>(
  [
    { id: 'maps', label: 'Feature maps', content: layersView },
    { id: 'summary', label: 'Summary', content: summaryView },
  ],
  tab,
  (id) => {
    tab = id;
    saveState();
  },
);
root.append(toolbar, picker.element, progress, status, tabView, readout, zoom);

zoom.addEventListener('click', (event) => {
  if (event.target === zoom) closeZoom();
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeZoom();
});

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function labelled(label: string, control: HTMLElement): HTMLElement {
  const wrapper = element('label', 'labelled');
  wrapper.append(element('span', undefined, label), control);
  return wrapper;
}

function showStatus(message: string, kind: 'info' | 'error' | 'stopped' = 'info'): void {
  status.textContent = message;
  status.dataset.kind = kind;
  status.hidden = message === '';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseExtensionMessage(event.data);
  if (!message) {
    console.warn(`[ConvLens preview] dropped ${describeDropped(event.data)} from the extension`);
    return;
  }
  switch (message.type) {
    case 'init': {
      performance.mark('convlens:init');
      uri = message.uri;
      text = message.text;
      weightsPath = message.facts.weightsPath;
      notation = message.notation;
      const saved = message.state ?? vscode.getState();
      if (saved && saved.uri === message.uri) {
        seed = saved.seed ?? seed;
        normalisation = saved.normalisation ?? normalisation;
        normalisationSelect.setValue(normalisation);
        colormap = isColormapChoice(saved.colormap) ? saved.colormap : colormap;
        colormapSelect.setValue(colormap);
        setColormapChoice(colormap);
        tab = saved.tab ?? tab;
        showTab(tabView, tab);
        choice = saved.inputId ? parseInputKey(saved.inputId) : null;
      }
      inputShape = message.facts.inputShape;
      setImages(message.images);
      if (!choice) choice = defaultInput(inputShape, images);
      syncInputSelect();
      saveState();
      requestRun();
      break;
    }
    case 'spec':
      text = message.text;
      weightsPath = message.facts.weightsPath;
      requestRun();
      break;
    case 'cursor':
      pendingCursorLine = message.line;
      highlightLine(message.line);
      break;
    case 'images':
      setImages(message.images);
      syncInputSelect();
      break;
    case 'imageData': {
      const bytes = asBytes(message.bytes);
      // Asked for a workspace image's thumbnail only: neither kept nor decoded.
      if (thumbnails.receive(message.id, bytes ?? undefined) && !requestedImages.has(message.id)) break;
      if (bytes) {
        imageBytes.set(message.id, bytes);
        const id = message.id;
        // Decoded here, while the worker is still starting up, instead of in the worker after it has analysed the spec.
        performance.mark('convlens:decode-start');
        void decodeImage(bytes).catch(() => null).then((pixels) => {
          performance.mark('convlens:decode-end');
          imagePixels.set(id, pixels);
          if (choice?.kind === 'image' && choice.id === id) requestRun();
        });
      } else {
        requestedImages.delete(message.id);
        showStatus(`Could not read the image: ${message.error ?? 'unknown error'}`, 'error');
      }
      break;
    }
    case 'weightsData': {
      const bytes = asBytes(message.bytes);
      if (bytes) {
        weights = { path: message.path, bytes };
        requestRun();
      } else {
        weightsFailed.set(message.path, message.error ?? 'not readable');
        requestRun();
        weightsNote.textContent = `Weights: ${message.path}: ${message.error ?? 'not readable'}; RANDOM init`;
        weightsNote.dataset.random = 'true';
      }
      break;
    }
  }
});

function saveState(): void {
  const state: PreviewState = { uri, seed, normalisation, colormap, tab, ...(choice ? { inputId: inputKey(choice) } : {}) };
  vscode.setState(state);
}

function setImages(list: readonly ImageEntry[]): void {
  images = list;
  if (pickerShown) picker.setItems(images, inputShape);
}

/** The thumbnails are built once the first maps are up (or after a moment): their DOM and image loads stay off the first run's path. */
let pickerShown = false;
function showPicker(): void {
  if (pickerShown) return;
  pickerShown = true;
  picker.setItems(images, inputShape);
  syncInputSelect();
}
setTimeout(showPicker, 1500);

function syncInputSelect(): void {
  const options: { value: string; label: string }[] = [
    ...images.filter((i) => i.group === 'sample').map((i) => ({ value: inputKey({ kind: 'image', id: i.id }), label: `Sample: ${i.label}` })),
    ...images.filter((i) => i.group === 'workspace').map((i) => ({ value: inputKey({ kind: 'image', id: i.id }), label: `Workspace: ${i.label}` })),
    ...PATTERNS.map((p) => ({ value: inputKey({ kind: 'pattern', pattern: p.name }), label: `Pattern: ${p.label}` })),
  ];
  const current: InputKey | '' = choice ? inputKey(choice) : '';
  inputSelect.setOptions(options, current);
  picker.setSelected(current);
}

function setInput(next: InputChoice | null): void {
  if (!next) return;
  choice = next;
  syncInputSelect();
  saveState();
  requestRun();
}

function requestRun(): void {
  if (!uri || !choice) return;
  // Ask for the weights file and the image together, and run once both are here.
  let waiting = false;
  const wanted = weightsPath;
  if (wanted && weights?.path !== wanted && !weightsFailed.has(wanted)) {
    waiting = true;
    if (weightsRequested !== wanted) {
      weightsRequested = wanted;
      vscode.postMessage({ type: 'requestWeights', path: wanted });
    }
  }
  let input: Extract<UiToWorker, { type: 'run' }>['input'] | null = null;
  if (choice.kind === 'image') {
    const bytes = imageBytes.get(choice.id);
    const pixels = imagePixels.get(choice.id);
    // `null`: the page could not decode it; the worker tries, and says so if it cannot either.
    if (bytes && pixels !== undefined) input = { kind: 'image', id: choice.id, bytes, ...(pixels ? { pixels } : {}) };
    else if (bytes) waiting = true;
    else if (!requestedImages.has(choice.id)) {
      requestedImages.add(choice.id);
      vscode.postMessage({ type: 'requestImage', id: choice.id });
    }
  } else {
    input = { kind: 'pattern', pattern: choice.pattern };
  }
  if (waiting || !input) {
    if (preparedText !== text) {
      preparedText = text;
      toWorker({ type: 'prepare', text });
    }
    return;
  }
  const runId = ++runCounter;
  performance.mark(`convlens:run-${runId}-start`);
  run.begin(runId);
  forgetValues();
  work.drop((tag) => tag !== runId);
  deferred.clear();
  runStartedAt = performance.now();
  root.dataset.runState = 'running';
  setProgress(0, 1);
  const request: UiToWorker = { type: 'run', runId, text, input, seed, channels: FIRST_CHANNELS, notation, ...(weights ? { weights } : {}) };
  const busy = worker !== null && runInFlight !== null;
  runInFlight = runId;
  lastRun = request;
  toWorker(request);
  clearTimeout(restartTimer);
  if (busy) restartTimer = setTimeout(restartWorker, RESTART_AFTER_MS);
}

/**
 * A worker in the middle of a layer reads the new run (which cancels the old
 * one) only when that layer is done, which in a big model can take a few
 * hundred ms. If it has not said `started` by then, it is replaced.
 */
const RESTART_AFTER_MS = 150;
let runInFlight: number | null = null;
/** The text the worker was last asked to analyse ahead of its run. */
let preparedText: string | null = null;
let lastRun: UiToWorker | null = null;
let restartTimer: ReturnType<typeof setTimeout> | undefined;

function restartWorker(): void {
  if (!worker || !workerUrl || !lastRun) return;
  worker.terminate();
  performance.mark('convlens:worker-restart');
  root.dataset.workerRestarts = String(Number(root.dataset.workerRestarts ?? 0) + 1);
  worker = createWorker(workerUrl);
  worker.postMessage(lastRun);
}

/**
 * Worker messages update the run's record at once; what they change on
 * screen is queued and drawn in slices of at most SLICE_MS, visible sections
 * first, so a big model's stream of layers never blocks the page. A layer's
 * maps are drawn as soon as they arrive (a small model's layers, arriving
 * within a frame or two, still appear together).
 */
const SLICE_MS = 8;
const work = new SlicedQueue({
  budgetMs: SLICE_MS,
  now: () => performance.now(),
  later: laterTask(),
  onDrained: () => checkDrawn(),
});
let messageSeq = 0;

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

function onWorkerMessage(message: WorkerToUi): void {
  if ((message.type === 'done' || (message.type === 'error' && message.layer === undefined)) && message.runId === runInFlight) runInFlight = null;
  if (message.type === 'started') {
    performance.mark(`convlens:run-${message.runId}-started`);
    if (message.runId === run.runId) clearTimeout(restartTimer);
    return;
  }
  if (message.type === 'values') return onValues(message);
  const update = run.apply(message);
  if (update.kind === 'ignored') return;
  if (update.kind === 'input' || (update.kind === 'layer' && run.results.size === 1)) performance.mark(`convlens:run-${run.runId}-${update.kind}`);
  if (update.kind === 'notice') {
    showStatus(update.message, 'error');
    return;
  }
  // Handled in order, after the plan's sections exist.
  work.add(`message:${++messageSeq}`, run.runId, () => (update.kind === 'plan' ? planSteps(update.plan) : once(() => handleUpdate(update))));
}

function handleUpdate(update: RunUpdate): void {
  switch (update.kind) {
    case 'input':
      renderInput(update.tensor);
      break;
    case 'layer':
    case 'channels':
      queueDraw(update.index);
      break;
    case 'done':
      onDone(update.ms);
      break;
    case 'error':
      if (update.layer === undefined) {
        root.dataset.runState = 'failed';
        showStatus(`The run failed: ${update.message}`, 'error');
      } else {
        const view = sections.get(update.layer);
        if (view) view.note.textContent = update.message;
        const name = run.plan?.layers[update.layer]?.name ?? `#${update.layer}`;
        showStatus(`Stopped at layer \`${name}\`: ${update.message}`, 'error');
      }
      break;
    default:
      break;
  }
  const { done, total } = run.progress;
  setProgress(done, total);
}

/** Draws a layer's maps in steps: now if its section is on (or near) the screen, else when nothing visible is waiting. */
function queueDraw(index: number): void {
  const view = sections.get(index);
  if (!view) return;
  // Off-screen and over the canvas budget: drawn when it comes near (the observer queues it).
  if (!view.near && !mayDrawOffscreen(liveCanvases, canvasesFor(index))) {
    deferred.add(view);
    return;
  }
  deferred.delete(view);
  work.add(drawKey(index), run.runId, () => renderLayerSteps(index), view.near ? 'urgent' : 'background');
}

/** Map canvases on the page now, and sections whose maps wait until they come near. */
let liveCanvases = 0;
const deferred = new Set<SectionView>();

/** Canvases a layer's drawing will hold. */
function canvasesFor(index: number): number {
  const result = run.results.get(index);
  if (!result) return 0;
  const shape = result.slices[0].shape;
  return shape.length >= 3 && !isVector(shape) ? run.channelsReceived(index) : 0;
}

/** Makes room for `needed` canvases by emptying the grids of the sections farthest off-screen. */
function releaseCanvases(needed: number, around: number): void {
  // Retired sections (after a stop) go first.
  const holders = [...sections.values(), ...retired].map((view) => ({ view, index: retired.includes(view) ? Number.MAX_SAFE_INTEGER : view.index, near: view.near, canvases: view.canvases.length }));
  for (const { view } of chooseReleases(holders, liveCanvases, needed, around)) {
    const index = view.index;
    liveCanvases -= view.canvases.length;
    view.canvases = [];
    view.drawn = [];
    view.grid.replaceChildren();
    view.drawnRun = 0;
    view.section.classList.add('stale');
    if (sections.get(index) === view && run.results.has(index)) deferred.add(view);
  }
}

function drawKey(index: number): string {
  return `draw:${index}`;
}

function setProgress(done: number, total: number): void {
  const fraction = total > 0 ? done / total : 0;
  // A transform, not a width: the bar moves on every layer, and this needs no layout.
  progressBar.style.transform = `scaleX(${fraction.toFixed(3)})`;
  progress.dataset.done = String(done);
  progress.dataset.total = String(total);
  progress.classList.toggle('complete', total > 0 && done >= total);
}

function* planSteps(plan: PlanMessage): Steps {
  performance.mark(`convlens:run-${plan.runId}-plan`);
  summaryView.textContent = plan.summary;
  if (plan.inputShape) {
    inputShape = plan.inputShape;
    if (pickerShown) picker.setItems(images, inputShape);
  }
  const refused = plan.weightsPath ? weightsFailed.get(plan.weightsPath) : undefined;
  weightsNote.textContent = refused ? `Weights: ${plan.weightsPath}: ${refused}; RANDOM init` : `Weights: ${plan.weightsNote}`;
  weightsNote.dataset.random = String(plan.layers.some((l) => l.weightOrigin === 'random'));
  reseed.hidden = !plan.layers.some((l) => l.weightOrigin === 'random');
  if (plan.weightsPath && weights?.path !== plan.weightsPath && weightsRequested !== plan.weightsPath && !weightsFailed.has(plan.weightsPath)) {
    weightsRequested = plan.weightsPath;
    vscode.postMessage({ type: 'requestWeights', path: plan.weightsPath });
  }
  if (plan.stop) {
    const stopped = plan.layers[plan.stop.layer];
    const where = stopped ? `before layer \`${stopped.name}\`` : 'after the last layer';
    showStatus(`Stopped ${where}: line ${plan.stop.line + 1}, column ${plan.stop.column + 1}: ${plan.stop.message} [${plan.stop.code}]`, 'stopped');
  } else if (!plan.model) {
    showStatus('This file has no model to preview.', 'info');
  } else {
    showStatus('');
  }
  prediction.hidden = true;
  yield* buildSectionSteps(plan);
  activeLayer = -1;
  if (pendingCursorLine !== null) highlightLine(pendingCursorLine, false);
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
  for (const view of sections.values()) if (!run.results.has(view.index)) view.section.classList.add('not-run');
  showPrediction();
  checkDrawn();
}

/** The run whose every computed layer is on the page (off-screen ones included), once it is done. */
let drawnRun = 0;

function checkDrawn(): void {
  if (drawnRun === run.runId || (run.phase !== 'done' && run.phase !== 'stopped')) return;
  let drawn = 0;
  let waiting = 0;
  for (const index of run.results.keys()) {
    const view = sections.get(index);
    if (view?.drawnRun === run.runId) drawn++;
    else if (view && deferred.has(view)) waiting++;
  }
  root.dataset.layersDrawn = String(drawn);
  root.dataset.layersDeferred = String(waiting);
  // Done when every layer is drawn or waits off-screen for its turn.
  if (drawn + waiting < run.results.size || work.size > 0) return;
  drawnRun = run.runId;
  performance.mark(`convlens:run-${run.runId}-drawn`);
}

function showPrediction(): void {
  const plan = run.plan;
  if (!plan || plan.stop || plan.layers.length === 0) return;
  const last = run.results.get(plan.layers.length - 1);
  const slice = last?.slices[0];
  if (!slice || isTiles(slice) || slice.shape.length !== 1 || slice.shape[0] < 2 || slice.shape[0] > 1000) return;
  const top = predict(slice.data, 5);
  prediction.hidden = false;
  prediction.dataset.class = String(top[0].index);
  const random = plan.layers.some((l) => l.weightOrigin === 'random');
  prediction.dataset.random = String(random);
  prediction.textContent = `Prediction${random ? ' (random weights)' : ''}: ${describeClass(top[0])}`;
  prediction.title = `Top-${top.length}:\n${top.map(describeClass).join('\n')}`;
}

interface SectionView {
  index: number;
  info: LayerInfo;
  /** On or near the screen (IntersectionObserver): its maps are drawn first. */
  near: boolean;
  /** The run whose maps the section shows; 0 for none yet. */
  drawnRun: number;
  headerKey: string;
  readonly section: HTMLElement;
  readonly stats: HTMLElement;
  readonly tools: HTMLElement;
  readonly body: HTMLElement;
  readonly note: HTMLElement;
  /** Depth slice shown for 3D maps. */
  depth: number;
  showKernels: boolean;
  drawn: DrawnMap[];
  /** The map grid and its canvases, drawn into again by the next run. */
  readonly grid: HTMLElement;
  canvases: HTMLCanvasElement[];
  /** The map grid's colour bar, redrawn by the next run. */
  legend?: HTMLElement;
  /** Tool buttons by label. */
  readonly buttons: Map<string, { readonly element: HTMLElement; action: () => void }>;
  /** The layer's time and the "first N of M channels" note, kept across runs. */
  readonly ms: HTMLElement;
  readonly more: HTMLElement;
}

let sections = new Map<number, SectionView>();
/** Layers the user asked to see every channel of; later runs show them all too. */
const expanded = new Set<string>();
let inputSection: HTMLElement | null = null;
let inputPicture: HTMLCanvasElement | null = null;

function sectionKey(info: LayerInfo): string {
  return `${info.name}|${info.kind}|${info.outputShape?.join('x') ?? '?'}`;
}

/**
 * One section per layer that will run, built a few at a time; sections of
 * unchanged layers are kept (dimmed) until their new output arrives, and stay
 * where they are in the DOM.
 */
function* buildSectionSteps(plan: PlanMessage): Steps {
  // Sections the last plan left out are candidates too: typing through an error (`conv 64` -> `conv ` -> `conv 32`)
  // stops a run at the error for a moment, and the sections after it come back with their canvases.
  const oldViews = [...sections.values(), ...retired];
  const count = plan.stop ? plan.stop.layer : plan.layers.length;
  const infos = plan.layers.slice(0, count);
  const matches = matchSections(oldViews.map((v) => sectionKey(v.info)), infos.map(sectionKey));
  const next = new Map<number, SectionView>();
  const children: HTMLElement[] = [];
  if (inputSection) children.push(inputSection);
  for (let index = 0; index < count; index++) {
    const info = infos[index];
    const match = matches[index];
    const view = match === null ? createSection(index, info) : oldViews[match];
    view.index = index;
    view.info = info;
    view.section.dataset.index = String(index);
    view.section.dataset.layer = info.name;
    view.section.className = 'layer stale';
    fillHeader(view);
    next.set(index, view);
    children.push(view.section);
    if (index % 16 === 15) yield;
  }
  if (plan.stop) {
    const stopped = plan.layers[plan.stop.layer];
    const banner = element('section', 'stop-banner');
    banner.dataset.testid = 'stopped';
    banner.textContent = `Stopped ${stopped ? `before \`${stopped.name}\` (line ${stopped.line + 1})` : 'here'}: ${plan.stop.message}`;
    banner.addEventListener('click', () => vscode.postMessage({ type: 'reveal', offset: stopped?.offset ?? 0 }));
    children.push(banner);
  }
  const kept = new Set(next.values());
  const wasRetired = new Set(retired);
  retired = [];
  for (const view of oldViews) {
    if (kept.has(view)) continue;
    if (wasRetired.has(view) || !plan.stop) {
      // Left out twice in a row, or by a plan that ran to its end (the layer was removed): gone for good.
      visibility.unobserve(view.section);
      viewOf.delete(view.section);
      liveCanvases -= view.canvases.length;
      deferred.delete(view);
    } else {
      // Kept in the page after the stop, dimmed, with its last maps: hiding and showing a few hundred sections rebuilds their layout.
      retired.push(view);
      view.section.className = 'retired';
      delete view.section.dataset.layer;
      deferred.delete(view);
      children.push(view.section);
    }
  }
  sections = next;
  placeChildren(layersView, children);
}

/** Sections the last plan left out when it stopped at an error: the next plan may use them again. */
let retired: SectionView[] = [];

/** Which sections are on or near the screen; off-screen ones are drawn after the visible ones. */
const viewOf = new WeakMap<Element, SectionView>();
const visibility = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const view = viewOf.get(entry.target);
      if (!view) continue;
      view.near = entry.isIntersecting;
      if (view.near && deferred.has(view)) queueDraw(view.index);
      else if (view.near) work.promote(drawKey(view.index));
      else work.demote(drawKey(view.index));
    }
  },
  { rootMargin: '50% 0px' },
);

function createSection(index: number, info: LayerInfo): SectionView {
  const section = element('section', 'layer');
  const header = element('header');
  const stats = element('div', 'stats');
  const tools = element('div', 'tools');
  header.append(stats, tools);
  const note = element('div', 'note');
  const body = element('div', 'body');
  section.append(header, note, body);
  // Until the observer reports, guess that the first few sections are on screen.
  const view: SectionView = { index, info, near: index < 4, drawnRun: 0, headerKey: '', section, stats, tools, body, note, depth: -1, showKernels: false, drawn: [], grid: element('div', 'grid'), canvases: [], buttons: new Map(), ms: element('span', 'ms'), more: element('div', 'more') };
  viewOf.set(section, view);
  visibility.observe(section);
  stats.addEventListener('click', () => vscode.postMessage({ type: 'reveal', offset: view.info.offset }));
  stats.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      vscode.postMessage({ type: 'reveal', offset: view.info.offset });
    }
  });
  stats.title = 'Show this layer in the editor';
  stats.tabIndex = 0;
  stats.setAttribute('role', 'button');
  body.addEventListener('mousemove', (event) => onHover(view, event));
  body.addEventListener('mouseleave', () => hideReadout());
  body.addEventListener('click', (event) => {
    const target = event.target;
    if (target instanceof HTMLCanvasElement && target.dataset.channel !== undefined) openZoom(view, Number(target.dataset.channel));
  });
  return view;
}

function fillHeader(view: SectionView): void {
  const { info } = view;
  const key = `${info.name}|${info.kind}|${info.outputShape?.join(',')}|${info.params}|${info.weightOrigin}|${notation}`;
  if (key === view.headerKey) return;
  view.headerKey = key;
  view.section.dataset.layer = info.name;
  view.stats.replaceChildren(
    element('span', 'name', info.name),
    element('span', 'kind', info.kind),
    element('span', 'shape', info.outputShape ? formatShape(info.outputShape, notation) : '?'),
    element('span', 'params', `${formatCount(info.params)} params`),
    ...(info.weightOrigin === 'random' ? [element('span', 'random', 'random init')] : []),
    ...(info.weightOrigin === 'named' || info.weightOrigin === 'literal' ? [element('span', 'handset', 'hand-set kernels')] : []),
    ...(info.weightOrigin === 'file' ? [element('span', 'file', 'trained')] : []),
  );
}

/** Channel `c`'s range (in `slice`) under the current normalisation. */
function channelRange(slice: TensorSlice, c: number, channelSize: number): ValueRange {
  const from = (c - slice.from) * channelSize;
  return channelRanges(slice.data.subarray(from, from + channelSize), 1, channelSize, { min: slice.min, max: slice.max }, normalisation)[0];
}

/** Draws a layer's maps now, in one go (after a click: the user is waiting for that one layer). */
function renderLayer(index: number, result: LayerResult): void {
  work.add(drawKey(index), run.runId, () => renderLayerSteps(index, result));
  work.finish(drawKey(index));
}

/**
 * A layer's maps, a few canvases per step; the section is only changed in
 * the last step, so a superseded drawing leaves the old maps in place.
 */
function* renderLayerSteps(index: number, given?: LayerResult): Steps {
  const view = sections.get(index);
  const result = given ?? run.results.get(index);
  if (!view || !result) return;
  deferred.delete(view);
  releaseCanvases(Math.max(0, canvasesFor(index) - view.canvases.length), index);
  const drawnMaps: DrawnMap[] = [];
  let stepStart = performance.now();
  /** Ends the step when it has taken a slice's share of time. */
  const due = () => {
    if (performance.now() - stepStart < SLICE_MS / 2) return false;
    stepStart = performance.now();
    return true;
  };
  const first = result.slices[0];
  const shape = first.shape;
  const channelsTotal = shape.length <= 1 ? 1 : shape[0];
  const received = result.slices[result.slices.length - 1].to;
  const rank = shape.length;
  const body: HTMLElement[] = [];
  const tools: HTMLElement[] = [setText(view.ms, `${result.ms.toFixed(0)} ms`)];

  const vector = isVector(shape);
  if (vector && !isTiles(first)) {
    const range = rangeFor({ min: first.min, max: first.max });
    const length = shape[0];
    const isScores = index === (run.plan?.layers.length ?? 0) - 1 && length <= 64;
    const top = isScores ? predict(first.data, 1)[0].index : -1;
    const canvas = length <= 64 ? drawBars(first.data, 0, length, range, top, 320, 64) : drawPlot(first.data, 0, length, range, 320, 64);
    canvas.dataset.channel = '0';
    canvas.classList.add('plot');
    body.push(legend(range), wrapGrid([canvas]));
  } else if (rank === 2) {
    const plane = shape[1];
    const canvases: HTMLCanvasElement[] = [];
    let layerRange: ValueRange | null = null;
    for (const slice of result.slices) {
      if (isTiles(slice)) continue;
      layerRange = rangeFor({ min: slice.min, max: slice.max });
      for (let c = slice.from; c < slice.to; c++) {
        const canvas = drawPlot(slice.data, (c - slice.from) * plane, plane, channelRange(slice, c, plane));
        canvas.dataset.channel = String(c);
        canvas.classList.add('plot');
        canvases.push(canvas);
        if (due()) yield;
      }
    }
    if (layerRange) body.push(legend(layerRange, normalisation === 'channel'));
    body.push(wrapGrid(canvases));
  } else if (rank === 3 || rank === 4) {
    const [, ...spatial] = shape;
    const height = spatial[spatial.length - 2];
    const width = spatial[spatial.length - 1];
    const depthCount = rank === 4 ? spatial[0] : 1;
    if (view.depth < 0 || view.depth >= depthCount) view.depth = Math.floor(depthCount / 2);
    const canvases: HTMLCanvasElement[] = [];
    let layerRange: ValueRange | null = null;
    for (const slice of result.slices) {
      if (!isTiles(slice)) continue;
      layerRange = rangeFor({ min: slice.min, max: slice.max });
      for (let c = slice.from; c < slice.to; c++) {
        // Tiles made in the worker: colouring is a table look-up per pixel, into the canvas's kept buffer.
        const drawn = drawTile(slice, c, view.depth, normalisation, view.canvases[canvases.length]);
        // Attributes written only when they change: a reused canvas keeps its channel across runs.
        const label = `${result.info.name} channel ${c}`;
        if (drawn.canvas.getAttribute('aria-label') !== label) {
          drawn.canvas.dataset.channel = String(c);
          drawn.canvas.title = `channel ${c}`;
          drawn.canvas.setAttribute('role', 'img');
          drawn.canvas.setAttribute('aria-label', label);
        }
        drawnMaps.push(drawn);
        canvases.push(drawn.canvas);
        if (due()) yield;
      }
    }
    if (layerRange) body.push((view.legend = legend(layerRange, normalisation === 'channel', view.legend)));
    if (rank === 4) body.push(depthSlider(view, result, depthCount));
    if (result.kernels && view.showKernels) body.push(kernelGrid(result.kernels));
    body.push(view.grid);
    if (!sameChildren(view.grid, canvases)) replaceAll(view.grid, canvases);
    liveCanvases += canvases.length - view.canvases.length;
    view.canvases = canvases;
    if (result.kernels && drawableKernels(result.kernels)) {
      tools.push(toolButton(view, view.showKernels ? 'Hide kernels' : 'Kernels', () => {
        view.showKernels = !view.showKernels;
        const current = run.results.get(view.index);
        if (current) renderLayer(view.index, current);
      }, 'Show the conv filters (first input channel) as small images'));
    }
    tools.push(toolButton(view, 'Export PNG', () => void exportGrid(view, width, height), "Save this layer's grid as a PNG"));
  }
  if (received < channelsTotal) {
    const showAll = () => toWorker({ type: 'channels', runId: run.runId, layer: view.index, from: run.channelsReceived(view.index), to: channelsTotal });
    if (expanded.has(result.info.name) && result.slices.length === 1) showAll();
    tools.push(toolButton(view, `Show all ${formatCount(channelsTotal)}`, () => {
      expanded.add(view.info.name);
      showAll();
    }, `Showing the first ${received} channels`));
    body.push(setText(view.more, `First ${received} of ${formatCount(channelsTotal)} channels`));
  }
  view.info = result.info;
  // Each written only when it changes: even an unchanged write updates the attribute and checks styles again.
  if (view.section.classList.contains('stale') || view.section.classList.contains('not-run')) view.section.classList.remove('stale', 'not-run');
  if (view.note.firstChild) view.note.textContent = '';
  view.drawn = drawnMaps;
  view.drawnRun = run.runId;
  if (!sameChildren(view.tools, tools)) replaceAll(view.tools, tools);
  // Children kept in place: re-inserting a grid re-creates its canvases' layout and paint objects, garbage for the next full collection.
  if (!sameChildren(view.body, body)) replaceAll(view.body, body);
  recordFirstMaps();
}

/** `parent.replaceChildren(...children)` for any number of children (see appendAll). */
function replaceAll(parent: HTMLElement, children: readonly Element[]): void {
  parent.replaceChildren();
  appendAll(parent, children);
}

/** Sets an element's text only when it changes. */
function setText(target: HTMLElement, text: string): HTMLElement {
  if (target.textContent !== text) target.textContent = text;
  return target;
}

function sameChildren(parent: HTMLElement, children: readonly Element[]): boolean {
  if (parent.children.length !== children.length) return false;
  return children.every((child, i) => parent.children[i] === child);
}

/**
 * A section's tool button, kept across redraws while its label is the same
 * (its action reads the section's current state when clicked): each is a
 * plain button (plainButton says why).
 */
function toolButton(view: SectionView, label: string, onClick: () => void, title: string): HTMLElement {
  const key = `${label}|${title}`;
  const kept = view.buttons.get(key);
  if (kept) {
    kept.action = onClick;
    return kept.element;
  }
  const entry = { element: plainButton(label, () => entry.action(), { title }), action: onClick };
  view.buttons.set(key, entry);
  return entry.element;
}

/** A vector, or a pooled C×1×… map: drawn as one plot over its entries. */
function isVector(shape: readonly number[]): boolean {
  return shape.length === 1 || (shape.length > 1 && shape.slice(1).every((d) => d === 1));
}

function wrapGrid(canvases: HTMLElement[]): HTMLElement {
  const grid = element('div', 'grid');
  appendAll(grid, canvases);
  return grid;
}

function depthSlider(view: SectionView, result: LayerResult, depthCount: number): HTMLElement {
  const wrapper = element('label', 'slider');
  const slider = element('input');
  slider.type = 'range';
  slider.min = '0';
  slider.max = String(depthCount - 1);
  slider.value = String(view.depth);
  const text = element('span', undefined, `slice ${view.depth + 1} of ${depthCount}`);
  slider.addEventListener('input', () => {
    view.depth = Number(slider.value);
    renderLayer(view.index, result);
    view.body.querySelector<HTMLInputElement>('input[type=range]')?.focus();
  });
  wrapper.append(text, slider);
  return wrapper;
}

/** Whether a layer's kernels can be drawn: 2D filters, one channel or RGB. */
function drawableKernels(kernels: TensorSlice): boolean {
  return kernels.shape.length === 3 || (kernels.shape.length === 4 && kernels.shape[1] === 3);
}

function kernelGrid(kernels: TensorSlice): HTMLElement {
  const view = element('div', 'kernel-view');
  const grid = element('div', 'kernels');
  const rgb = kernels.shape.length === 4;
  const [count] = kernels.shape;
  const [kh, kw] = kernels.shape.slice(-2);
  const m = Math.max(Math.abs(kernels.min), Math.abs(kernels.max));
  const range: ValueRange = { lo: -m, hi: m, colormap: 'diverging' };
  const labels = kernelLabels(count, rgb);
  for (let f = 0; f < count; f++) {
    const canvas = rgb ? drawKernelRgb(kernels.data, f * 3 * kh * kw, kw, kh, m) : drawMap(kernels.data, f * kh * kw, kw, kh, range).canvas;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', labels.titles[f]);
    grid.append(figure(canvas, labels.captions[f], labels.titles[f]));
  }
  view.append(element('div', 'kernel-heading', labels.heading), grid);
  return view;
}

/** A picture with its caption under it. */
function figure(picture: HTMLElement, caption: string, title: string): HTMLElement {
  const wrapper = element('figure', 'labelled-map');
  wrapper.title = title;
  wrapper.append(picture, element('figcaption', undefined, caption));
  return wrapper;
}

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

function redrawAll(): void {
  for (const index of run.results.keys()) queueDraw(index);
}

function renderInput(tensor: TensorSlice): void {
  // Not a `.layer`: every `section.layer` is one layer of the model, which the end-to-end test counts.
  const section = inputSection ?? element('section', 'input-row');
  section.dataset.input = choice?.kind === 'pattern' ? `pattern:${choice.pattern}` : (choice?.id ?? '');
  section.dataset.testid = 'input-row';
  const shape = tensor.shape;
  const header = element('header');
  const stats = element('div', 'stats');
  const label = choice?.kind === 'pattern' ? `pattern: ${choice.pattern}` : (images.find((i) => choice?.kind === 'image' && i.id === choice.id)?.label ?? '');
  stats.append(element('span', 'name', 'input'), element('span', 'kind', label), element('span', 'shape', formatShape(shape, notation)));
  header.append(stats);
  const body = element('div', 'body');
  const range = rangeFor({ min: tensor.min, max: tensor.max });
  if (shape.length === 3) {
    const [channels, height, width] = shape;
    inputPicture = drawPicture(tensor.data, channels, width, height, tensor.min, tensor.max);
    inputPicture.classList.add('picture');
    const names = inputChannelLabels(channels, choice?.kind === 'image');
    const maps = channels > 1 ? names.map((name, c) => figure(drawMap(tensor.data, c * width * height, width, height, range).canvas, name, `input channel ${c} (${name})`)) : [];
    const whole = channels === 3 ? 'RGB' : channels === 1 ? names[0] : `${channels} channels`;
    body.append(legend(range), wrapGrid([figure(inputPicture, whole, `the input as a picture (${whole})`), ...maps]));
  } else if (shape.length === 2) {
    inputPicture = null;
    const plots = Array.from({ length: shape[0] }, (_, c) => drawPlot(tensor.data, c * shape[1], shape[1], range, 440, 56));
    for (const plot of plots) plot.classList.add('plot');
    body.append(legend(range), wrapGrid(plots));
  } else if (shape.length === 4) {
    inputPicture = null;
    const [, depth, height, width] = shape;
    body.append(legend(range), wrapGrid([drawMap(tensor.data, Math.floor(depth / 2) * height * width, width, height, range).canvas]));
  }
  section.replaceChildren(header, body);
  if (!inputSection) {
    inputSection = section;
    layersView.prepend(section);
  }
}

/** The map position under the pointer, in the full-resolution tensor. */
function positionIn(canvas: HTMLCanvasElement, event: MouseEvent, width: number, height: number): [number, number] {
  const box = canvas.getBoundingClientRect();
  const x = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
  const y = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
  return [y, x];
}

/**
 * Full-resolution channels fetched from the worker (which keeps the layer
 * outputs) for hover readouts and the enlarged view, the last few kept; null
 * when the worker no longer had them. Keyed by run, layer and channel.
 */
const channelValues = new Lru<string, Float32Array | null>(8);
const pendingValues = new Set<string>();
/** The last hover, redone when the values it waited for arrive. */
let lastHover: { readonly view: SectionView; readonly event: MouseEvent } | null = null;
/** An enlarged view waiting for its channel's values. */
let pendingZoom: { readonly view: SectionView; readonly channel: number } | null = null;

function forgetValues(): void {
  channelValues.clear();
  pendingValues.clear();
  pendingZoom = null;
}

/** A channel's values if the page has them; else undefined, after asking the worker. */
function channelValuesOf(index: number, channel: number): Float32Array | null | undefined {
  const key = `${run.runId}:${index}:${channel}`;
  const kept = channelValues.get(key);
  if (kept !== undefined) return kept;
  if (!pendingValues.has(key)) {
    pendingValues.add(key);
    toWorker({ type: 'values', runId: run.runId, layer: index, channel });
  }
  return undefined;
}

function onValues(message: ValuesMessage): void {
  const key = `${message.runId}:${message.index}:${message.channel}`;
  if (message.runId !== run.runId || !pendingValues.delete(key)) return;
  channelValues.set(key, message.data ?? null);
  if (lastHover && lastHover.view.index === message.index) onHover(lastHover.view, lastHover.event);
  if (pendingZoom && pendingZoom.view.index === message.index && pendingZoom.channel === message.channel) openZoom(pendingZoom.view, pendingZoom.channel);
}

/** A readout's value: '…' while the worker is asked for it. */
function valueAt(result: LayerResult, index: number, channel: number, flatIndex: number): string {
  for (const slice of result.slices) {
    if (channel >= slice.from && channel < slice.to) {
      if (isTiles(slice)) {
        const values = channelValuesOf(index, channel);
        if (values === undefined) return '…';
        return values === null ? 'not in memory (re-run)' : formatValue(values[flatIndex] ?? NaN);
      }
      const size = slice.shape.slice(1).reduce((a, b) => a * b, 1);
      return formatValue(slice.data[(channel - slice.from) * size + flatIndex] ?? NaN);
    }
  }
  return formatValue(NaN);
}

function onHover(view: SectionView, event: MouseEvent): void {
  const target = event.target;
  const result = run.results.get(view.index);
  if (!(target instanceof HTMLCanvasElement) || target.dataset.channel === undefined || !result) return hideReadout();
  lastHover = { view, event };
  const channel = Number(target.dataset.channel);
  const first = result.slices[0];
  const shape = first.shape;
  let text: string;
  let region: ReturnType<typeof fieldRegion> = null;
  if (isVector(shape) && !isTiles(first)) {
    const [, i] = positionIn(target, event, shape[0], 1);
    text = `${view.info.name}[${i}] = ${formatValue(first.data[i] ?? NaN)}`;
  } else if (shape.length === 2) {
    const length = shape[1];
    const [, i] = positionIn(target, event, length, 1);
    const value = valueAt(result, view.index, channel, i);
    text = `${view.info.name} · ch ${channel} · t ${i} = ${value}`;
    region = fieldRegion(view.info, [i], run.input?.shape.slice(1) ?? []);
  } else {
    const height = shape[shape.length - 2];
    const width = shape[shape.length - 1];
    const [y, x] = positionIn(target, event, width, height);
    const depthOffset = shape.length === 4 ? view.depth * width * height : 0;
    const value = valueAt(result, view.index, channel, depthOffset + y * width + x);
    text = `${view.info.name} · ch ${channel} · (y ${y}, x ${x})${shape.length === 4 ? ` · z ${view.depth}` : ''} = ${value}`;
    const position = shape.length === 4 ? [view.depth, y, x] : [y, x];
    region = fieldRegion(view.info, position, run.input?.shape.slice(1) ?? []);
  }
  if (region) {
    const axes = region.from.length === 1 ? ['t'] : region.from.length === 2 ? ['rows', 'cols'] : ['slices', 'rows', 'cols'];
    text += `\nreceptive field ${region.size.join('×')}: ${axes.map((a, i) => `${a} ${region!.from[i]}–${region!.to[i]}`).join(', ')} of the input`;
  }
  showReadout(text, region && region.from.length === 2 ? region : null);
}

function showReadout(text: string, region: { from: readonly number[]; to: readonly number[] } | null): void {
  readout.hidden = false;
  readoutText.textContent = text;
  if (inputPicture && region && run.input) {
    const [, height, width] = run.input.shape;
    const scale = 96 / Math.max(width, height);
    let picture = readoutPicture.querySelector('canvas');
    if (!picture || picture.dataset.source !== String(run.runId)) {
      picture = element('canvas');
      picture.width = inputPicture.width;
      picture.height = inputPicture.height;
      picture.getContext('2d')?.drawImage(inputPicture, 0, 0);
      picture.dataset.source = String(run.runId);
      picture.style.width = `${Math.round(width * scale)}px`;
      picture.style.height = `${Math.round(height * scale)}px`;
      readoutPicture.replaceChildren(picture, element('div', 'field'));
    }
    const box = readoutPicture.querySelector<HTMLElement>('.field');
    if (box) {
      box.style.left = `${region.from[1] * scale}px`;
      box.style.top = `${region.from[0] * scale}px`;
      box.style.width = `${(region.to[1] - region.from[1] + 1) * scale}px`;
      box.style.height = `${(region.to[0] - region.from[0] + 1) * scale}px`;
    }
    readoutPicture.hidden = false;
  } else {
    readoutPicture.hidden = true;
  }
}

function hideReadout(): void {
  readout.hidden = true;
  lastHover = null;
}

function openZoom(view: SectionView, channel: number): void {
  const result = run.results.get(view.index);
  if (!result) return;
  const shape = result.slices[0].shape;
  const slice = result.slices.find((s) => channel >= s.from && channel < s.to) ?? result.slices[0];
  const title = element('div', 'zoom-title', `${view.info.name} · channel ${channel} · ${formatShape(shape, notation)}`);
  const close = button('Close', closeZoom, { appearance: 'secondary' });
  const frame = element('div', 'zoom-frame');
  const body = element('div', 'body');
  let canvas: HTMLCanvasElement;
  if (isTiles(slice)) {
    // The full-resolution channel comes from the worker; the view opens when it is here.
    const values = channelValuesOf(view.index, channel);
    if (values === undefined) {
      pendingZoom = { view, channel };
      return;
    }
    pendingZoom = null;
    const layerRange = rangeFor(slice);
    const i = channel - slice.from;
    const range: ValueRange = normalisation === 'layer' ? layerRange : { lo: slice.ranges[2 * i], hi: slice.ranges[2 * i + 1], colormap: layerRange.colormap };
    if (values === null) {
      // No longer in the worker's memory: the tile, enlarged.
      canvas = drawTile(slice, channel, Math.max(0, view.depth), normalisation).canvas;
    } else {
      const height = shape[shape.length - 2];
      const width = shape[shape.length - 1];
      const depthOffset = shape.length === 4 ? view.depth * width * height : 0;
      canvas = drawMap(values, depthOffset, width, height, range, 1024).canvas;
    }
    frame.append(legend(range));
  } else if (isVector(shape)) {
    const range = rangeFor({ min: slice.min, max: slice.max });
    canvas = drawPlot(slice.data, 0, shape[0], range, 720, 240);
    canvas.classList.add('plot');
  } else {
    const length = shape[1];
    const range = rangeFor({ min: slice.min, max: slice.max });
    canvas = drawPlot(slice.data, (channel - slice.from) * length, length, range, 720, 240);
    canvas.classList.add('plot');
  }
  canvas.dataset.channel = String(channel);
  canvas.classList.add('zoomed');
  body.append(canvas);
  body.addEventListener('mousemove', (event) => onHover(view, event));
  body.addEventListener('mouseleave', () => hideReadout());
  frame.prepend(title);
  frame.append(body, close);
  zoom.replaceChildren(frame);
  zoom.hidden = false;
}

function closeZoom(): void {
  pendingZoom = null;
  zoom.hidden = true;
  zoom.replaceChildren();
}

function highlightLine(line: number, scroll = true): void {
  const plan = run.plan;
  if (!plan) return;
  const index = layerAtLine(plan.layers, line);
  // Typing on one line moves the cursor without changing the layer: do not scroll again.
  if (index === activeLayer) return;
  sections.get(activeLayer)?.section.classList.remove('active');
  activeLayer = index;
  const view = sections.get(index);
  if (!view) return;
  view.section.classList.add('active');
  if (scroll) view.section.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

async function exportGrid(view: SectionView, width: number, height: number): Promise<void> {
  const drawn = view.drawn;
  if (drawn.length === 0) return;
  const tileWidth = drawn[0].canvas.width;
  const tileHeight = drawn[0].canvas.height;
  const layout = tileLayout(drawn.length, tileWidth, tileHeight, { gap: 2 });
  const sheet = composeSheet(
    layout,
    drawn.map((d) => d.rgba),
  );
  const canvas = element('canvas');
  canvas.width = layout.width;
  canvas.height = layout.height;
  canvas.getContext('2d')?.putImageData(new ImageData(sheet, layout.width, layout.height), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) return;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  vscode.postMessage({ type: 'savePng', suggestedName: `${view.info.name.replace(/[^\w.-]+/g, '_')}-${width}x${height}.png`, bytes }, [bytes.buffer]);
}

vscode.postMessage({ type: 'ready' });
