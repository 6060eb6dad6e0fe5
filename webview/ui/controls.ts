/**
 * Every control the preview uses, built on @vscode/webview-ui-toolkit. This
 * is the only module that knows about the toolkit (deprecated upstream), so
 * swapping it means rewriting this file alone.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the toolkit's custom elements (idempotent). */
export function registerControls(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeProgressRing());
}

export interface ButtonOptions {
  readonly title?: string;
  readonly appearance?: 'primary' | 'secondary' | 'icon';
  readonly testId?: string;
}

export function button(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  const element = document.createElement('vscode-button');
  element.textContent = label;
  element.setAttribute('appearance', options.appearance ?? 'secondary');
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
    element.value = selected;
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
      element.value = next;
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

/** A busy indicator. */
export function spinner(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}
