// Feature-map preview speed in headless Chromium (issue 5, "Speed"): loads the
// built webview (dist/webview.js, dist/worker.js) in the page the extension
// builds (src/extension/preview-html.ts: CSP, worker bootstrap) with a stub
// `acquireVsCodeApi` standing in for the extension, much as
// test/webview/harness/shoot.mjs does, and reads the timings the webview itself
// records (`#app[data-first-maps-ms]`, `data-last-run-ms`, `convlens:*` marks).
//
//   npm run build && node bench/preview.bench.mjs [--opens 5]     # or: npm run bench -- preview
//
// 1. open → first maps, LeNet-5 and the edge demo: each opened in a fresh page;
//    the first open of a browser is cold (empty HTTP cache, JIT), the rest warm.
// 2. ResNet-18 at 224×224: open → every layer computed (the run's `done`) and
//    every section drawn (off-screen ones are drawn after the visible ones).
// 3. ResNet-50 edit: after the first run, the spec is edited as the extension
//    would send it (debounced), several times so runs are cancelled, while keys
//    are typed into a textarea in the page; reports long tasks
//    (PerformanceObserver 'longtask'), the largest gap between animation frames
//    and the keys' input delay, over the edit until the last run is done.
//
// Needs /usr/bin/chromium and playwright-core in .e2e-harness/playwright (the
// e2e harness installs it); skips with a message when either is missing.
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { extname, join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { buildSync } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const chromiumPath = '/usr/bin/chromium';
const pwDir = join(root, '.e2e-harness/playwright/node_modules/');
const argv = process.argv.slice(2);
const opens = argv.includes('--opens') ? Number(argv[argv.indexOf('--opens') + 1]) : 5;
/** `--only open,resnet18,resnet50`: run some parts only. */
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : ['open', 'resnet18', 'resnet50'];

const missing = [
  [existsSync(chromiumPath), `${chromiumPath}`],
  [existsSync(join(pwDir, 'playwright-core')), 'playwright-core in .e2e-harness/playwright (run `bash scripts/e2e/install.sh`)'],
  [existsSync(join(root, 'dist/webview.js')) && existsSync(join(root, 'dist/worker.js')), 'dist/webview.js and dist/worker.js (run `npm run build`)'],
].filter(([ok]) => !ok);
if (missing.length > 0) {
  console.log(`preview.bench: SKIPPED, missing ${missing.map(([, what]) => what).join('; ')}`);
  process.exit(0);
}
const { chromium } = createRequire(pwDir)('playwright-core');
// The page is the one src/extension/preview-html.ts builds (TypeScript, bundled here on the fly).
const { previewHtml } = await import(
  `data:text/javascript;base64,${Buffer.from(buildSync({ entryPoints: [join(root, 'src/extension/preview-html.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false }).outputFiles[0].text).toString('base64')}`
);

// What the extension tells the page about each text it sends (src/extension/preview-spec.ts), bundled the same way.
const { specFacts } = await import(
  `data:text/javascript;base64,${Buffer.from(buildSync({ entryPoints: [join(root, 'src/extension/preview-spec.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false }).outputFiles[0].text).toString('base64')}`
);

const nonce = 'benchNonce0123456789abcdefABCDEFgh';
const mime = { '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

/** The page the extension would build, for one spec file; `?spec=samples/x.cnn`. */
function html(origin, specPath) {
  const text = readFileSync(join(root, specPath), 'utf8');
  const specDir = `${origin}/${specPath.split('/').slice(0, -1).join('/')}`;
  const images = readdirSync(join(root, 'samples/images'))
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .map((f) => ({ id: `${origin}/samples/images/${f}`, label: f.replace(/\.\w+$/, ''), group: 'sample', thumbnail: `${origin}/samples/images/${f}` }));
  const stub = `
    const spec = ${JSON.stringify(text)};
    window.acquireVsCodeApi = () => ({
      getState: () => undefined,
      setState: () => {},
      postMessage: async (m) => {
        const reply = (r) => window.postMessage(r, '*');
        if (m.type === 'ready') reply({ type: 'init', uri: 'file:///bench.cnn', notation: '×', fileName: 'bench.cnn', text: spec, facts: ${JSON.stringify(specFacts(text))}, version: 1, images: ${JSON.stringify(images)} });
        else if (m.type === 'requestImage') reply({ type: 'imageData', id: m.id, bytes: new Uint8Array(await (await fetch(m.id)).arrayBuffer()) });
        else if (m.type === 'requestWeights') {
          const r = await fetch(${JSON.stringify(specDir)} + '/' + m.path);
          reply(r.ok ? { type: 'weightsData', path: m.path, bytes: new Uint8Array(await r.arrayBuffer()) } : { type: 'weightsData', path: m.path, error: 'not found' });
        }
      },
    });`;
  // The extension's own page (CSP, worker bootstrap, bundles), with the stub first as VS Code defines acquireVsCodeApi before any page script.
  const page = previewHtml({
    cspSource: origin,
    nonce,
    scriptUri: `${origin}/dist/webview.js`,
    styleUri: `${origin}/dist/webview.css`,
    workerUri: `${origin}/dist/worker.js`,
    toolkitUri: `${origin}/dist/toolkit.js`,
    title: specPath,
  });
  return page.replace('<head>', `<head>\n<script nonce="${nonce}">${stub}</script>`).replace('<body>', '<body class="vscode-dark">');
}

const server = createServer((req, res) => {
  const origin = `http://127.0.0.1:${server.address().port}`;
  const url = new URL(req.url, origin);
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(html(origin, url.searchParams.get('spec')));
    return;
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  const file = join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root + '/') || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const settled = () => ['done', 'stopped', 'failed'].includes(document.getElementById('app')?.dataset.runState ?? '');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs) => xs.map((x) => Math.round(x)).join(', ');

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1000, height: 1300 } });

