/** Drawing maps, plots and legends onto canvases. */
import type { ColormapChoice, MapTiles, MapNormalisation } from '../src/protocol/webview';
import { colorAt, colorize, colorizeIndices, paletteFor, paletteLabel, type ValueRange } from './colormap';
import { downsample2d, displayFactor, envelope } from './downsample';
import { legendTicks, rangeFor } from './normalise';
import { TILE_MAX_SIDE, tileOffset } from './tiles';

export { TILE_MAX_SIDE };

/** The palette the user chose (the colormap control); every drawing below reads it. */
let colormapChoice: ColormapChoice = 'auto';

export function setColormapChoice(choice: ColormapChoice): void {
  colormapChoice = choice;
}

/** `range` in the chosen palette. */
function inPalette(range: ValueRange): ValueRange {
  const colormap = paletteFor(range.colormap, colormapChoice);
  return colormap === range.colormap ? range : { ...range, colormap };
}

export interface DrawnMap {
  readonly canvas: HTMLCanvasElement;
  /** Source pixels per canvas pixel. */
  readonly factor: number;
  readonly rgba: Uint8ClampedArray;
}

/** A colormap as a left-to-right CSS gradient (17 stops), cached per colormap. */
const gradients = new Map<ValueRange['colormap'], string>();
function gradientCss(colormap: ValueRange['colormap']): string {
  let css = gradients.get(colormap);
  if (!css) {
    const stops = Array.from({ length: 17 }, (_, i) => {
      const [r, g, b] = colorAt(colormap, i / 16);
      return `rgb(${r}, ${g}, ${b}) ${(i / 16) * 100}%`;
    });
    css = `linear-gradient(to right, ${stops.join(', ')})`;
    gradients.set(colormap, css);
  }
  return css;
}

/**
 * A canvas's 2D context, asked for as one read back often: that keeps the
 * canvas in memory, painted with the page, instead of a GPU-backed canvas of
 * its own. A few hundred small GPU canvases each became a compositor layer:
 * in a trace of the ResNet-50 edit, committing and layerizing them took 0.5 s
 * of the page's thread (commits of up to 50 ms), more than our own script.
 */
function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  return canvas.getContext('2d', { willReadFrequently: true });
}

/** Each canvas's pixel buffer, refilled when the canvas is drawn into again. */
const pixelsOf = new WeakMap<HTMLCanvasElement, ImageData>();

/**
 * Paints one height×width map (from `offset` in `values`) at most `maxSide`
 * pixels on a side, into `into` when given: reusing a section's canvases
 * across runs spares the browser a few thousand canvas allocations per run
 * of a big model, and the garbage collections that free them.
 */
export function drawMap(values: ArrayLike<number>, offset: number, width: number, height: number, range: ValueRange, maxSide = TILE_MAX_SIDE, into?: HTMLCanvasElement): DrawnMap {
  const factor = displayFactor(width, height, maxSide);
  // At full size the values are coloured where they are, without a copy.
  const small = factor === 1 ? { width, height, factor, data: values, offset } : { ...downsample2d(values, offset, width, height, factor), offset: 0 };
  const canvas = into ?? document.createElement('canvas');
  if (canvas.width !== small.width) canvas.width = small.width;
  if (canvas.height !== small.height) canvas.height = small.height;
  let image = pixelsOf.get(canvas);
  if (!image || image.width !== small.width || image.height !== small.height) {
    image = new ImageData(small.width, small.height);
    pixelsOf.set(canvas, image);
  }
  colorize(small.data, small.offset, small.width * small.height, inPalette(range), image.data);
  context2d(canvas)?.putImageData(image, 0, 0);
  return { canvas, factor: small.factor, rgba: image.data };
}

/** One channel's tile (made in the worker) into its canvas, reusing the canvas's pixel buffer. */
export function drawTile(tiles: MapTiles, channel: number, depth: number, mode: MapNormalisation, into?: HTMLCanvasElement): DrawnMap {
  const { width, height } = tiles;
  const canvas = into ?? document.createElement('canvas');
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  let image = pixelsOf.get(canvas);
  if (!image || image.width !== width || image.height !== height) {
    image = new ImageData(width, height);
    pixelsOf.set(canvas, image);
  }
  colorizeIndices(tiles.indices, tileOffset(tiles, channel, depth, mode), width * height, inPalette(rangeFor(tiles)).colormap, image.data);
  context2d(canvas)?.putImageData(image, 0, 0);
  return { canvas, factor: tiles.factor, rgba: image.data };
}

/** An RGB (or gray) picture of a 3- or 1-channel input, stretched over its min..max. */
export function drawPicture(values: ArrayLike<number>, channels: number, width: number, height: number, min: number, max: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const image = new ImageData(width, height);
  const plane = width * height;
  const scale = max > min ? 255 / (max - min) : 0;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = values[(channels >= 3 ? c : 0) * plane + i];
      image.data[i * 4 + c] = (v - min) * scale;
    }
    image.data[i * 4 + 3] = 255;
  }
  context2d(canvas)?.putImageData(image, 0, 0);
  return canvas;
}

