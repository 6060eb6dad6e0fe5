/**
 * The feature maps: one section per layer, built and reused across runs, each
 * drawn in slices (visible sections first) within a budget of live canvases,
 * plus the input row. The readout and zoom, and the export, are their own
 * modules; this one places and draws.
 */
import { formatCount, formatShape } from '../src/language/notation';
import type { LayerInfo, PlanMessage, TensorSlice, UiToWorker, WebviewToExtension } from '../src/protocol/webview';
import { chooseReleases, mayDrawOffscreen } from './canvas-budget';
import type { ValueRange } from './colormap';
import { layerAtLine } from './cursor';
import { element, figure, replaceAll, sameChildren, setText, wrapGrid } from './dom';
import { exportGrid } from './export';
import { inputChannelLabels, kernelLabels } from './labels';
import { channelRanges, rangeFor } from './normalise';
import { predict } from './prediction';
import { isVector, type Readout } from './readout';
import { matchSections, placeChildren } from './reconcile';
import { drawBars, drawKernelRgb, drawMap, drawPicture, drawPlot, drawTile, legend, type DrawnMap } from './render';
import type { ReceivedLayer, RunRecord } from './run-record';
import type { SlicedQueue, Steps } from './scheduler';
import { stopBanner, type PreviewSession } from './session';
import { isTiles } from './tiles';
import { plainButton } from './ui/controls';

/** The longest a slice of drawing may take, in ms. */
export const SLICE_MS = 8;

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

export interface SectionsOptions {
  readonly layersView: HTMLElement;
  readonly run: RunRecord;
  readonly session: PreviewSession;
  /** Where drawing is queued and sliced. */
  readonly work: SlicedQueue;
  readonly readout: Readout;
  readonly toExtension: (message: WebviewToExtension, transfer?: Transferable[]) => void;
  readonly toWorker: (message: UiToWorker) => void;
  /** After each layer's maps are drawn. */
  readonly onMapsDrawn: () => void;
}

export type Sections = ReturnType<typeof createSections>;

