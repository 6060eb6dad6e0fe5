import { describe, expect, it, vi } from 'vitest';
import { debounce, imageLabel, isPickableImage, makeNonce, MAX_PNG_BYTES, pngProblem, previewCsp, previewHtml, workerBootstrap } from '../../src/extension/preview-html';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  scriptUri: 'https://r/dist/webview.js',
  styleUri: 'https://r/dist/webview.css',
  workerUri: 'https://r/dist/worker.js?a=1&b="2"',
  toolkitUri: 'https://r/dist/toolkit.js',
  title: 'Feature maps: <lenet5>.cnn',
};

describe('previewCsp', () => {
  const csp = previewCsp(options.cspSource, options.nonce);
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('denies by default, and runs only scripts with the nonce (plus compiling the embedded WebAssembly kernels)', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'nonce-abc123'", "'wasm-unsafe-eval'"]);
  });

  it('shows images from the resource origin and from blob: URLs (workspace thumbnails made from posted bytes) only', () => {
    expect(directives.get('img-src')).toEqual([options.cspSource, 'blob:']);
  });

  it('forbids a <base> element and form submissions, which default-src does not cover', () => {
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });

  it('allows no network: every source is the webview resource origin, a nonce or a blob worker', () => {
    for (const [name, sources] of directives) {
      if (name === 'default-src' || name === 'base-uri' || name === 'form-action') continue;
      for (const source of sources) expect([options.cspSource, "'nonce-abc123'", 'blob:', "'wasm-unsafe-eval'"]).toContain(source);
    }
    expect(csp).not.toMatch(/unsafe-inline|(?<!wasm-)unsafe-eval|https?:\/\/(?!file\+)|\*/);
  });
});

describe('previewHtml', () => {
  const html = previewHtml(options);

  it('carries the CSP, the nonce for the script and the toolkit probe, and every bundle', () => {
    expect(html).toContain(`content="${previewCsp(options.cspSource, options.nonce)}"`);
    expect(html).toContain('<script nonce="abc123" src="https://r/dist/webview.js"></script>');
    expect(html).toContain('<meta property="csp-nonce" content="abc123">');
    expect(html).toContain('href="https://r/dist/webview.css"');
    expect(html).toContain('data-toolkit-uri="https://r/dist/toolkit.js"');
  });

  it('escapes attribute values and the title', () => {
    expect(html).toContain('data-worker-uri="https://r/dist/worker.js?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('<title>Feature maps: &lt;lenet5>.cnn</title>');
  });

  it('has two scripts, both with the nonce: the worker bootstrap first, then the bundle; no inline handlers', () => {
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script nonce="abc123" data-worker="https://r/dist/worker.js?a=1&amp;b=&quot;2&quot;">', '<script nonce="abc123" src="https://r/dist/webview.js">']);
    expect(html).not.toMatch(/\son\w+=/);
  });

  it('the bootstrap starts the worker from the fetched bundle and leaves it for the UI bundle', () => {
    expect(html).toContain(workerBootstrap);
    expect(workerBootstrap).toMatch(/^window\.convlensWorker=fetch\(document\.currentScript\.dataset\.worker\)/);
    expect(workerBootstrap).toContain('new Worker(u)');
    expect(workerBootstrap).not.toMatch(/<\/script/i);
  });
});

describe('helpers', () => {
  it('makeNonce gives 32 alphanumerics from the byte source', () => {
    const nonce = makeNonce((bytes) => bytes.map((_, i) => i * 7));
    expect(nonce).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('lists PNG and JPEG files by name', () => {
    expect(['a.png', 'b.JPG', 'c.jpeg', 'd.gif', 'e.png.txt'].map(isPickableImage)).toEqual([true, true, true, false, false]);
    expect(imageLabel('/x/samples/images/digit-7.png')).toBe('digit-7');
  });

  it('pngProblem accepts a PNG signature followed by IHDR, within the size bound, and nothing else', () => {
    const head = [137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82];
    expect(pngProblem(new Uint8Array([...head, 0, 0, 0, 8]))).toBeUndefined();
    expect(pngProblem(new Uint8Array([255, 216, 255, 224, ...head]))).toBe('not a PNG image');
    expect(pngProblem(new Uint8Array(head.slice(0, 8)))).toBe('not a PNG image');
    const big = new Uint8Array(MAX_PNG_BYTES + 1);
    big.set(head);
    expect(pngProblem(big)).toMatch(/more than the limit of 64 MB/);
  });

  it('debounce runs once after a burst; flush runs now; cancel drops it', () => {
    vi.useFakeTimers();
    const f = vi.fn();
    const d = debounce(f, 100);
    d();
    vi.advanceTimersByTime(60);
    d();
    vi.advanceTimersByTime(60);
    expect(f).not.toHaveBeenCalled();
    vi.advanceTimersByTime(40);
    expect(f).toHaveBeenCalledTimes(1);
    d();
    d.flush();
    expect(f).toHaveBeenCalledTimes(2);
    d();
    d.cancel();
    vi.advanceTimersByTime(200);
    expect(f).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
