/**
 * The readout under the pointer (a map's value at a position, and the
 * receptive field it sees in the input) and the enlarged view of one channel.
 * Maps come to the page as display tiles: their full-resolution values are
 * fetched from the worker, a few channels kept.
 */
import { formatShape } from '../src/language/notation';
import type { LayerInfo, MapNormalisation, ShapeNotation, UiToWorker, ValuesMessage } from '../src/protocol/webview';
import type { ValueRange } from './colormap';
import { element } from './dom';
import { Lru } from './lru';
import { formatValue, rangeFor } from './normalise';
import { fieldRegion } from './receptive-field';
import { drawMap, drawPlot, drawTile, legend } from './render';
import type { ReceivedLayer, RunRecord } from './run-record';
import { isTiles } from './tiles';
import { button } from './ui/controls';

/** What the readout needs of a layer's section. */
export interface ReadoutTarget {
  readonly index: number;
  readonly info: LayerInfo;
  /** Depth slice shown for 3D maps. */
  readonly depth: number;
}

export interface ReadoutOptions {
  readonly run: RunRecord;
  readonly toWorker: (message: UiToWorker) => void;
  readonly notation: () => ShapeNotation;
  readonly normalisation: () => MapNormalisation;
  /** The input drawn as a picture, when it is one: the readout shows the receptive field on it. */
  readonly inputPicture: () => HTMLCanvasElement | null;
}

/** A vector, or a pooled C×1×… map: drawn as one plot over its entries. */
export function isVector(shape: readonly number[]): boolean {
  return shape.length === 1 || (shape.length > 1 && shape.slice(1).every((d) => d === 1));
}

/** The map position under the pointer, in the full-resolution tensor. */
function positionIn(canvas: HTMLCanvasElement, event: MouseEvent, width: number, height: number): [number, number] {
  const box = canvas.getBoundingClientRect();
  const x = Math.min(width - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * width)));
  const y = Math.min(height - 1, Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * height)));
  return [y, x];
}

export class Readout {
  /** The readout box; `zoom` is the enlarged view's overlay. */
  readonly element = element('div', 'readout');
  readonly zoom = element('div', 'zoom');
  private readonly text = element('div', 'readout-text');
  private readonly picture = element('div', 'readout-picture');
  private readonly run: RunRecord;
  /**
   * Full-resolution channels fetched from the worker (which keeps the layer
   * outputs) for hover readouts and the enlarged view, the last few kept; null
   * when the worker no longer had them. Keyed by run, layer and channel.
   */
  private readonly channelValues = new Lru<string, Float32Array | null>(8);
  private readonly pendingValues = new Set<string>();
  /** The last hover, redone when the values it waited for arrive. */
  private lastHover: { readonly view: ReadoutTarget; readonly event: MouseEvent } | null = null;
  /** An enlarged view waiting for its channel's values. */
  private pendingZoom: { readonly view: ReadoutTarget; readonly channel: number } | null = null;

  constructor(private readonly options: ReadoutOptions) {
    this.run = options.run;
    this.element.hidden = true;
    this.element.append(this.picture, this.text);
    this.zoom.hidden = true;
    this.zoom.addEventListener('click', (event) => {
      if (event.target === this.zoom) this.closeZoom();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.closeZoom();
    });
  }

  /** A new run: the values kept are another run's. */
  forget(): void {
    this.channelValues.clear();
    this.pendingValues.clear();
    this.pendingZoom = null;
  }

  /** A channel's values if the page has them; else undefined, after asking the worker. */
  private channelValuesOf(index: number, channel: number): Float32Array | null | undefined {
    const key = `${this.run.runId}:${index}:${channel}`;
    const kept = this.channelValues.get(key);
    if (kept !== undefined) return kept;
    if (!this.pendingValues.has(key)) {
      this.pendingValues.add(key);
      this.options.toWorker({ type: 'values', runId: this.run.runId, layer: index, channel });
    }
    return undefined;
  }

  /** A channel's values from the worker: the readout or enlarged view that waited for them is redone. */
  onValues(message: ValuesMessage): void {
    const key = `${message.runId}:${message.index}:${message.channel}`;
    if (message.runId !== this.run.runId || !this.pendingValues.delete(key)) return;
    this.channelValues.set(key, message.data ?? null);
    if (this.lastHover && this.lastHover.view.index === message.index) this.hover(this.lastHover.view, this.lastHover.event);
    if (this.pendingZoom && this.pendingZoom.view.index === message.index && this.pendingZoom.channel === message.channel) this.openZoom(this.pendingZoom.view, this.pendingZoom.channel);
  }

  /** A readout's value: '…' while the worker is asked for it. */
  private valueAt(result: ReceivedLayer, index: number, channel: number, flatIndex: number): string {
    for (const slice of result.slices) {
      if (channel >= slice.from && channel < slice.to) {
        if (isTiles(slice)) {
          const values = this.channelValuesOf(index, channel);
          if (values === undefined) return '…';
          return values === null ? 'not in memory (re-run)' : formatValue(values[flatIndex] ?? NaN);
        }
        const size = slice.shape.slice(1).reduce((a, b) => a * b, 1);
        return formatValue(slice.data[(channel - slice.from) * size + flatIndex] ?? NaN);
      }
    }
    return formatValue(NaN);
  }

