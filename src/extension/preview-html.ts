/**
 * The preview webview's HTML: a strict Content Security Policy (scripts only
 * with the page's nonce, everything else only from the webview's own
 * resource origin, no network), the stylesheet, the worker's URI and the
 * UI bundle. No `vscode` import, so it is tested in Node.
 */

export interface PreviewHtmlOptions {
  /** `webview.cspSource`: the origin webview resources are served from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly workerUri: string;
  /** The UI toolkit's bundle, loaded by the webview after its first maps. */
  readonly toolkitUri: string;
  readonly title: string;
}

/**
 * The CSP. Styles come from our stylesheet, plus nonce-carrying <style>
 * elements: the toolkit (FAST) probes `:focus-visible` support with one and
 * reads the nonce from `<meta property="csp-nonce">`. The worker is started from a blob: URL made from its fetched
 * bundle (a Worker must be same-origin with the page, and resources are not),
 * hence `worker-src blob:` and `connect-src` limited to the resource origin.
 */
export function previewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // blob: for workspace images' thumbnails, made from bytes the extension posts.
    `img-src ${cspSource} blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `connect-src ${cspSource}`,
    'worker-src blob:',
    // Not covered by default-src: no <base> to redirect relative URLs, no form to post anywhere.
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The page's first script: starts the worker before the UI bundle has even
 * loaded, so the worker's start-up (parsing a bundle of ~150 KB) overlaps
 * with the UI's. It fetches the bundle and starts it from a blob: URL, and
 * leaves `{ url, worker }` in `window.convlensWorker` for webview/main.ts,
 * which starts its own worker if this failed.
 */
export const workerBootstrap =
  "window.convlensWorker=fetch(document.currentScript.dataset.worker).then(function(r){if(!r.ok)throw new Error(String(r.status));return r.blob()})" +
  ".then(function(b){var u=URL.createObjectURL(new Blob([b],{type:'text/javascript'}));var w=new Worker(u);performance.mark('convlens:worker-created');return{url:u,worker:w}});";

export function previewHtml(options: PreviewHtmlOptions): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(previewCsp(options.cspSource, options.nonce))}">
<meta property="csp-nonce" content="${attr(options.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="preload" href="${attr(options.workerUri)}" as="fetch" crossorigin="anonymous">
<script nonce="${attr(options.nonce)}" data-worker="${attr(options.workerUri)}">${workerBootstrap}</script>
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>${escapeText(options.title)}</title>
</head>
<body>
<div id="app" data-worker-uri="${attr(options.workerUri)}" data-toolkit-uri="${attr(options.toolkitUri)}"></div>
<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>
`;
}

/** 32 random alphanumerics from `random` (a byte source, e.g. crypto.getRandomValues). */
export function makeNonce(random: (bytes: Uint8Array) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(new Uint8Array(32)), (b) => alphabet[b % alphabet.length]).join('');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** The images the picker lists: PNG and JPEG files. */
export function isPickableImage(path: string): boolean {
  return /\.(png|jpe?g)$/i.test(path);
}

/** The image's label in the picker: its file name without the extension. */
export function imageLabel(path: string): string {
  const name = path.split('/').pop() ?? path;
  return name.replace(/\.(png|jpe?g)$/i, '');
}

/**
 * Calls `f` once `ms` after the last of a burst of calls. `flush` runs a
 * pending call now; `cancel` drops it.
 */
export function debounce(f: () => void, ms: number): { (): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      f();
    }, ms);
  };
  call.flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    f();
  };
  call.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return call;
}

/** The largest PNG an export may write: far above a grid the webview draws, far below filling a disk. */
export const MAX_PNG_BYTES = 64 * 1024 * 1024;

/** Why `bytes` are not a PNG to save (no PNG signature and IHDR chunk first, or too large); undefined when they are. */
export function pngProblem(bytes: Uint8Array): string | undefined {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82];
  if (bytes.byteLength < signature.length || signature.some((b, i) => bytes[i] !== b)) return 'not a PNG image';
  if (bytes.byteLength > MAX_PNG_BYTES) return `${(bytes.byteLength / 1024 / 1024).toFixed(0)} MB, more than the limit of ${MAX_PNG_BYTES / 1024 / 1024} MB`;
  return undefined;
}
