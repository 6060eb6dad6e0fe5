/**
 * Robustness: thousands of random edits (insertions, deletions, pasted binary,
 * huge lines, whole samples) against one running server. After every batch the
 * server must have published diagnostics for the latest version, answer every
 * request with a well-formed result, and never have logged a caught exception.
 * Seeded, so a failure replays exactly.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, Position, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient, docUri, repoRoot, sample } from './lsp-client';
import { Random } from '../../src/core/prng';
import { fuzzRuns, fuzzSeed } from '../fuzz-budget';

const seed = fuzzSeed(20261125);
// CONVLENS_FUZZ_EDITS sets the count outright; else `npm run fuzz` scales it.
const edits = Number(process.env.CONVLENS_FUZZ_EDITS ?? fuzzRuns(3000));
const batch = 100;

/** Seeded uniform numbers (the core's generator), so a failure names its seed. */
function random(seedValue: number): () => number {
  const generator = new Random(`fuzz/${seedValue}`);
  return () => generator.next();
}

const fragments = [
  'conv 64, k=3, padding=1',
  'conv 16, k=3, in=8',
  ' | relu',
  '\n',
  '\r\n',
  '\r',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
  '×',
  'x',
  ':',
  ';',
  '# 🙂 注释\n',
  'model M {\n  input x: 3×32×32\n',
  'block b(c, s=1) {\n  conv c, k=3, stride=s\n}\n',
  'repeat 10000 { conv 8, k=1 }\n',
  'repeat n as i { b(8) }\n',
  'add(',
  'concat(a, b)',
  'a, b = chunk 2\n',
  'y = x | maxpool 2\n',
  'if c > 2 { relu } else { gelu }\n',
  'weights=[sobel_x, [[1, 0], [0, 1]]]',
  '99999999999999999999',
  '1e308',
  '-0.5',
  '"unterminated',
  '\\',
  '\u0000',
  '\ud83d',
  '\udc00',
  'let w = w * 2\n',
  'b(b(',
  'input',
  'linear 10',
  'flatten',
];

const samples = readdirSync(join(repoRoot, 'samples')).filter((f) => f.endsWith('.cnn'));

describe('fuzz: random edits against the spawned server', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it(`survives ${edits} random edits (seed ${seed}) and keeps answering validly`, async () => {
    const next = random(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const uri = docUri('fuzz.cnn');
    let document = TextDocument.create(uri, 'cnn', 1, sample('resnet18.cnn'));
    await client.open(uri, document.getText(), 1);

    const randomOffset = () => Math.floor(next() * (document.getText().length + 1));
    const randomText = (): string => {
      const roll = next();
      if (roll < 0.6) return pick(fragments);
      if (roll < 0.75) {
        // Pasted binary: every UTF-16 code unit, lone surrogates included.
        const length = 1 + Math.floor(next() * 400);
        return String.fromCharCode(...Array.from({ length }, () => Math.floor(next() * 0x10000)));
      }
      if (roll < 0.8) return pick(['a', 'conv 8, k=1 | ', '(', '#', '1×']).repeat(2000 + Math.floor(next() * 20000));
      if (roll < 0.82) return sample(pick(samples));
      return '';
    };

    for (let done = 0; done < edits; done += batch) {
      for (let i = 0; i < batch; i++) {
        const text = document.getText();
        const roll = next();
        let change: { range: Range; text: string } | { text: string };
        if (roll < 0.02) {
          change = { text: randomText() };
        } else {
          const start = randomOffset();
          const deleting = roll < 0.35 ? Math.floor(next() * Math.min(200, text.length - start + 1)) : 0;
          const range = { start: document.positionAt(start), end: document.positionAt(start + deleting) };
          change = { range, text: roll < 0.35 ? '' : randomText() };
        }
        // Keep the document from growing without bound.
        if (text.length > 300_000) change = { text: sample(pick(samples)) };
        document = TextDocument.update(document, [change], document.version + 1);
        await client.sendChange(uri, [change]);
      }

      const published = await client.waitForDiagnostics(uri, document.version);
      expectDiagnosticsValid(published.diagnostics, document);
      await expectRequestsValid(client, uri, document, next);
    }

    expect(client.log.filter((line) => line.includes('failed:'))).toEqual([]);
    expect(client.running).toBe(true);
    expect(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } })).not.toBeUndefined();
  }, fuzzRuns(240_000));
});

