/**
 * Every control the preview uses, as @vscode/webview-ui-toolkit elements
 * (the toolkit is deprecated upstream). This module and toolkit.ts, which
 * registers the elements, are the only ones that know about the toolkit, so
 * swapping it means rewriting these two files alone.
 *
 * The elements are created before the toolkit bundle has loaded and upgrade
 * when it does: properties are only set once an element is defined (an own
 * property set earlier would hide the element's accessor).
 */

let loading: Promise<void> | null = null;

/** Loads dist/toolkit.js (a sibling of this bundle) once; controls look plain until it has. */
export function loadControls(scriptUrl: string, nonce: string): Promise<void> {
  if (!loading) {
    loading = new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = scriptUrl;
      script.nonce = nonce;
      script.onload = () => resolve();
      script.onerror = () => resolve();
      document.body.append(script);
    });
  }
  return loading;
}

function whenDefined(element: HTMLElement, f: () => void): void {
  const tag = element.localName;
  if (customElements.get(tag)) f();
  else void customElements.whenDefined(tag).then(f);
}

export interface ButtonOptions {
  readonly title?: string;
  readonly appearance?: 'primary' | 'secondary' | 'icon';
  readonly testId?: string;
}

export function button(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  const element = document.createElement('vscode-button');
  element.setAttribute('appearance', options.appearance ?? 'secondary');
  return wireButton(element, label, onClick, options);
}

/**
 * A plain `<button>` styled like the toolkit's secondary button, for the
 * buttons every layer section has: a big model has hundreds of them, and each
 * toolkit button brings a shadow root and its bindings, which every garbage
 * collection has to trace.
 */
export function plainButton(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'plain-button';
  return wireButton(element, label, onClick, options);
}

/** Label, tooltip, test id and a click handler that keeps the click from the section under it. */
function wireButton(element: HTMLElement, label: string, onClick: () => void, options: ButtonOptions): HTMLElement {
  element.textContent = label;
  if (options.title) element.title = options.title;
  if (options.testId) element.dataset.testid = options.testId;
  element.addEventListener('click', (event) => {
    event.stopPropagation();
    onClick();
  });
  return element;
}

export interface SelectOption<T extends string> {
  readonly value: T;
  readonly label: string;
}

export interface Select<T extends string> {
  readonly element: HTMLElement;
  setOptions(options: readonly SelectOption<T>[], value: T): void;
  setValue(value: T): void;
  readonly value: T;
}

interface ValueElement extends HTMLElement {
  value: string;
}

/** A dropdown whose value is one of `T`. */
export function select<T extends string>(options: readonly SelectOption<T>[], value: T, onChange: (value: T) => void, testId?: string): Select<T> {
  const element = document.createElement('vscode-dropdown') as ValueElement;
  if (testId) element.dataset.testid = testId;
  let current = value;
  let known = new Set<string>();
  const fill = (list: readonly SelectOption<T>[], selected: T) => {
    element.replaceChildren(
      ...list.map((o) => {
        const option = document.createElement('vscode-option') as ValueElement;
        option.setAttribute('value', o.value);
        option.textContent = o.label;
        if (o.value === selected) option.setAttribute('selected', '');
        return option;
      }),
    );
    known = new Set(list.map((o) => o.value));
    current = selected;
    whenDefined(element, () => (element.value = current));
  };
  fill(options, value);
  element.addEventListener('change', () => {
    const next = element.value;
    if (known.has(next) && next !== current) {
      current = next as T;
      onChange(current);
    }
  });
  return {
    element,
    setOptions: fill,
    setValue(next: T) {
      current = next;
      whenDefined(element, () => (element.value = current));
    },
    get value() {
      return current;
    },
  };
}

export interface Tab<T extends string> {
  readonly id: T;
  readonly label: string;
  readonly content: HTMLElement;
}

/** Tabs over `tabs`' contents; `onChange` gets the shown tab's id. */
export function tabs<T extends string>(list: readonly Tab<T>[], active: T, onChange: (id: T) => void): HTMLElement {
  const panels = document.createElement('vscode-panels');
  panels.setAttribute('activeid', `tab-${active}`);
  for (const tab of list) {
    const header = document.createElement('vscode-panel-tab');
    header.id = `tab-${tab.id}`;
    header.textContent = tab.label;
    header.dataset.testid = `tab-${tab.id}`;
    panels.append(header);
  }
  for (const tab of list) {
    const view = document.createElement('vscode-panel-view');
    view.id = `view-${tab.id}`;
    view.append(tab.content);
    panels.append(view);
  }
  panels.addEventListener('change', () => {
    const id = panels.getAttribute('activeid')?.replace(/^tab-/, '');
    const match = list.find((t) => t.id === id);
    if (match) onChange(match.id);
  });
  return panels;
}

/** Shows tab `id` of an element made by `tabs`. */
export function showTab(panels: HTMLElement, id: string): void {
  panels.setAttribute('activeid', `tab-${id}`);
}
