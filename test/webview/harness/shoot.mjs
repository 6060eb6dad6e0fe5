// Renders the preview webview outside VS Code, for a look and a screenshot:
// serves the repo over HTTP, loads dist/webview.js in a page with the real CSP
// and a stub `acquireVsCodeApi` that plays the extension's part, and drives
// headless Chromium through playwright-core.
//
//   node test/webview/harness/shoot.mjs samples/lenet5.cnn out.png [--input pattern:circle] [--theme light|dark|hc] [--cursor 7] [--hover conv1]
//
// Needs `npm run build`, /usr/bin/chromium and playwright-core (the e2e harness installs it in .e2e-harness/).
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const root = resolve(new URL('../../..', import.meta.url).pathname);
// What the extension tells the page about the text it sends (src/extension/preview-spec.ts), bundled on the fly.
const { specFacts } = await import(
  `data:text/javascript;base64,${Buffer.from(buildSync({ entryPoints: [join(root, 'src/extension/preview-spec.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false }).outputFiles[0].text).toString('base64')}`
);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const [specPath = 'samples/lenet5.cnn', outPath = '/tmp/preview.png'] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const theme = option('theme', 'dark');

const requirePw = createRequire(join(root, '.e2e-harness/playwright/node_modules/'));
const { chromium } = requirePw('playwright-core');

const types = { '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.svg': 'image/svg+xml', '.safetensors': 'application/octet-stream' };
const nonce = 'harnessNonce0123456789abcdefABCDEF';

const themes = {
  dark: { bg: '#1e1e1e', fg: '#cccccc', desc: '#9d9d9d', focus: '#007fd4', border: '#444', kind: 'vscode-dark' },
  light: { bg: '#ffffff', fg: '#333333', desc: '#717171', focus: '#0090f1', border: '#ccc', kind: 'vscode-light' },
  hc: { bg: '#000000', fg: '#ffffff', desc: '#ffffff', focus: '#f38518', border: '#6fc3df', kind: 'vscode-high-contrast' },
};

function page(origin) {
  const t = themes[theme];
  const images = existsSync(join(root, 'samples/images'))
    ? readdirSync(join(root, 'samples/images'))
        .filter((f) => /\.(png|jpe?g)$/i.test(f))
        .sort()
        .map((f) => ({ id: `${origin}/samples/images/${f}`, label: f.replace(/\.(png|jpe?g)$/i, ''), group: 'sample', thumbnail: `${origin}/samples/images/${f}` }))
    : [];
  const text = readFileSync(join(root, specPath), 'utf8');
  const csp = `default-src 'none'; img-src ${origin}; style-src ${origin} 'nonce-${nonce}'; font-src ${origin}; script-src 'nonce-${nonce}' 'wasm-unsafe-eval'; connect-src ${origin}; worker-src blob:`;
  const input = option('input', undefined);
  const state = input ? { uri: 'file:///spec.cnn', inputId: input } : undefined;
  const stub = `
    const text = ${JSON.stringify(text)};
    const images = ${JSON.stringify(images)};
    const specDir = ${JSON.stringify(`${origin}/${specPath.split('/').slice(0, -1).join('/')}`)};
    window.__messages = [];
    document.addEventListener('securitypolicyviolation', (e) => console.warn('CSP', e.violatedDirective, e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber, JSON.stringify(e.sample)));
    window.acquireVsCodeApi = () => ({
      getState: () => undefined,
      setState: (s) => { window.__state = s; },
      postMessage: async (m) => {
        window.__messages.push(m.type);
        const reply = (r) => window.postMessage(r, '*');
        if (m.type === 'ready') reply({ type: 'init', uri: 'file:///spec.cnn', notation: ${JSON.stringify(option('notation', '×'))}, fileName: 'spec.cnn', text, facts: ${JSON.stringify(specFacts(text))}, version: 1, images, state: ${JSON.stringify(state)} });
        if (m.type === 'requestImage') reply({ type: 'imageData', id: m.id, bytes: new Uint8Array(await (await fetch(m.id)).arrayBuffer()) });
        if (m.type === 'requestWeights') {
          const r = await fetch(specDir + '/' + m.path);
          reply(r.ok ? { type: 'weightsData', path: m.path, bytes: new Uint8Array(await r.arrayBuffer()) } : { type: 'weightsData', path: m.path, error: 'not found' });
        }
      },
    });`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}"><meta property="csp-nonce" content="${nonce}">
