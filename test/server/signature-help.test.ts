import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignatureHelp } from 'vscode-languageserver';
import { LspTestClient, docUri, positionOf } from './lsp-client';

describe('signature help (spawned server)', () => {
  let client: LspTestClient;
  beforeAll(async () => {
    client = await LspTestClient.start();
  });
  afterAll(async () => {
    await client?.dispose();
  });

  let counter = 0;
  async function help(marked: string): Promise<SignatureHelp | null> {
    const uri = docUri(`signature-${counter++}.cnn`);
    await client.open(uri, marked.replace('‸', ''));
    return client.request<SignatureHelp | null>('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(marked, '‸') });
  }
  const model = (line: string) => `block proj(c, stride=1) {\n  conv c, k=1, stride=stride\n}\nmodel M {\n  input x: 3×32×32\n${line}\n}\n`;
  const activeLabel = (h: SignatureHelp | null) => {
    const signature = h!.signatures[h!.activeSignature ?? 0];
    const parameter = signature.parameters![h!.activeParameter!];
    const [start, end] = parameter.label as [number, number];
    return signature.label.slice(start, end);
  };

  it('shows a layer’s arguments with defaults, the positional one active first', async () => {
    const h = await help(model('  conv ‸'));
    expect(h?.signatures[0].label).toBe('conv(out, k, stride=1, padding=0, dilation=1, groups=1, bias=true, in?, weights?)');
    expect(activeLabel(h)).toBe('out');
  });

  it('follows the keyword being typed', async () => {
    expect(activeLabel(await help(model('  conv 16, k=3, padding=‸')))).toBe('padding=0');
  });

  it('shows a block’s parameters', async () => {
    const h = await help(model('  proj(8, ‸'));
    expect(h?.signatures[0].label).toBe('proj(c, stride=1)');
    expect(activeLabel(h)).toBe('stride=1');
  });

  it('follows a call onto its continuation lines, in a CRLF file and past a comment', async () => {
    expect(activeLabel(await help(model('  conv 16,\n    k=3, padding=‸').replace(/\n/g, '\r\n')))).toBe('padding=0');
    expect(activeLabel(await help(model('  conv 16,  # (see the stem {})\n    k=3, padding=‸')))).toBe('padding=0');
  });

  it('has nothing to say outside a call', async () => {
    expect(await help(model('  ‸'))).toBeNull();
  });
});