  hover(view: ReadoutTarget, event: MouseEvent): void {
    const target = event.target;
    const result = this.run.results.get(view.index);
    if (!(target instanceof HTMLCanvasElement) || target.dataset.channel === undefined || !result) return this.hide();
    this.lastHover = { view, event };
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
      const value = this.valueAt(result, view.index, channel, i);
      text = `${view.info.name} · ch ${channel} · t ${i} = ${value}`;
      region = fieldRegion(view.info, [i], this.run.input?.shape.slice(1) ?? []);
    } else {
      const height = shape[shape.length - 2];
      const width = shape[shape.length - 1];
      const [y, x] = positionIn(target, event, width, height);
      const depthOffset = shape.length === 4 ? view.depth * width * height : 0;
      const value = this.valueAt(result, view.index, channel, depthOffset + y * width + x);
      text = `${view.info.name} · ch ${channel} · (y ${y}, x ${x})${shape.length === 4 ? ` · z ${view.depth}` : ''} = ${value}`;
      const position = shape.length === 4 ? [view.depth, y, x] : [y, x];
      region = fieldRegion(view.info, position, this.run.input?.shape.slice(1) ?? []);
    }
    if (region) {
      const axes = region.from.length === 1 ? ['t'] : region.from.length === 2 ? ['rows', 'cols'] : ['slices', 'rows', 'cols'];
      text += `\nreceptive field ${region.size.join('×')}: ${axes.map((a, i) => `${a} ${region!.from[i]}–${region!.to[i]}`).join(', ')} of the input`;
    }
    this.show(text, region && region.from.length === 2 ? region : null);
  }

  private show(text: string, region: { from: readonly number[]; to: readonly number[] } | null): void {
    this.element.hidden = false;
    this.text.textContent = text;
    const inputPicture = this.options.inputPicture();
    if (inputPicture && region && this.run.input) {
      const [, height, width] = this.run.input.shape;
      const scale = 96 / Math.max(width, height);
      let picture = this.picture.querySelector('canvas');
      if (!picture || picture.dataset.source !== String(this.run.runId)) {
        picture = element('canvas');
        picture.width = inputPicture.width;
        picture.height = inputPicture.height;
        picture.getContext('2d')?.drawImage(inputPicture, 0, 0);
        picture.dataset.source = String(this.run.runId);
        picture.style.width = `${Math.round(width * scale)}px`;
        picture.style.height = `${Math.round(height * scale)}px`;
        this.picture.replaceChildren(picture, element('div', 'field'));
      }
      const box = this.picture.querySelector<HTMLElement>('.field');
      if (box) {
        box.style.left = `${region.from[1] * scale}px`;
        box.style.top = `${region.from[0] * scale}px`;
        box.style.width = `${(region.to[1] - region.from[1] + 1) * scale}px`;
        box.style.height = `${(region.to[0] - region.from[0] + 1) * scale}px`;
      }
      this.picture.hidden = false;
    } else {
      this.picture.hidden = true;
    }
  }

  hide(): void {
    this.element.hidden = true;
    this.lastHover = null;
  }

  openZoom(view: ReadoutTarget, channel: number): void {
    const result = this.run.results.get(view.index);
    if (!result) return;
    const shape = result.slices[0].shape;
    const slice = result.slices.find((s) => channel >= s.from && channel < s.to) ?? result.slices[0];
    const title = element('div', 'zoom-title', `${view.info.name} · channel ${channel} · ${formatShape(shape, this.options.notation())}`);
    const close = button('Close', () => this.closeZoom(), { appearance: 'secondary' });
    const frame = element('div', 'zoom-frame');
    const body = element('div', 'body');
    let canvas: HTMLCanvasElement;
    if (isTiles(slice)) {
      // The full-resolution channel comes from the worker; the view opens when it is here.
      const values = this.channelValuesOf(view.index, channel);
      if (values === undefined) {
        this.pendingZoom = { view, channel };
        return;
      }
      this.pendingZoom = null;
      const layerRange = rangeFor(slice);
      const i = channel - slice.from;
      const range: ValueRange = this.options.normalisation() === 'layer' ? layerRange : { lo: slice.ranges[2 * i], hi: slice.ranges[2 * i + 1], colormap: layerRange.colormap };
      if (values === null) {
        // No longer in the worker's memory: the tile, enlarged.
        canvas = drawTile(slice, channel, Math.max(0, view.depth), this.options.normalisation()).canvas;
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
    body.addEventListener('mousemove', (event) => this.hover(view, event));
    body.addEventListener('mouseleave', () => this.hide());
    frame.prepend(title);
    frame.append(body, close);
    this.zoom.replaceChildren(frame);
    this.zoom.hidden = false;
  }

  closeZoom(): void {
    this.pendingZoom = null;
    this.zoom.hidden = true;
    this.zoom.replaceChildren();
  }
}