<link rel="preload" href="${origin}/dist/worker.js" as="fetch" crossorigin="anonymous"><link rel="stylesheet" href="${origin}/dist/webview.css"><link rel="stylesheet" href="${origin}/harness-theme.css">
</head><body class="${t.kind}">
<div id="app" data-worker-uri="${origin}/dist/worker.js" data-toolkit-uri="${origin}/dist/toolkit.js"></div>
<script nonce="${nonce}">${stub}</script>
<script nonce="${nonce}" src="${origin}/dist/webview.js"></script>
</body></html>`;
}

function themeCss() {
  const t = themes[theme];
  return `:root { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-editor-font-size: 12px;
  --vscode-foreground: ${t.fg}; --vscode-editor-background: ${t.bg}; --vscode-descriptionForeground: ${t.desc}; --vscode-focusBorder: ${t.focus};
  --vscode-panel-border: ${t.border}; ${theme === 'hc' ? `--vscode-contrastBorder: ${t.border};` : ''}
  --vscode-button-background: ${t.focus}; --vscode-button-foreground: #fff; --vscode-dropdown-background: ${t.bg}; --vscode-dropdown-foreground: ${t.fg}; --vscode-dropdown-border: ${t.border};
  --vscode-editorWarning-foreground: #cca700; --vscode-errorForeground: #f48771; --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185;
  --vscode-progressBar-background: ${t.focus}; --vscode-panelTitle-activeForeground: ${t.fg}; --vscode-panelTitle-activeBorder: ${t.focus}; --vscode-panelTitle-inactiveForeground: ${t.desc}; }`;
}

const server = createServer((req, res) => {
  const origin = `http://127.0.0.1:${server.address().port}`;
  const url = new URL(req.url, origin);
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(page(origin));
    return;
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === '/harness-theme.css') {
    res.writeHead(200, { 'content-type': 'text/css' }).end(themeCss());
    return;
  }
  const file = join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: Number(option('width', 1000)), height: Number(option('height', 1300)) }, deviceScaleFactor: Number(option('scale', 1)) });
const tab = await context.newPage();
const problems = [];
tab.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`console ${m.type()}: ${m.text()}`));
tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
const started = Date.now();
await tab.goto(origin);
await tab.waitForFunction(() => ['done', 'stopped', 'failed'].includes(document.getElementById('app')?.dataset.runState ?? ''), null, { timeout: 60000 });
const wall = Date.now() - started;
await tab.waitForFunction(() => document.getElementById('app')?.dataset.controls === 'ready', null, { timeout: 10000 });
const edit = option('edit', undefined);
if (edit) {
  // Two edits in a row: the first run is superseded (cancelled), the second is what the panel must show.
  const [from, to] = edit.split('=>');
  const text = readFileSync(join(root, specPath), 'utf8');
  await tab.evaluate(([a, b]) => {
    window.postMessage({ type: 'spec', ...a, version: 2 }, '*');
    setTimeout(() => window.postMessage({ type: 'spec', ...b, version: 3 }, '*'), 5);
  }, [text.replace(from, `${to}0`), text.replace(from, to)].map((t) => ({ text: t, facts: specFacts(t) })));
  await tab.waitForTimeout(100);
  await tab.waitForFunction(() => ['done', 'stopped', 'failed'].includes(document.getElementById('app')?.dataset.runState ?? ''), null, { timeout: 60000 });
}
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--click') continue;
  await tab.locator(args[i + 1]).first().click();
  await tab.waitForTimeout(300);
  await tab.waitForFunction(() => ['done', 'stopped', 'failed'].includes(document.getElementById('app')?.dataset.runState ?? ''), null, { timeout: 60000 });
}
const zoomLayer = option('zoom', undefined);
if (zoomLayer) {
  await tab.locator(`section[data-layer="${zoomLayer}"] canvas[data-channel]`).first().click();
  await tab.waitForTimeout(200);
}
const cursor = option('cursor', undefined);
if (cursor !== undefined) {
  await tab.evaluate((line) => window.postMessage({ type: 'cursor', line }, '*'), Number(cursor));
  await tab.waitForTimeout(600);
}
const hover = option('hover', undefined);
if (hover) {
  const canvas = tab.locator(`section[data-layer="${hover}"] canvas[data-channel]`).first();
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (box) await tab.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
  await tab.waitForTimeout(200);
}
const report = await tab.evaluate(() => {
  const app = document.getElementById('app');
  const sections = [...document.querySelectorAll('section[data-layer]')].map((s) => ({
    layer: s.dataset.layer,
    canvases: s.querySelectorAll('canvas').length,
  }));
  return {
    dataset: { ...app.dataset },
    status: document.querySelector('[data-testid=status]')?.textContent,
    prediction: document.querySelector('[data-testid=prediction]')?.textContent,
    weights: document.querySelector('[data-testid=weights]')?.textContent,
    readout: document.querySelector('.readout:not([hidden])')?.textContent ?? null,
    sections: sections.length,
    layerMs: [...document.querySelectorAll('section[data-layer] .tools .ms')].reduce((a, e) => a + parseFloat(e.textContent), 0),
    slowest: [...document.querySelectorAll('section[data-layer]')].map((s) => [s.dataset.layer, parseFloat(s.querySelector('.tools .ms')?.textContent ?? '0')]).sort((a, b) => b[1] - a[1]).slice(0, 5).map((x) => x.join(':')).join(' '),
    first: sections.slice(0, 4),
    shapes: [...document.querySelectorAll('section[data-layer] .stats .shape')].slice(0, 3).map((e) => e.textContent).join(' '),
    messages: window.__messages,
    marks: performance.getEntriesByType('mark').map((m) => `${m.name}@${Math.round(m.startTime)}`).join(' '),
    nav: (() => { const n = performance.getEntriesByType('navigation')[0]; return n ? `responseEnd@${Math.round(n.responseEnd)} domInteractive@${Math.round(n.domInteractive)}` : ''; })(),
  };
});
const clip = option('clip', undefined)?.split(',').map(Number);
await tab.screenshot({ path: outPath, fullPage: option('full', 'no') === 'yes', ...(clip ? { clip: { x: clip[0], y: clip[1], width: clip[2], height: clip[3] } } : {}) });
console.log(JSON.stringify({ wallMs: wall, ...report, problems }, null, 1));
await browser.close();
server.close();
