import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient, docUri, repoRoot, sample } from './lsp-client';

const samples = readdirSync(join(repoRoot, 'samples')).filter((f) => f.endsWith('.cnn'));
const options = { tabSize: 2, insertSpaces: true };

describe('formatting (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  let counter = 0;
  async function formatted(text: string, range?: TextEdit['range']): Promise<{ text: string; edits: TextEdit[] }> {
    const uri = docUri(`format-${counter++}.cnn`);
    await client.open(uri, text);
    const edits = range
      ? await client.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri }, range, options })
      : await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
    const document = TextDocument.create(uri, 'cnn', 1, text);
    return { text: TextDocument.applyEdits(document, edits), edits };
  }

  it('formats a messy model: indentation, spacing, `x` to `×`; keeps comments', async () => {
    const messy = 'model   M{\n      input x :3x32x32   # the input 🙂\nconv 16,k = 3 ,padding=1|relu\n\n\n\n  gap\n}';
    const { text } = await formatted(messy);
    expect(text).toContain('  input x: 3×32×32');
    expect(text).toContain('# the input 🙂');
    expect(text).toContain('  conv 16, k=3, padding=1 | relu');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('clamps the tab size to 1..16, and takes 2 for one that is not a number', async () => {
    const text = 'model M {\ninput x: 3×8×8\nrelu\n}\n';
    const cases: [unknown, number][] = [[1000, 16], [2 ** 24, 16], [0, 1], [-3, 1], [4.6, 5], ['x', 2], [null, 2], [Number.NaN, 2]];
    for (const [tabSize, width] of cases) {
      const uri = docUri(`format-tab-${counter++}.cnn`);
      await client.open(uri, text);
      const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize, insertSpaces: true } });
      const result = TextDocument.applyEdits(TextDocument.create(uri, 'cnn', 1, text), edits);
      expect(result, `tabSize ${String(tabSize)}`).toContain(`\n${' '.repeat(width)}relu\n`);
      expect(result).not.toContain(`\n${' '.repeat(width + 1)}relu`);
    }
  });

  it.each(samples)('%s: idempotent, and the diagnostics and totals do not change', async (name) => {
    const original = sample(name);
    const once = (await formatted(original)).text;
    const twice = await formatted(once);
    expect(twice.edits).toEqual([]);
    const before = await client.open(docUri(`before-${name}`), original);
    const after = await client.open(docUri(`after-${name}`), once);
    expect(after.diagnostics.map((d) => [d.code, d.message])).toEqual(before.diagnostics.map((d) => [d.code, d.message]));
    const summary = (uri: string) => client.request<{ text: string }>('convlens/summary', { textDocument: { uri } });
    expect((await summary(docUri(`after-${name}`))).text).toBe((await summary(docUri(`before-${name}`))).text);
  });

  it('formats only the statements in a range', async () => {
    const text = 'model M {\n  input x: 3×8×8\n  conv 8,k=3\n  conv 8,k=3\n}\n';
    const { text: out } = await formatted(text, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } });
    expect(out).toBe('model M {\n  input x: 3×8×8\n  conv 8, k=3\n  conv 8,k=3\n}\n');
  });

  it('leaves a file with syntax errors alone', async () => {
    expect((await formatted('model M {\n  conv 8,k=\n}\n')).edits).toEqual([]);
  });
});