/** Opens a spec in a new page and waits for its first run to settle. */
async function open(specPath) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`${origin}/?spec=${encodeURIComponent(specPath)}`);
  await page.waitForFunction(settled, null, { timeout: 120000, polling: 20 });
  const r = await page.evaluate(() => {
    const app = document.getElementById('app');
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
    return {
      state: app.dataset.runState,
      firstMaps: Number(app.dataset.firstMapsMs),
      lastRun: Number(app.dataset.lastRunMs),
      worker: Number(app.dataset.workerMs),
      layers: Number(app.dataset.layersRendered),
      sections: document.querySelectorAll('section[data-layer]').length,
      webviewStart: mark('convlens:webview-start'),
      workerCreated: mark('convlens:worker-created'),
      resources: performance.getEntriesByType('resource').filter((e) => /worker\.js|webview\.js/.test(e.name)).map((e) => `${e.name.split('/').pop()} ${e.initiatorType} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`).join(', '),
      init: mark('convlens:init'),
      runStart: mark('convlens:run-1-start'),
      workerStarted: mark('convlens:run-1-started'),
      plan: mark('convlens:run-1-plan'),
      inputAt: mark('convlens:run-1-input'),
      decode: `${Math.round(mark('convlens:decode-start'))}-${Math.round(mark('convlens:decode-end'))}`,
      layerAt: mark('convlens:run-1-layer'),
      done: performance.getEntriesByType('mark').filter((m) => /^convlens:run-\d+-done$/.test(m.name)).at(-1)?.startTime,
      drawnAt: performance.getEntriesByType('mark').filter((m) => /^convlens:run-\d+-drawn$/.test(m.name)).at(-1)?.startTime,
    };
  });
  if (problems.length) console.log(`  ${specPath}: ${problems.join(' | ')}`);
  if (argv.includes('--verbose')) console.log(`  ${specPath}: ${r.resources}; decode ${r.decode}`);
  return { page, ...r };
}

const out = { date: new Date().toISOString(), loadBefore: loadavg().map((x) => x.toFixed(2)).join(' '), chromium: execFileSync(chromiumPath, ['--version']).toString().trim() };
console.log(`${out.chromium}; load average ${out.loadBefore}`);

