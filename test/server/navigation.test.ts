import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentHighlight, Location, Range, WorkspaceEdit } from 'vscode-languageserver';
import { LspTestClient, docUri } from './lsp-client';

const text = `block proj(c, stride=1) {
  y = conv c, k=1, stride=stride
  y | relu
}

model M {
  input image: 8×32×32
  feat = conv 8, k=3, padding=1
  proj(8)
  add(feat, image) | proj(8, stride=2)
  feat | relu
}
`;

/** The range of the nth occurrence of `needle`. */
function rangeOf(needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  const prefix = text.slice(0, at);
  const line = prefix.split('\n').length - 1;
  const character = at - (prefix.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

describe('definition, references, highlights and rename (spawned server)', () => {
  let client: LspTestClient;
  const uri = docUri('navigation.cnn');
  beforeAll(async () => {
    client = await LspTestClient.start();
    const published = await client.open(uri, text);
    // The statements only give names to navigate; the results of `proj(8)` and of the `add` line are dropped.
    expect(published.diagnostics.filter((d) => d.code !== 'unused-branch')).toEqual([]);
  });
  afterAll(async () => {
    await client?.dispose();
  });

  const at = (needle: string, nth = 0, delta = 0) => {
    const r = rangeOf(needle, nth);
    return { textDocument: { uri }, position: { line: r.start.line, character: r.start.character + delta } };
  };

  it('goes from a tensor’s use to its definition', async () => {
    const location = await client.request<Location>('textDocument/definition', at('feat', 1));
    expect(location).toEqual({ uri, range: rangeOf('feat', 0) });
  });

  it('goes from a block call to the block, also with the cursor just after the name', async () => {
    expect(await client.request<Location>('textDocument/definition', at('proj(8)', 0, 4))).toEqual({ uri, range: rangeOf('proj', 0) });
  });

  it('goes from a parameter’s use to the parameter', async () => {
    expect(await client.request<Location>('textDocument/definition', at('stride', 2))).toEqual({ uri, range: rangeOf('stride', 0) });
  });

  it('finds every reference, with or without the declaration', async () => {
    const withDeclaration = await client.request<Location[]>('textDocument/references', { ...at('feat'), context: { includeDeclaration: true } });
    expect(withDeclaration.map((l) => l.range)).toEqual([rangeOf('feat', 0), rangeOf('feat', 1), rangeOf('feat', 2)]);
    const without = await client.request<Location[]>('textDocument/references', { ...at('feat'), context: { includeDeclaration: false } });
    expect(without).toHaveLength(2);
  });

  it('highlights the definition as a write and the uses as reads', async () => {
    const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', at('image'));
    expect(highlights.map((h) => h.kind)).toEqual([3, 2]);
  });

  it('renames a block at its definition and every call', async () => {
    const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', at('proj(8, stride'));
    expect(prepared).toEqual({ range: rangeOf('proj', 2), placeholder: 'proj' });
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...at('proj'), newName: 'projection' });
    expect(edit.changes?.[uri].map((e) => e.range)).toEqual([rangeOf('proj', 0), rangeOf('proj', 1), rangeOf('proj', 2)]);
    expect(edit.changes?.[uri].every((e) => e.newText === 'projection')).toBe(true);
  });

  it('refuses a keyword, a built-in layer for a block, or a non-name', async () => {
    await expect(client.request('textDocument/rename', { ...at('feat'), newName: 'repeat' })).rejects.toThrow('`repeat` is a keyword');
    await expect(client.request('textDocument/rename', { ...at('proj'), newName: 'conv' })).rejects.toThrow('is a built-in layer');
    await expect(client.request('textDocument/rename', { ...at('feat'), newName: '2x' })).rejects.toThrow('is not a name');
  });

  it('has no definition for a layer kind', async () => {
    expect(await client.request('textDocument/definition', at('relu'))).toBeNull();
  });
});