/** An RGB conv filter [3, kh, kw] as a colour image: mid-grey is zero, ±`scale` saturates. */
export function drawKernelRgb(values: ArrayLike<number>, offset: number, width: number, height: number, scale: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const image = new ImageData(width, height);
  const plane = width * height;
  const k = scale > 0 ? 127 / scale : 0;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) image.data[i * 4 + c] = 128 + values[offset + c * plane + i] * k;
    image.data[i * 4 + 3] = 255;
  }
  context2d(canvas)?.putImageData(image, 0, 0);
  return canvas;
}

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** A line plot of a 1D signal (min/max envelope when longer than the canvas). */
export function drawPlot(values: ArrayLike<number>, offset: number, length: number, range: ValueRange, width = 220, height = 56): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = context2d(canvas);
  if (!context) return canvas;
  const { min, max } = envelope(values, offset, length, width);
  const span = range.hi - range.lo || 1;
  const y = (v: number) => height - 2 - ((v - range.lo) / span) * (height - 4);
  context.strokeStyle = cssColor('--vscode-editorLineNumber-foreground', '#888');
  context.globalAlpha = 0.4;
  context.beginPath();
  const zero = y(0);
  if (zero >= 0 && zero <= height) {
    context.moveTo(0, zero);
    context.lineTo(width, zero);
    context.stroke();
  }
  context.globalAlpha = 1;
  context.strokeStyle = cssColor('--vscode-charts-blue', '#3794ff');
  context.beginPath();
  const step = width / min.length;
  for (let i = 0; i < min.length; i++) {
    const x = i * step + step / 2;
    if (i === 0) context.moveTo(x, y(min[i]));
    context.lineTo(x, y(min[i]));
    if (max[i] !== min[i]) context.lineTo(x, y(max[i]));
  }
  context.stroke();
  return canvas;
}

/** A bar per entry, for short vectors (class scores). */
export function drawBars(values: ArrayLike<number>, offset: number, length: number, range: ValueRange, highlight: number, width = 220, height = 56): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = context2d(canvas);
  if (!context) return canvas;
  const span = range.hi - range.lo || 1;
  const base = Math.min(height, Math.max(0, height - ((0 - range.lo) / span) * height));
  const step = width / Math.max(1, length);
  const palette = paletteFor(range.colormap, colormapChoice);
  for (let i = 0; i < length; i++) {
    const top = height - ((values[offset + i] - range.lo) / span) * height;
    const [r, g, b] = colorAt(palette, (values[offset + i] - range.lo) / span);
    context.fillStyle = i === highlight ? cssColor('--vscode-charts-orange', '#d18616') : `rgb(${r},${g},${b})`;
    context.fillRect(i * step + 1, Math.min(top, base), Math.max(1, step - 2), Math.max(1, Math.abs(base - top)));
  }
  return canvas;
}

/**
 * A colour bar with its low, middle and high values; `perChannel` when each
 * map is scaled to its own range, so the ends have no single value. Given a
 * legend this made before (`into`), redraws that one instead of making another.
 */
export function legend(range: ValueRange, perChannel = false, into?: HTMLElement): HTMLElement {
  const element = into ?? document.createElement('div');
  let bar = element.querySelector<HTMLElement>('.bar');
  let ticks = element.querySelector<HTMLElement>('.ticks');
  if (!bar || !ticks) {
    element.className = 'legend';
    // A CSS gradient, not a canvas: every section has a legend, and canvases weigh on garbage collection.
    bar = document.createElement('div');
    bar.className = 'bar';
    ticks = document.createElement('div');
    ticks.className = 'ticks';
    ticks.append(document.createElement('span'), document.createElement('span'), document.createElement('span'));
    element.replaceChildren(bar, ticks);
  }
  const palette = paletteFor(range.colormap, colormapChoice);
  const gradient = gradientCss(palette);
  if (bar.style.backgroundImage !== gradient) bar.style.backgroundImage = gradient;
  const labels = perChannel ? (range.colormap === 'diverging' ? ['−max', '0', '+max'] : ['min', 'per channel', 'max']) : legendTicks(range);
  labels.forEach((label, i) => {
    const span = ticks.children[i];
    if (span && span.textContent !== label) span.textContent = label;
  });
  const title =
    `${paletteLabel(palette)}: ${range.colormap === 'viridis' ? 'non-negative values, low to high' : 'negative to positive, zero in the middle'}` +
    (perChannel ? `; each channel scaled to its own range (layer: ${legendTicks(range)[0]} to ${legendTicks(range)[2]})` : '');
  if (element.title !== title) element.title = title;
  return element;
}
