/** Small DOM helpers the page's modules share. */
import { appendAll } from './reconcile';

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function labelled(label: string, control: HTMLElement): HTMLElement {
  const wrapper = element('label', 'labelled');
  wrapper.append(element('span', undefined, label), control);
  return wrapper;
}

/** A picture with its caption under it. */
export function figure(picture: HTMLElement, caption: string, title: string): HTMLElement {
  const wrapper = element('figure', 'labelled-map');
  wrapper.title = title;
  wrapper.append(picture, element('figcaption', undefined, caption));
  return wrapper;
}

export function wrapGrid(canvases: HTMLElement[]): HTMLElement {
  const grid = element('div', 'grid');
  appendAll(grid, canvases);
  return grid;
}

/** `parent.replaceChildren(...children)` for any number of children (see appendAll). */
export function replaceAll(parent: HTMLElement, children: readonly Element[]): void {
  parent.replaceChildren();
  appendAll(parent, children);
}

/** Sets an element's text only when it changes. */
export function setText(target: HTMLElement, text: string): HTMLElement {
  if (target.textContent !== text) target.textContent = text;
  return target;
}

export function sameChildren(parent: HTMLElement, children: readonly Element[]): boolean {
  if (parent.children.length !== children.length) return false;
  return children.every((child, i) => parent.children[i] === child);
}
