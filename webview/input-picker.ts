/**
 * The input picker: thumbnails of the sample images, the workspace's images
 * and the synthetic patterns, as one listbox. Images load lazily (`<img
 * loading=lazy>`); a pattern's thumbnail is drawn the first time it scrolls
 * into view, at the model input's aspect ratio. Arrow keys, Home and End move
 * the focus; Enter or Space (or a click) picks.
 */
import type { ImageEntry, InputChoice } from '../src/protocol/webview';
import type { InputKey } from './inputs';
import { makePattern, PATTERNS } from './patterns';
import { moveFocus, pickerGroups, thumbnailShape, type PickerItem, type PickerKey } from './picker';
import { appendAll } from './reconcile';
import { drawPicture } from './render';

/** Thumbnail side in CSS pixels (the stylesheet's `--thumb`). */
const THUMB = 40;

export interface InputPicker {
  readonly element: HTMLElement;
  /** Lists these images (and the patterns); `inputShape` sets the patterns' aspect ratio and colour. */
  setItems(images: readonly ImageEntry[], inputShape: readonly number[] | null): void;
  setSelected(key: InputKey | ''): void;
}

const PICKER_KEYS = new Set<string>(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

/**
 * @param loadThumbnail the URL of an image listed without a thumbnail URI
 *   (a workspace image, which the webview may not load itself); asked when it scrolls into view
 */
export function inputPicker(onPick: (choice: InputChoice) => void, loadThumbnail?: (id: string) => Promise<string | undefined>): InputPicker {
  const element = document.createElement('div');
  element.className = 'picker';
  element.setAttribute('role', 'listbox');
  element.setAttribute('aria-label', 'Input');
  element.setAttribute('aria-orientation', 'horizontal');
  element.dataset.testid = 'input-thumbnails';
  let options: HTMLElement[] = [];
  let items = new Map<HTMLElement, PickerItem>();
  let selected: InputKey | '' = '';
  let shape: readonly number[] | null = null;
  let listed = '';

  const undrawn = new WeakSet<Element>();
  const visible = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting || !undrawn.has(entry.target)) continue;
        undrawn.delete(entry.target);
        visible.unobserve(entry.target);
        const image = (entry.target as HTMLElement).querySelector('img');
        if (image) void loadThumbnail?.(image.dataset.imageId ?? '').then((url) => url && (image.src = url));
        else drawPattern(entry.target as HTMLElement);
      }
    },
    { root: element, rootMargin: '0px 64px 64px 0px' },
  );

  function drawPattern(option: HTMLElement): void {
    const item = items.get(option);
    if (!item || item.choice.kind !== 'pattern') return;
    const [channels, height, width] = thumbnailShape(shape, THUMB);
    const canvas = drawPicture(makePattern(item.choice.pattern, [channels, height, width]), channels, width, height, 0, 1);
    canvas.setAttribute('aria-hidden', 'true');
    option.replaceChildren(canvas);
  }

  function makeOption(item: PickerItem): HTMLElement {
    const option = document.createElement('div');
    option.className = 'thumbnail';
    option.setAttribute('role', 'option');
    option.setAttribute('aria-label', item.label);
    option.title = item.label;
    option.tabIndex = -1;
    if (item.choice.kind === 'image') {
      option.dataset.testid = 'image-option';
      option.dataset.imageId = item.choice.id;
      const img = document.createElement('img');
      img.loading = 'lazy';
      img.decoding = 'async';
      img.width = THUMB;
      img.height = THUMB;
      img.alt = '';
      if (item.src) img.src = item.src;
      else {
        img.dataset.imageId = item.choice.id;
        undrawn.add(option);
        visible.observe(option);
      }
      option.append(img);
    } else {
      option.dataset.testid = 'pattern-option';
      option.dataset.pattern = item.choice.pattern;
      undrawn.add(option);
      visible.observe(option);
    }
    items.set(option, item);
    return option;
  }

  function refreshSelection(): void {
    let focusable: HTMLElement | undefined;
    for (const option of options) {
      const on = items.get(option)?.key === selected;
      option.classList.toggle('selected', on);
      option.setAttribute('aria-selected', String(on));
      if (on) focusable = option;
    }
    // Roving tabindex: one stop in the tab order, the selected thumbnail (or the first).
    const current = options.find((o) => o.tabIndex === 0);
    const target = current && element.contains(document.activeElement) ? current : (focusable ?? options[0]);
    for (const option of options) option.tabIndex = option === target ? 0 : -1;
  }

  element.addEventListener('click', (event) => {
    const option = (event.target as Element | null)?.closest<HTMLElement>('[role=option]');
    const item = option ? items.get(option) : undefined;
    if (!option || !item) return;
    for (const o of options) o.tabIndex = o === option ? 0 : -1;
    onPick(item.choice);
  });

  element.addEventListener('keydown', (event) => {
    const from = options.indexOf(document.activeElement as HTMLElement);
    if (from < 0) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const item = items.get(options[from]);
      if (item) onPick(item.choice);
      return;
    }
    if (!PICKER_KEYS.has(event.key)) return;
    event.preventDefault();
    const to = moveFocus(
      options.map((o) => o.getBoundingClientRect()),
      from,
      event.key as PickerKey,
    );
    if (to < 0 || to === from) return;
    options[from].tabIndex = -1;
    options[to].tabIndex = 0;
    options[to].focus();
    options[to].scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });

  return {
    element,
    setItems(images, inputShape) {
      const shapeChanged = (shape?.join('x') ?? '') !== (inputShape?.join('x') ?? '');
      shape = inputShape;
      const groups = pickerGroups(images, PATTERNS);
      const signature = groups.map((g) => `${g.id}:${g.items.map((i) => i.key).join(',')}:${g.hidden}`).join('|');
      if (signature === listed) {
        // Same inputs: only the patterns' shape may have changed.
        if (shapeChanged) for (const option of options) if (items.get(option)?.choice.kind === 'pattern') drawPattern(option);
        return;
      }
      listed = signature;
      for (const option of options) visible.unobserve(option);
      items = new Map();
      options = [];
      element.replaceChildren(
        ...groups.map((group) => {
          const wrapper = document.createElement('div');
          wrapper.className = 'picker-group';
          wrapper.setAttribute('role', 'group');
          wrapper.setAttribute('aria-label', group.label);
          const caption = document.createElement('span');
          caption.className = 'caption';
          caption.textContent = group.label;
          caption.setAttribute('aria-hidden', 'true');
          const made = group.items.map(makeOption);
          for (const option of made) options.push(option);
          // The group's own row, scrolled sideways: each group's first thumbnails are always in view.
          const strip = document.createElement('div');
          strip.className = 'strip';
          appendAll(strip, made);
          if (group.hidden > 0) {
            const more = document.createElement('span');
            more.className = 'more';
            more.textContent = `+${group.hidden} more in the Input list`;
            strip.append(more);
          }
          wrapper.append(caption, strip);
          return wrapper;
        }),
      );
      refreshSelection();
    },
    setSelected(key) {
      selected = key;
      refreshSelection();
    },
  };
}
