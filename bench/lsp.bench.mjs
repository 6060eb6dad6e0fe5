// Language-server latency on a generated spec of 5,000+ lines, over real stdio JSON-RPC:
//   npm run build && node bench/lsp.bench.mjs
// Measures didChange → publishDiagnostics, hover and completion (p50/p95), and
// the server's resident memory across 10,000 edits. HEAP_CAP=none (or a size
// in MB; 96 by default) sets the server's old-space cap, see below.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { generateSpec } from './generate-spec.mjs';

const root = join(import.meta.dirname, '..');
// The heap cap turns a leak across the 10,000 edits below into a crash instead
// of slow growth; it also makes the collector work harder than in the editor,
// which starts the server without one. HEAP_CAP=none measures without it.
const HEAP_CAP_MB = process.env.HEAP_CAP === 'none' ? null : Number(process.env.HEAP_CAP ?? 96);
// Launched as the client launches it (src/extension/client.ts reads the same file), plus the cap.
const { execArgv } = JSON.parse(readFileSync(join(root, 'src/protocol/launch.json'), 'utf8'));
const nodeArgs = [...(HEAP_CAP_MB === null ? [] : [`--max-old-space-size=${HEAP_CAP_MB}`]), ...execArgv];
const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiters = [];
connection.onNotification('textDocument/publishDiagnostics', (params) => {
  for (let i = waiters.length - 1; i >= 0; i--) {
    if (waiters[i].version === params.version) waiters.splice(i, 1)[0].resolve(params);
  }
});
connection.onRequest('workspace/configuration', (params) => params.items.map(() => null));
connection.onRequest(() => null);
connection.listen();

const uri = 'file:///bench/generated.cnn';
const text = generateSpec(130_000);
const lines = text.split('\n');
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const diagnosticsFor = (version) => new Promise((resolve) => waiters.push({ version, resolve }));

await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } } });
connection.sendNotification('initialized', {});
let version = 1;
const opened = diagnosticsFor(version);
connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cnn', version, text } });
await opened;

// Edits a user makes while typing. The main one changes one digit of a dropout
// rate in the middle of the model; the others time the same digit edit near the
// model's top and bottom, typing in the block that the model calls 577 times
// (a space added and removed at a line's end, which leaves the syntax as it
// was, so the previous analysis is reused with its spans moved), and a real
// edit in that block (`bias=false` ↔ `bias=true`), which changes all 577
// expansions and is a full analysis.
function digitSite(line) {
  const character = lines[line].indexOf('0.1') + 2;
  return { line, change: (v) => ({ range: { start: { line, character }, end: { line, character: character + 1 } }, text: String((v % 9) + 1) }) };
}
const dropoutLines = lines.map((l, i) => [l, i]).filter(([l]) => l.includes('dropout 0.1')).map(([, i]) => i);
const middle = digitSite(dropoutLines.find((i) => i > lines.length / 2));
const top = digitSite(dropoutLines[0]);
const bottom = digitSite(dropoutLines[dropoutLines.length - 1]);
const blockLine = lines.findIndex((l) => l.trim() === 'add(y, in)');
const inBlock = {
  line: blockLine,
  change: (v) => {
    const end = lines[blockLine].length;
    return v % 2 === 0
      ? { range: { start: { line: blockLine, character: end }, end: { line: blockLine, character: end } }, text: ' ' }
      : { range: { start: { line: blockLine, character: end }, end: { line: blockLine, character: end + 1 } }, text: '' };
  },
};
const biasLine = lines.findIndex((l) => l.trim().startsWith('y = conv c') && l.includes('bias=false'));
const inBlockBias = {
  line: biasLine,
  change: (v) => {
    const character = lines[biasLine].indexOf('bias=') + 5;
    return v % 2 === 0
      ? { range: { start: { line: biasLine, character }, end: { line: biasLine, character: character + 5 } }, text: 'true' }
      : { range: { start: { line: biasLine, character }, end: { line: biasLine, character: character + 4 } }, text: 'false' };
  },
};
// Typing a new layer line near the model's top, a character at a time, then
// deleting it again. No version leaves the rest of the model as it was: a
// half-typed word is an unknown layer, and the whole one adds a layer, which
// renumbers every layer after it.
const typedLine = '  relu\n';
const typingLine = dropoutLines[0] + 1;
let typingStep = 0;
const typing = {
  change: () => {
    const length = typedLine.length;
    const step = typingStep++ % (2 * length);
    if (step < length) return { range: { start: { line: typingLine, character: step }, end: { line: typingLine, character: step } }, text: typedLine[step] };
    const j = 2 * length - 1 - step;
    const end = j === length - 1 ? { line: typingLine + 1, character: 0 } : { line: typingLine, character: j + 1 };
    return { range: { start: { line: typingLine, character: j }, end }, text: '' };
  },
};
let blockPending = false;
let biasPending = false;
async function edit(wait, site = middle) {
  if (site !== inBlock && blockPending) await edit(false, inBlock); // leave the block as it was
  if (site !== inBlockBias && biasPending) await edit(false, inBlockBias);
  version++;
  if (site === inBlock) blockPending = !blockPending;
  if (site === inBlockBias) biasPending = !biasPending;
  const toggled = site === inBlock ? (blockPending ? 0 : 1) : site === inBlockBias ? (biasPending ? 0 : 1) : version;
  const params = { textDocument: { uri, version }, contentChanges: [site.change(toggled)] };
  if (!wait) return connection.sendNotification('textDocument/didChange', params);
  const published = diagnosticsFor(version);
  const start = performance.now();
  connection.sendNotification('textDocument/didChange', params);
  await published;
  return performance.now() - start;
}