// 1. open → first maps
for (const spec of only.includes('open') ? ['samples/lenet5.cnn', 'samples/edges.cnn'] : []) {
  const runs = [];
  for (let i = 0; i < opens; i++) {
    const r = await open(spec);
    await r.page.close();
    runs.push(r);
  }
  const warm = runs.slice(1).map((r) => r.firstMaps);
  console.log(
    `${spec}: open → first maps ${fmt(runs.map((r) => r.firstMaps))} ms (first open ${runs[0].firstMaps} ms; warm median ${median(warm)} ms); ` +
      `medians: script start @${Math.round(median(runs.map((r) => r.webviewStart)))}, init @${Math.round(median(runs.map((r) => r.init)))}, ` +
      `worker created @${Math.round(median(runs.map((r) => r.workerCreated)))}, run start @${Math.round(median(runs.map((r) => r.runStart)))}, ` +
      `worker read it @${Math.round(median(runs.map((r) => r.workerStarted)))}, plan @${Math.round(median(runs.map((r) => r.plan)))}, input @${Math.round(median(runs.map((r) => r.inputAt)))}, ` +
      `first layer received @${Math.round(median(runs.map((r) => r.layerAt)))}, whole run ${median(runs.map((r) => r.lastRun))} ms; ` +
      `layers ${runs.at(-1).layers}/${runs.at(-1).sections}, state ${runs.at(-1).state}`,
  );
  out[spec] = { first: runs[0].firstMaps, warmMedian: median(warm), all: median(runs.map((r) => r.firstMaps)) };
}

// 2. ResNet-18 at 224×224 → every layer
if (only.includes('resnet18')) {
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const r = await open('samples/resnet18.cnn');
    // Off-screen sections are drawn after the visible ones: wait for the last of them too.
    r.drawnAt = await r.page.waitForFunction(() => performance.getEntriesByType('mark').find((m) => /^convlens:run-\d+-drawn$/.test(m.name))?.startTime, null, { timeout: 60000, polling: 20 }).then((h) => h.jsonValue());
    r.drawn = await r.page.evaluate(() => Number(document.getElementById('app').dataset.layersDrawn));
    await r.page.close();
    runs.push(r);
  }
  for (const r of runs) {
    console.log(
      `samples/resnet18.cnn: open → all layers computed ${Math.round(r.done)} ms, all drawn ${Math.round(r.drawnAt)} ms (first maps ${r.firstMaps} ms; run ${r.lastRun} ms, worker ${r.worker} ms); ` +
        `layers ${r.layers}/${r.sections}, drawn ${r.drawn}, state ${r.state}`,
    );
  }
  out.resnet18 = { openToAll: median(runs.map((r) => r.done)), openToAllDrawn: median(runs.map((r) => r.drawnAt)), run: median(runs.map((r) => r.lastRun)), layers: runs[0].layers, sections: runs[0].sections };
}

