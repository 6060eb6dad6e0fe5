import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { LspTestClient, docUri, positionOf, sample } from './lsp-client';

describe('diagnostics (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('keeps publishing after a one-space edit of a 10,000-term expression', async () => {
    const uri = docUri('deep-expression.cnn');
    const text = `model M {\n  input x: 3×8×8\n  conv ${Array(10_000).fill('1').join('+')}, k=1\n  relu\n}\n`;
    const opened = await client.open(uri, text);
    const line = text.split('\n').findIndex((l) => l.includes('relu'));
    const edited = await client.change(uri, [{ range: { start: { line, character: 6 }, end: { line, character: 6 } }, text: ' ' }]);
    expect(edited.diagnostics).toEqual(opened.diagnostics);
    const again = await client.change(uri, [{ range: { start: { line, character: 6 }, end: { line, character: 7 } }, text: '' }]);
    expect(again.diagnostics).toEqual(opened.diagnostics);
    expect(client.log.join('')).not.toContain('Maximum call stack');
  });

  it('publishes at most 1,000 diagnostics, errors first, and says how many more there were', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? `  nope${i}` : `  t${i} = relu`));
    const text = `model M {\n  input x: 3×8×8\n${lines.join('\n')}\n}\n`;
    const published = await client.open(docUri('many-mistakes.cnn'), text);
    expect(published.diagnostics).toHaveLength(1001);
    const codes = published.diagnostics.slice(0, 1000).map((d) => d.code);
    expect(new Set(codes)).toEqual(new Set(['unknown-layer']));
    const last = published.diagnostics[1000];
    expect(last).toMatchObject({ code: 'diagnostics-capped', severity: DiagnosticSeverity.Information });
    // 1,500 unknown layers, and 1,499 unused names (the last is the model's output).
    expect(last.message).toContain('1,999 more diagnostics not shown');
    // At the first one left out, the first unused name (line 3: `t1 = relu`).
    expect(last.range.start.line).toBe(3);
  });

  it('leaves documents that are not files or untitled buffers alone', async () => {
    const text = 'model M {\n  input x: 3×8×8\n  nope\n}\n';
    for (const uri of ['git:/work/m.cnn?%7B%22ref%22%3A%22HEAD%22%7D', 'convlens-summary:Summary%20of%20m.cnn', 'output:extension-output-1']) {
      await client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'cnn', version: 1, text } });
      expect(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } })).toBeNull();
    }
    // Diagnostics are published in the order the documents were opened.
    await client.open('untitled:Untitled-1', text);
    expect(client.published.filter((p) => !/^(file|untitled):/.test(p.uri))).toEqual([]);
  });

  it('clears a closed document, even when it closes before its last change is validated', async () => {
    const uri = docUri('closed-early.cnn');
    await client.open(uri, 'model M {\n  input x: 3×8×8\n  nope\n}\n');
    await client.sendChange(uri, [{ text: 'model M {\n  input x: 3×8×8\n  nope\n  nope\n}\n' }]);
    await client.close(uri);
    await client.open(docUri('after-close.cnn'), 'model M {\n  input x: 3×8×8\n}\n');
    expect(client.published.filter((p) => p.uri === uri).at(-1)?.diagnostics).toEqual([]);
  });

  it('publishes every mistake in samples/broken.cnn once, with its code', async () => {
    const published = await client.open(docUri('broken.cnn'), sample('broken.cnn'));
    expect(published.diagnostics.map((d) => d.code)).toEqual([
      'channel-mismatch',
      'groups-mismatch',
      'kernel-exceeds-input',
      'unknown-layer',
      'unknown-argument',
      'unknown-name',
      'linear-needs-flat',
      'shape-mismatch',
      'stride-drops-input',
      'concat-mismatch',
      'unused-name',
      'syntax-error',
    ]);
    expect(published.diagnostics.every((d) => d.source === 'convlens')).toBe(true);
    const warnings = published.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Warning).map((d) => d.code);
    expect(warnings).toEqual(['stride-drops-input', 'unused-name']);
  });

  it('points related information at where the mismatching tensors came from', async () => {
    const text = sample('broken.cnn');
    const uri = docUri('broken-related.cnn');
    const published = await client.open(uri, text);
    const mismatch = published.diagnostics.find((d) => d.code === 'shape-mismatch')!;
    expect(mismatch.message).toContain('`16×32×32` (from `stem`) vs `16×30×30` (from `narrow`)');
    expect(mismatch.relatedInformation?.map((r) => [r.location.uri, r.location.range.start, r.message])).toEqual([
      [uri, positionOf(text, 'stem = conv'), '`stem` is 16×32×32 here'],
      [uri, positionOf(text, 'narrow = stem'), '`narrow` is 16×30×30 here'],
    ]);
  });

  it('puts the range on the offending argument', async () => {
    const text = 'model M {\n  input x: 3×32×32\n  conv 16, k=3, in=8\n}\n';
    const published = await client.open(docUri('argument.cnn'), text);
    const [d] = published.diagnostics;
    expect(d.code).toBe('channel-mismatch');
    expect(d.range).toEqual({ start: positionOf(text, '8\n'), end: positionOf(text, '8\n', 1) });
  });

  it('counts UTF-16 code units after emoji and CJK in comments, and honours \\r\\n and lone \\r', async () => {
    const text = 'model M { # 模型 🙂🙂\r\n  input x: 3×32×32 # 输入\r  conv 16, k=3, in=8 # 🧠\n}\n';
    const published = await client.open(docUri('unicode.cnn'), text);
    const [d] = published.diagnostics;
    expect(d.code).toBe('channel-mismatch');
    expect(d.range.start).toEqual({ line: 2, character: '  conv 16, k=3, in='.length });
  });

  it('republishes on every change: fixing the mistake clears it', async () => {
    const uri = docUri('fix.cnn');
    const text = 'model M {\n  input x: 3×32×32\n  conv 16, k=3, in=8\n}\n';
    const first = await client.open(uri, text);
    expect(first.diagnostics).toHaveLength(1);
    const at = positionOf(text, 'in=8', 3);
    const fixed = await client.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '3' }]);
    expect(fixed.version).toBe(2);
    expect(fixed.diagnostics).toEqual([]);
    const broken = await client.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '5' }]);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['channel-mismatch']);
  });

  it('validates a burst of changes at its last version', async () => {
    const uri = docUri('burst.cnn');
    await client.open(uri, 'model M {\n  input x: 3×32×32\n}\n');
    const versions: number[] = [];
    for (let i = 0; i < 20; i++) {
      versions.push(await client.sendChange(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ' ' }]));
    }
    expect(versions.at(-1)).toBe(21);
    const last = await client.waitForDiagnostics(uri, 21);
    expect(last.diagnostics).toEqual([]);
    const publishedVersions = client.published.filter((p) => p.uri === uri).map((p) => p.version);
    expect(publishedVersions.at(-1)).toBe(21);
    expect(publishedVersions.length).toBeLessThanOrEqual(versions.length + 1);
  });
});