/** The layers view's sections and their drawing. */
export function createSections(options: SectionsOptions) {
  const { run, session, work, readout } = options;
  /** The section under the editor's cursor, and the cursor's line, kept for the next plan. */
  let activeLayer = -1;
  let cursorLine: number | null = null;

  /** Map canvases on the page now, and sections whose maps wait until they come near. */
  let liveCanvases = 0;
  const deferred = new Set<SectionView>();

  let sections = new Map<number, SectionView>();
  /** Layers the user asked to see every channel of; later runs show them all too. */
  const expanded = new Set<string>();
  let inputSection: HTMLElement | null = null;
  let inputPicture: HTMLCanvasElement | null = null;

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
      banner.textContent = stopBanner(plan) ?? '';
      banner.addEventListener('click', () => options.toExtension({ type: 'reveal', offset: stopped?.offset ?? 0 }));
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
    placeChildren(options.layersView, children);
  }

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
    stats.addEventListener('click', () => options.toExtension({ type: 'reveal', offset: view.info.offset }));
    stats.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        options.toExtension({ type: 'reveal', offset: view.info.offset });
      }
    });
    stats.title = 'Show this layer in the editor';
    stats.tabIndex = 0;
    stats.setAttribute('role', 'button');
    body.addEventListener('mousemove', (event) => readout.hover(view, event));
    body.addEventListener('mouseleave', () => readout.hide());
    body.addEventListener('click', (event) => {
      const target = event.target;
      if (target instanceof HTMLCanvasElement && target.dataset.channel !== undefined) readout.openZoom(view, Number(target.dataset.channel));
    });
    return view;
  }

  function fillHeader(view: SectionView): void {
    const { info } = view;
    const key = `${info.name}|${info.kind}|${info.outputShape?.join(',')}|${info.params}|${info.weightOrigin}|${session.notation}`;
    if (key === view.headerKey) return;
    view.headerKey = key;
    view.section.dataset.layer = info.name;
    view.stats.replaceChildren(
      element('span', 'name', info.name),
      element('span', 'kind', info.kind),
      element('span', 'shape', info.outputShape ? formatShape(info.outputShape, session.notation) : '?'),
      element('span', 'params', `${formatCount(info.params)} params`),
      ...(info.weightOrigin === 'random' ? [element('span', 'random', 'random init')] : []),
      ...(info.weightOrigin === 'named' || info.weightOrigin === 'literal' ? [element('span', 'handset', 'hand-set kernels')] : []),
      ...(info.weightOrigin === 'file' ? [element('span', 'file', 'trained')] : []),
    );
  }

  /** Channel `c`'s range (in `slice`) under the current normalisation. */
  function channelRange(slice: TensorSlice, c: number, channelSize: number): ValueRange {
    const from = (c - slice.from) * channelSize;
    return channelRanges(slice.data.subarray(from, from + channelSize), 1, channelSize, { min: slice.min, max: slice.max }, session.normalisation)[0];
  }

  /** Draws a layer's maps now, in one go (after a click: the user is waiting for that one layer). */
  function renderLayer(index: number, result: ReceivedLayer): void {
    work.add(drawKey(index), run.runId, () => renderLayerSteps(index, result));
    work.finish(drawKey(index));
  }

  /**
   * A layer's maps, a few canvases per step; the section is only changed in
   * the last step, so a superseded drawing leaves the old maps in place.
   */
  function* renderLayerSteps(index: number, given?: ReceivedLayer): Steps {
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
      if (layerRange) body.push(legend(layerRange, session.normalisation === 'channel'));
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
          const drawn = drawTile(slice, c, view.depth, session.normalisation, view.canvases[canvases.length]);
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
      if (layerRange) body.push((view.legend = legend(layerRange, session.normalisation === 'channel', view.legend)));
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
      tools.push(toolButton(view, 'Export PNG', () => void exportGrid(view.info.name, view.drawn, { width, height }, options.toExtension), "Save this layer's grid as a PNG"));
    }
    if (received < channelsTotal) {
      const showAll = () => options.toWorker({ type: 'channels', runId: run.runId, layer: view.index, from: run.channelsReceived(view.index), to: channelsTotal });
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
    options.onMapsDrawn();
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

  function depthSlider(view: SectionView, result: ReceivedLayer, depthCount: number): HTMLElement {
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

  function redrawAll(): void {
    for (const index of run.results.keys()) queueDraw(index);
  }

  function renderInput(tensor: TensorSlice): void {
    const choice = session.choice;
    // Not a `.layer`: every `section.layer` is one layer of the model, which the end-to-end test counts.
    const section = inputSection ?? element('section', 'input-row');
    section.dataset.input = choice?.kind === 'pattern' ? `pattern:${choice.pattern}` : (choice?.id ?? '');
    section.dataset.testid = 'input-row';
    const shape = tensor.shape;
    const header = element('header');
    const stats = element('div', 'stats');
    const label = session.inputLabel();
    stats.append(element('span', 'name', 'input'), element('span', 'kind', label), element('span', 'shape', formatShape(shape, session.notation)));
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
      options.layersView.prepend(section);
    }
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

  /** The cursor moved to `line`: that layer's section is marked (and scrolled to), now or once the plan is here. */
  function cursorAt(line: number): void {
    cursorLine = line;
    highlightLine(line);
  }

  /** The sections of a new plan are placed: the cursor's layer is marked again, without scrolling. */
  function afterPlan(): void {
    activeLayer = -1;
    if (cursorLine !== null) highlightLine(cursorLine, false);
  }

  /** A layer could not run: its section says why. */
  function noteError(index: number, message: string): void {
    const view = sections.get(index);
    if (view) view.note.textContent = message;
  }

  /** The run is over: sections of layers it did not reach are dimmed. */
  function markNotRun(): void {
    for (const view of sections.values()) if (!run.results.has(view.index)) view.section.classList.add('not-run');
  }

  /** Of the run's computed layers, how many are drawn and how many wait off-screen. */
  function drawnCount(): { readonly drawn: number; readonly waiting: number } {
    let drawn = 0;
    let waiting = 0;
    for (const index of run.results.keys()) {
      const view = sections.get(index);
      if (view?.drawnRun === run.runId) drawn++;
      else if (view && deferred.has(view)) waiting++;
    }
    return { drawn, waiting };
  }

  /** A new run: nothing waits to be drawn. */
  function forgetDeferred(): void {
    deferred.clear();
  }

  return {
    /** The input drawn as a picture, when it is one. */
    inputPicture: () => inputPicture,
    buildSteps: buildSectionSteps,
    queueDraw,
    redrawAll,
    renderInput,
    cursorAt,
    afterPlan,
    noteError,
    markNotRun,
    drawnCount,
    forgetDeferred,
  };
}