// 3. ResNet-50: edit while typing
if (only.includes('resnet50')) {
  const r = await open('samples/resnet50.cnn');
  const { page } = r;
  console.log(`samples/resnet50.cnn: first run ${r.lastRun} ms (worker ${r.worker} ms), layers ${r.layers}/${r.sections}`);
  await page.evaluate(() => {
    const probe = (window.__probe = { longtasks: [], longtaskAt: [], gaps: [], delays: [], running: true, from: performance.now() });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        probe.longtasks.push(e.duration);
        probe.longtaskAt.push(`${Math.round(e.startTime)}+${Math.round(e.duration)}`);
      }
    }).observe({ type: 'longtask' });
    // Long animation frames say where a long frame went: script (and which), style and layout, or the rest of rendering (paint, commit, GC in between).
    probe.frames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration < 50) continue;
        const script = e.scripts.reduce((a, s) => a + s.duration, 0);
        const render = e.renderStart ? e.startTime + e.duration - e.renderStart : 0;
        const layout = e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
        probe.frames.push(`${Math.round(e.startTime)}+${Math.round(e.duration)} (script ${Math.round(script)}${e.scripts.length ? ` ${e.scripts.map((s) => s.invoker).slice(0, 2).join('; ')}` : ''}, rendering ${Math.round(render)} of which style/layout ${Math.round(layout)})`);
      }
    }).observe({ type: 'long-animation-frame' });
    let last = performance.now();
    const frame = (t) => {
      probe.gaps.push(t - last);
      last = t;
      if (probe.running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const area = document.createElement('textarea');
    area.id = 'bench-typing';
    area.style.cssText = 'position:fixed;top:0;left:0;width:200px;height:40px;z-index:9';
    area.addEventListener('keydown', (e) => probe.delays.push(performance.now() - e.timeStamp));
    document.body.append(area);
    probe.specAt = [];
    probe.lag = [];
    const next = () => {
      const due = performance.now() + 20;
      setTimeout(() => {
        probe.lag.push(performance.now() - due);
        if (probe.running) next();
      }, 20);
    };
    next();
    window.addEventListener('message', (e) => e.data?.type === 'spec' && probe.specAt.push(Math.round(performance.now())));
    area.focus();
  });
  const text = readFileSync(join(root, 'samples/resnet50.cnn'), 'utf8');
  const stem = 'conv 64, k=7';
  // Each state as the debounced extension would post it: 'conv 64' → 'conv 6' → 'conv ' → 'conv 3' → 'conv 32'.
  const states = ['conv 6, k=7', 'conv , k=7', 'conv 3, k=7', 'conv 32, k=7'].map((s) => text.replace(stem, s)).map((t) => ({ text: t, facts: specFacts(t) }));
  const typing = page.keyboard.type('the quick brown fox jumps over the lazy dog '.repeat(4), { delay: 40 });
  const editStart = Date.now();
  // Posted by the page's own timers, so the edits' timing does not depend on the DevTools protocol being free.
  await page.evaluate((texts) => {
    window.__probe.editFrom = performance.now();
    texts.forEach((t, i) => setTimeout(() => window.postMessage({ type: 'spec', ...t, version: i + 2 }, '*'), i * 300));
  }, states);
  await page.waitForTimeout(states.length * 300 + 200);
  await page.waitForFunction(settled, null, { timeout: 120000, polling: 20 });
  const editToDone = Date.now() - editStart;
  await typing;
  const p = await page.evaluate(() => {
    const probe = window.__probe;
    probe.running = false;
    const app = document.getElementById('app');
    return { ...probe, typed: document.getElementById('bench-typing').value.length, lastRun: Number(app.dataset.lastRunMs), layers: Number(app.dataset.layersRendered), state: app.dataset.runState, runs: performance.getEntriesByType('mark').filter((m) => /^convlens:run-\d+-start$/.test(m.name)).length,
      marks: performance.getEntriesByType('mark').filter((m) => m.startTime >= probe.from).map((m) => `${m.name.replace('convlens:', '')}@${Math.round(m.startTime)}`).join(' ') };
  });
  await page.close();
  const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
  const sortedGaps = [...p.gaps].sort((a, b) => a - b);
  const result = {
    editToDone,
    longtasks: p.longtasks.length,
    longtaskMax: Math.max(0, ...p.longtasks),
    longtaskTotal: p.longtasks.reduce((a, b) => a + b, 0),
    frameGapMax: sortedGaps.at(-1) ?? 0,
    frameGapP95: p95(p.gaps),
    keyDelayMax: Math.max(0, ...p.delays),
    keyDelayP95: p95(p.delays),
    keys: p.delays.length,
    timerLagMax: Math.max(0, ...p.lag),
    timerLagP95: p95(p.lag),
    editLateMax: Math.max(0, ...p.specAt.map((at, i) => at - p.editFrom - i * 300)),
  };
  console.log(
    `samples/resnet50.cnn edit (4 spec messages 300 ms apart, ${p.runs - 1} runs started, last one ${p.lastRun} ms, ${p.layers} layers, ${p.state}; ` +
      `edit → done ${editToDone} ms; ${p.typed} chars typed): long tasks ${result.longtasks} (max ${Math.round(result.longtaskMax)} ms, total ${Math.round(result.longtaskTotal)} ms); ` +
      `frame gap max ${Math.round(result.frameGapMax)} ms, p95 ${Math.round(result.frameGapP95)} ms over ${p.gaps.length} frames; key input delay max ${result.keyDelayMax.toFixed(1)} ms, p95 ${result.keyDelayP95.toFixed(1)} ms over ${result.keys} keys; ` +
      `20 ms timer late by max ${Math.round(result.timerLagMax)} ms, p95 ${Math.round(result.timerLagP95)} ms; edits handled up to ${Math.round(result.editLateMax)} ms late`,
  );
  if (argv.includes('--verbose')) console.log(`  long tasks (start+duration): ${p.longtaskAt.join(' ')}\n  long animation frames: ${p.frames.join(', ')}\n  marks: ${p.marks}\n  spec messages received @${p.specAt.join(' ')}`);
  out.resnet50 = result;
}

out.loadAfter = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average after ${out.loadAfter}`);
console.log(`RESULT ${JSON.stringify(out)}`);
await browser.close();
server.close();
