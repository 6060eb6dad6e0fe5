import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient, docUri, sample } from './lsp-client';

describe('quick fixes (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  let counter = 0;
  /** Opens `text`, asks for fixes for the diagnostic with `code`, applies each; returns the titles and the fixed texts' diagnostics. */
  async function fixes(text: string, code: string): Promise<{ title: string; fixed: string; remaining: Diagnostic[] }[]> {
    const uri = docUri(`fix-${counter++}.cnn`);
    const published = await client.open(uri, text);
    const diagnostic = published.diagnostics.find((d) => d.code === code);
    expect(diagnostic, `no ${code} in ${JSON.stringify(published.diagnostics.map((d) => d.code))}`).toBeDefined();
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic!.range,
      context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] },
    });
    const results = [];
    for (const action of actions) {
      expect(action.kind).toBe(CodeActionKind.QuickFix);
      expect(action.diagnostics).toEqual([diagnostic]);
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'cnn', 1, text), action.edit!.changes![uri]);
      const after = await client.open(docUri(`fixed-${counter++}.cnn`), fixed);
      results.push({ title: action.title, fixed, remaining: after.diagnostics });
    }
    return results;
  }
  const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

  it('renames an unknown layer to the closest known one', async () => {
    const [fix] = await fixes('model M {\n  input x: 3×8×8\n  batchnrm\n}\n', 'unknown-layer');
    expect(fix.title).toBe('Change ‘batchnrm’ to ‘batchnorm’');
    expect(fix.remaining).toEqual([]);
  });

  it('renames an unknown argument', async () => {
    const [fix] = await fixes('model M {\n  input x: 3×8×8\n  conv 4, k=3, strides=2\n}\n', 'unknown-argument');
    expect(fix.fixed).toContain('conv 4, k=3, stride=2');
  });

  it('inserts flatten before linear', async () => {
    const [fix] = await fixes('model M {\n  input x: 3×8×8\n  linear 10\n}\n', 'linear-needs-flat');
    expect(fix.fixed).toContain('  flatten | linear 10\n');
    expect(fix.remaining).toEqual([]);
  });

  it('corrects a conv’s declared input channels', async () => {
    const [fix] = await fixes('model M {\n  input x: 3×8×8\n  conv 4, k=3, in=8\n}\n', 'channel-mismatch');
    expect(fix.title).toBe('Declare in=3, the channels the input has');
    expect(fix.fixed).toContain('in=3');
    expect(fix.remaining).toEqual([]);
  });

  it('sets padding=same so a residual add matches', async () => {
    const text = 'model M {\n  input x: 16×32×32\n  y = conv 16, k=3 | relu\n  add(y, x)\n}\n';
    const [fix] = await fixes(text, 'shape-mismatch');
    expect(fix.title).toBe('Set padding=same on the conv that makes ‘y’');
    expect(fix.fixed).toContain('y = conv 16, k=3, padding=same | relu');
    expect(fix.remaining).toEqual([]);
  });

  it('inserts a 1×1 projection on a mismatched shortcut', async () => {
    const text = 'block down(c) {\n  y = conv c, k=3, stride=2, padding=1\n  add(y, in)\n}\nmodel M {\n  input x: 64×56×56\n  down(128)\n}\n';
    const [fix] = await fixes(text, 'shape-mismatch');
    expect(fix.title).toBe('Insert a 1×1 projection on ‘in’ (conv 128, k=1, stride=2, bias=false)');
    expect(fix.fixed).toContain('  shortcut_proj = in | conv 128, k=1, stride=2, bias=false\n  add(y, shortcut_proj)');
    expect(fix.remaining).toEqual([]);
  });

  it('offers only fixes that help: every fix for samples/broken.cnn removes its error', async () => {
    const text = sample('broken.cnn');
    const uri = docUri('broken-fixes.cnn');
    const published = await client.open(uri, text);
    let offered = 0;
    for (const diagnostic of published.diagnostics) {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
      offered += actions.length;
      for (const action of actions) {
        const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'cnn', 1, text), action.edit!.changes![uri]);
        const after = await client.open(docUri(`broken-fixed-${offered}.cnn`), fixed);
        expect(codes(after.diagnostics).filter((c) => c === diagnostic.code).length, action.title).toBeLessThan(
          codes(published.diagnostics).filter((c) => c === diagnostic.code).length,
        );
      }
    }
    expect(offered).toBe(5);
  });
});
