import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type MarkupContent } from 'vscode-languageserver';
import { LspTestClient, docUri, positionOf } from './lsp-client';

describe('completion (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  /** Opens `text` with `|` marking the cursor, and completes there. */
  let counter = 0;
  async function complete(marked: string): Promise<CompletionItem[]> {
    const cursor = marked.indexOf('‸');
    const text = marked.replace('‸', '');
    const uri = docUri(`completion-${counter++}.cnn`);
    await client.open(uri, text);
    const result = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(marked, '‸'),
    });
    void cursor;
    return Array.isArray(result) ? result : result.items;
  }
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  const model = (body: string) => `block proj(c, stride=1) {\n  conv c, k=1\n}\n\nmodel M {\n  input image: 3×32×32\n  feat = conv 16, k=3\n${body}\n}\n`;

  it('offers layer kinds as snippets with docs, blocks, names and keywords at a statement’s start', async () => {
    const items = await complete(model('  ‸'));
    const conv = items.find((i) => i.label === 'conv')!;
    expect(conv.kind).toBe(CompletionItemKind.Function);
    expect(conv.insertTextFormat).toBe(InsertTextFormat.Snippet);
    expect(conv.insertText).toBe('conv ${1:out}, k=${2:k}');
    expect((conv.documentation as MarkupContent).value).toContain('PyTorch: `nn.Conv1d / nn.Conv2d / nn.Conv3d`');
    expect(labels(items)).toEqual(expect.arrayContaining(['maxpool', 'batchnorm', 'add', 'proj', 'feat', 'image', 'repeat', 'let']));
    expect(items.find((i) => i.label === 'feat')?.detail).toBe('16×30×30');
  });

  it('offers a tensor only after its definition', async () => {
    const items = await complete(model('  ‸\n  late = relu'));
    expect(labels(items)).not.toContain('late');
  });

  it('offers the argument names of the layer under the cursor, minus those given', async () => {
    const items = await complete(model('  conv 32, k=3, ‸'));
    const names = labels(items).filter((l) => l.endsWith('='));
    expect(names).toEqual(expect.arrayContaining(['stride=', 'padding=', 'dilation=', 'groups=', 'bias=']));
    expect(names).not.toContain('k=');
    const stride = items.find((i) => i.label === 'stride=')!;
    expect((stride.documentation as MarkupContent).value).toContain('**stride** · argument of `conv`');
  });

  it('offers allowed values after `name=`', async () => {
    expect(labels(await complete(model('  conv 32, k=3, padding=‸')))).toEqual(expect.arrayContaining(['same', 'valid']));
    expect(labels(await complete(model('  conv 32, k=3, bias=‸')))).toEqual(expect.arrayContaining(['true', 'false']));
    expect(labels(await complete(model('  upsample 2, mode=‸')))).toEqual(expect.arrayContaining(['nearest', 'bilinear']));
    expect(labels(await complete(model('  conv 2, k=3, weights=[sobel_x, ‸')))).toEqual(expect.arrayContaining(['sobel_y', 'laplacian']));
  });

  it('offers a block’s parameters inside its call', async () => {
    expect(labels(await complete(model('  proj(8, ‸)')))).toEqual(expect.arrayContaining(['stride=']));
  });

  it('offers calls after a pipe', async () => {
    expect(labels(await complete(model('  feat | ‸')))).toEqual(expect.arrayContaining(['relu', 'conv']));
  });

  it('offers `in` inside a block, and `model`/`block` at the top level', async () => {
    expect(labels(await complete('block b(c) {\n  ‸\n}\n'))).toContain('in');
    expect(labels(await complete('‸\n'))).toEqual(['model', 'block']);
  });

  it('offers numbers, not tensors, in a repeat count or a let', async () => {
    const items = labels(await complete(model('  let n = 2\n  repeat ‸')));
    expect(items).toContain('n');
    expect(items).not.toContain('feat');
  });

  it('offers argument names on a continuation line after a comment', async () => {
    const names = labels(await complete(model('  conv 32,   # the stem\n    k=3, ‸'))).filter((l) => l.endsWith('='));
    expect(names).toEqual(expect.arrayContaining(['stride=', 'padding=']));
    expect(names).not.toContain('k=');
  });

  it('offers argument names on a continuation line in a CRLF file', async () => {
    const names = labels(await complete(model('  conv 32,\n    k=3, ‸').replace(/\n/g, '\r\n'))).filter((l) => l.endsWith('='));
    expect(names).toEqual(expect.arrayContaining(['stride=', 'padding=']));
    expect(names).not.toContain('k=');
  });

  it('offers nothing inside a comment', async () => {
    expect(await complete(model('  # conv ‸'))).toEqual([]);
  });
});
