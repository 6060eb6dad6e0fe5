import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FoldingRange } from 'vscode-languageserver';
import { LspTestClient, docUri } from './lsp-client';

const text = `# A model
# with a long header comment
block b(c) {
  conv c, k=3
  repeat 2 {
    relu
    relu
  }
}

model M {
  input x: 3×8×8
  # region stem
  conv 8, k=3
  relu
  # endregion
  b(8)   # one trailing comment
}
`;

describe('folding ranges (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  it('folds bodies (keeping the closing brace), comment runs and regions', async () => {
    const uri = docUri('folding.cnn');
    await client.open(uri, text);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const simplified = ranges.map((r) => [r.startLine, r.endLine, r.kind ?? 'body']).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(simplified).toEqual([
      [0, 1, 'comment'],
      [2, 7, 'body'],
      [4, 6, 'body'],
      [10, 16, 'body'],
      [12, 15, 'region'],
    ]);
  });

  it('folds 130,000 comment runs', async () => {
    const uri = docUri('many-comments.cnn');
    await client.open(uri, `${'# a\n# b\n\n'.repeat(130_000)}model M {\n  input x: 3×8×8\n}\n`);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    expect(ranges.filter((r) => r.kind === 'comment')).toHaveLength(130_000);
  });
});
