/**
 * The toolkit applies the VS Code theme to its design tokens from a window
 * `load` listener (and only then starts watching for theme changes). Its
 * bundle loads after the first maps, when `load` has long fired, so the
 * tokens kept their dark defaults (#ccc text) in every theme. Imported
 * before the toolkit: while `hold` is on, a `load` listener added after the
 * page has loaded runs at once (in a microtask) instead of never.
 */
let original: typeof window.addEventListener | null = null;

export function holdLateLoadListeners(): void {
  if (original || document.readyState !== 'complete') return;
  const add = window.addEventListener;
  original = add;
  window.addEventListener = function (this: Window, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
    if (type === 'load' && listener) {
      const event = new Event('load');
      queueMicrotask(() => (typeof listener === 'function' ? listener.call(window, event) : listener.handleEvent(event)));
      return;
    }
    if (listener) add.call(this, type, listener, options);
  } as typeof window.addEventListener;
}

export function releaseLateLoadListeners(): void {
  if (original) window.addEventListener = original;
  original = null;
}

holdLateLoadListeners();
