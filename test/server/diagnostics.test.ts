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
