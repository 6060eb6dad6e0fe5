import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { LspTestClient, docUri, sample } from './lsp-client';

interface Outline {
  name: string;
  kind: SymbolKind;
  detail?: string;
  children?: Outline[];
}

function outline(symbols: DocumentSymbol[]): Outline[] {
  return symbols.map((s) => ({ name: s.name, kind: s.kind, detail: s.detail, ...(s.children?.length ? { children: outline(s.children) } : {}) }));
}

function contains(outer: DocumentSymbol): void {
  const inside = (a: DocumentSymbol['range'], b: DocumentSymbol['range']) =>
    (a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character <= b.start.character)) &&
    (a.end.line > b.end.line || (a.end.line === b.end.line && a.end.character >= b.end.character));
  expect(inside(outer.range, outer.selectionRange), outer.name).toBe(true);
  for (const child of outer.children ?? []) {
    expect(inside(outer.range, child.range), `${child.name} in ${outer.name}`).toBe(true);
    contains(child);
  }
}

describe('document symbols (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('outlines the model with its input, labels and named tensors, and blocks with their parameters', async () => {
    const uri = docUri('unet.cnn');
    await client.open(uri, sample('unet.cnn'));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const tree = outline(symbols);
    expect(tree.map((s) => [s.name, s.kind])).toEqual([
      ['double', SymbolKind.Function],
      ['up', SymbolKind.Function],
      ['UNet', SymbolKind.Class],
    ]);
    expect(tree[1].detail).toBe('(c, skip)');
    expect(tree[1].children?.[0]).toEqual({ name: 'c', kind: SymbolKind.TypeParameter, detail: 'parameter' });
    const model = tree[2];
    expect(model.detail).toMatch(/^1×\d+×\d+ → \d+×\d+×\d+ · [\d.]+[KM]? params$/);
    expect(model.children?.[0]).toMatchObject({ name: 'image', kind: SymbolKind.Variable });
    expect(model.children?.some((c) => c.kind === SymbolKind.Variable && /^\d+×\d+×\d+$/.test(c.detail ?? ''))).toBe(true);
    for (const s of symbols) contains(s);
  });

  it('lists the layers, each with its output shape (LeNet-5)', async () => {
    const uri = docUri('lenet5.cnn');
    await client.open(uri, sample('lenet5.cnn'));
    const [model] = outline(await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }));
    expect(model.children?.map((c) => [c.name, c.kind, c.detail])).toEqual([
      ['digit', SymbolKind.Variable, '1×32×32'],
      ['conv 6, k=5', SymbolKind.Method, '6×28×28'],
      ['tanh', SymbolKind.Method, '6×28×28'],
      ['avgpool 2', SymbolKind.Method, '6×14×14'],
      ['conv 16, k=5', SymbolKind.Method, '16×10×10'],
      ['tanh', SymbolKind.Method, '16×10×10'],
      ['avgpool 2', SymbolKind.Method, '16×5×5'],
      ['flatten', SymbolKind.Method, '400'],
      ['linear 120', SymbolKind.Method, '120'],
      ['tanh', SymbolKind.Method, '120'],
      ['linear 84', SymbolKind.Method, '84'],
      ['tanh', SymbolKind.Method, '84'],
      ['linear 10', SymbolKind.Method, '10'],
    ]);
  });

  it('gives every sample a well-formed outline', async () => {
    for (const name of ['resnet50.cnn', 'mobilenet_v2.cnn', 'broken.cnn', 'edges.cnn']) {
      const uri = docUri(name);
      await client.open(uri, sample(name));
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      expect(symbols.length).toBeGreaterThan(0);
      for (const s of symbols) contains(s);
    }
  });
});
