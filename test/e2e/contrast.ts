/**
 * WCAG 2 text contrast, measured in a live page: every visible text in a
 * frame (shadow roots included), its computed colour against the background
 * it is painted on (ancestors' backgrounds composited, opacity applied).
 */
import type { Frame } from 'playwright-core';

export interface TextContrast {
  /** A short path to the element: `section.layer > span.name`. */
  readonly element: string;
  readonly text: string;
  readonly color: string;
  readonly background: string;
  readonly ratio: number;
  /** WCAG large text: 24 px, or 18.66 px bold. Needs 3:1 instead of 4.5:1. */
  readonly large: boolean;
}

/** What AA asks of a text: 4.5:1, or 3:1 for large text. */
export function aaMinimum(text: Pick<TextContrast, 'large'>): number {
  return text.large ? 3 : 4.5;
}

/** Measures every visible text under `root` (a selector) in `frame`. */
export async function textContrasts(frame: Frame, root = 'body'): Promise<TextContrast[]> {
  return frame.evaluate((rootSelector) => {
    // Any CSS colour as RGBA 0–255 (alpha 0–1): the canvas parses it, whatever its syntax.
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const parse = (css: string): [number, number, number, number] => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = '#000';
      context.fillStyle = css;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      // getImageData gives unpremultiplied colour.
      return [r, g, b, a / 255];
    };
    const over = (top: [number, number, number, number], bottom: [number, number, number]): [number, number, number] => [
      top[0] * top[3] + bottom[0] * (1 - top[3]),
      top[1] * top[3] + bottom[1] * (1 - top[3]),
      top[2] * top[3] + bottom[2] * (1 - top[3]),
    ];
    const luminance = ([r, g, b]: [number, number, number]) => {
      const linear = (c: number) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const parentOf = (e: Element): Element | null => e.parentElement ?? ((e.getRootNode() as ShadowRoot).host ?? null);
    const background = (e: Element): [number, number, number] => {
      const layers: [number, number, number, number][] = [];
      for (let at: Element | null = e; at; at = parentOf(at)) {
        const color = parse(getComputedStyle(at).backgroundColor);
        if (color[3] > 0) layers.push(color);
        if (color[3] >= 1) break;
      }
      // Under everything, the page's own canvas colour (white unless the html/body set one: they are in the walk).
      let result: [number, number, number] = [255, 255, 255];
      for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
      return result;
    };
    const opacity = (e: Element): number => {
      let product = 1;
      for (let at: Element | null = e; at; at = parentOf(at)) product *= Number(getComputedStyle(at).opacity);
      return product;
    };
    const describe = (e: Element): string => {
      const part = (x: Element) => `${x.localName}${x.classList.length > 0 ? `.${[...x.classList].join('.')}` : ''}`;
      const parent = parentOf(e);
      return parent ? `${part(parent)} > ${part(e)}` : part(e);
    };
    const results: {
      element: string;
      text: string;
      color: string;
      background: string;
      ratio: number;
      large: boolean;
    }[] = [];
    const visit = (node: ParentNode) => {
      for (const e of node.querySelectorAll('*')) {
        if (e.shadowRoot) visit(e.shadowRoot);
        const textNodes = [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
        // Slotted text belongs to the host: `<vscode-panel-tab>Summary</vscode-panel-tab>` is the tab's label.
        if (textNodes.length === 0 || ['SCRIPT', 'STYLE', 'OPTION'].includes(e.tagName)) continue;
        const own = textNodes.map((n) => (n.textContent ?? '').trim()).join(' ');
        const style = getComputedStyle(e);
        // The text's own box: a <slot>'s fallback text (the dropdown's value) sits in a `display: contents` element with no box.
        const range = document.createRange();
        range.setStartBefore(textNodes[0]);
        range.setEndAfter(textNodes[textNodes.length - 1]);
        const box = range.getBoundingClientRect();
        if (style.visibility !== 'visible' || box.width === 0 || box.height === 0 || e.closest('[hidden], [aria-hidden="true"]')) continue;
        if (e.matches(':disabled, [aria-disabled="true"]')) continue;
        const bg = background(e);
        const fg = parse(style.color);
        const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity(e)], bg);
        const [light, dark] = [luminance(shown), luminance(bg)].sort((a, b) => b - a);
        const size = parseFloat(style.fontSize);
        const bold = Number(style.fontWeight) >= 700;
        results.push({
          element: describe(e),
          text: own.slice(0, 40),
          color: `rgb(${shown.map(Math.round).join(', ')})`,
          background: `rgb(${bg.map(Math.round).join(', ')})`,
          ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100,
          large: size >= 24 || (bold && size >= 18.66),
        });
      }
    };
    const root = document.querySelector(rootSelector);
    if (root) visit(root);
    return results;
  }, root);
}