const diagnostics = [];
for (let i = 0; i < 20; i++) await edit(true);
for (let i = 0; i < 200; i++) diagnostics.push(await edit(true));
const elsewhere = {};
// Typing runs whole lines, typed and deleted (14 edits each), so the text ends as it began.
for (const [name, site, warmup, runs] of [['top', top, 10, 100], ['bottom', bottom, 10, 100], ['block', inBlock, 10, 100], ['blockBias', inBlockBias, 10, 100], ['typing', typing, 14, 112]]) {
  for (let i = 0; i < warmup; i++) await edit(true, site);
  elsewhere[name] = [];
  for (let i = 0; i < runs; i++) elsewhere[name].push(await edit(true, site));
}
if (blockPending) await edit(true, inBlock);
if (biasPending) await edit(true, inBlockBias);

const layerLines = lines.map((l, i) => [l, i]).filter(([l]) => /^\s+conv /.test(l)).map(([, i]) => i);
async function timeRequest(method, paramsFor, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const params = paramsFor(i);
    const start = performance.now();
    await connection.sendRequest(method, params);
    times.push(performance.now() - start);
  }
  return times;
}
const at = (i, character) => ({ textDocument: { uri }, position: { line: layerLines[(i * 37) % layerLines.length], character } });
await timeRequest('textDocument/hover', (i) => at(i, 3), 50);
const hover = await timeRequest('textDocument/hover', (i) => at(i, 3), 500);
const completion = await timeRequest('textDocument/completion', (i) => at(i, 10), 500);

const rssBefore = rss();
for (let i = 0; i < 10_000; i++) {
  await edit(i % 500 === 499);
}
await edit(true);
const rssAfter = rss();
const stillAnswers = (await connection.sendRequest('textDocument/hover', at(0, 3))) !== undefined && child.exitCode === null;

const row = (name, xs) => `  ${name.padEnd(34)} p50 ${percentile(xs, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(xs, 95).toFixed(1).padStart(6)} ms`;
console.log(`LSP server: ${lines.length.toLocaleString('en-US')}-line spec (${(text.length / 1024).toFixed(0)} KB), stdio JSON-RPC, node ${nodeArgs.join(' ')}`);
console.log(row('didChange → publishDiagnostics', diagnostics));
console.log(row('  … edit near the model\'s top', elsewhere.top));
console.log(row('  … edit near the model\'s end', elsewhere.bottom));
console.log(row('  … typing a space in the block', elsewhere.block));
console.log(row('  … bias=false ↔ true in the block', elsewhere.blockBias));
console.log(row('  … typing a new line near the top', elsewhere.typing));
console.log(row('hover', hover));
console.log(row('completion', completion));
console.log(`  server RSS across 10,000 edits:    ${rssBefore.toFixed(0)} MB → ${rssAfter.toFixed(0)} MB, ${HEAP_CAP_MB === null ? 'old space not capped' : `old space capped at ${HEAP_CAP_MB} MB`}; ${stillAnswers ? 'still answering' : 'NOT ANSWERING'}`);
if (!stillAnswers) process.exitCode = 1;

await connection.sendRequest('shutdown');
connection.sendNotification('exit');
setTimeout(() => child.kill(), 500).unref();