function inDocument(position: Position, document: TextDocument): boolean {
  if (position.line < 0 || position.line >= document.lineCount || position.character < 0) return false;
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const lineEnd = position.line + 1 < document.lineCount ? document.offsetAt({ line: position.line + 1, character: 0 }) : document.getText().length;
  return lineStart + position.character <= lineEnd;
}

function expectRangeValid(range: Range, document: TextDocument, what: string): void {
  expect(inDocument(range.start, document) && inDocument(range.end, document), `${what}: ${JSON.stringify(range)}`).toBe(true);
  expect(document.offsetAt(range.start) <= document.offsetAt(range.end), `${what} is backwards: ${JSON.stringify(range)}`).toBe(true);
}

function expectDiagnosticsValid(diagnostics: Diagnostic[], document: TextDocument): void {
  for (const d of diagnostics) {
    expectRangeValid(d.range, document, `diagnostic ${d.code}`);
    expect(typeof d.code).toBe('string');
    expect(typeof d.message === 'string' && d.message.length > 0).toBe(true);
  }
}

async function expectRequestsValid(client: LspTestClient, uri: string, document: TextDocument, next: () => number): Promise<void> {
  const textDocument = { uri };
  const position = () => document.positionAt(Math.floor(next() * (document.getText().length + 1)));
  const whole = { start: { line: 0, character: 0 }, end: { line: document.lineCount, character: 0 } };

  for (let i = 0; i < 3; i++) {
    const hover = await client.request<{ range?: Range; contents: { value: string } } | null>('textDocument/hover', { textDocument, position: position() });
    if (hover) {
      expect(typeof hover.contents.value).toBe('string');
      if (hover.range) expectRangeValid(hover.range, document, 'hover');
    }
  }
  const completion = await client.request<unknown[]>('textDocument/completion', { textDocument, position: position() });
  expect(Array.isArray(completion)).toBe(true);
  await client.request('textDocument/signatureHelp', { textDocument, position: position() });

  const hints = await client.request<{ position: Position; label: string }[]>('textDocument/inlayHint', { textDocument, range: whole });
  for (const h of hints) expect(inDocument(h.position, document), `inlay hint at ${JSON.stringify(h.position)}`).toBe(true);

  const symbols = await client.request<{ range: Range; selectionRange: Range }[]>('textDocument/documentSymbol', { textDocument });
  for (const s of symbols) expectRangeValid(s.range, document, 'symbol');

  const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument });
  expect(tokens.data.length % 5).toBe(0);

  const folding = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument });
  for (const f of folding) expect(f.startLine <= f.endLine && f.endLine < document.lineCount).toBe(true);

  const [selection] = await client.request<{ range: Range }[]>('textDocument/selectionRange', { textDocument, positions: [position()] });
  expectRangeValid(selection.range, document, 'selection');

  const definitionAt = position();
  const definition = await client.request<{ range: Range } | null>('textDocument/definition', { textDocument, position: definitionAt });
  if (definition) expectRangeValid(definition.range, document, 'definition');

  const formatting = await client.request<{ range: Range }[]>('textDocument/formatting', { textDocument, options: { tabSize: 2, insertSpaces: true } });
  for (const e of formatting) expectRangeValid(e.range, document, 'format edit');

  const summary = await client.request<{ text: string } | null>('convlens/summary', { textDocument });
  expect(typeof summary?.text).toBe('string');
}
