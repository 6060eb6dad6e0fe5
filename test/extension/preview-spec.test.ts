import { describe, expect, it } from 'vitest';
import { serverFacts, specFacts } from '../../src/extension/preview-spec';

describe('specFacts: what the preview page is told about the spec with its text', () => {
  it('reads the input shape in either notation', () => {
    expect(specFacts('model M {\n  input digit: 1×32×32\n}').inputShape).toEqual([1, 32, 32]);
    expect(specFacts('model M {\n  input wave: 1x8000, normalize=none\n}').inputShape).toEqual([1, 8000]);
    expect(specFacts('model M {}').inputShape).toBeNull();
  });

  it('reads the weights path, not one in a comment', () => {
    expect(specFacts('model M {\n  weights "w/lenet5.safetensors"  # trained\n}').weightsPath).toBe('w/lenet5.safetensors');
    expect(specFacts('# weights "x.safetensors"\nmodel M {}').weightsPath).toBeNull();
  });

  it('reads what the analysis reads: a shape written with names, a weights line not at the start of its line', () => {
    const text = 'model M {\n  let side = 28; weights "m.safetensors"\n  input x: 1×side×side\n  conv 4, k=3\n}\n';
    expect(specFacts(text)).toEqual({ inputShape: [1, 28, 28], weightsPath: 'm.safetensors' });
  });

  it('says nothing for a file without a model, and never throws on broken text', () => {
    expect(specFacts('block b(c) {\n  conv c\n}\n')).toEqual({ inputShape: null, weightsPath: null });
    expect(specFacts('model {{{ input : ×× weights "')).toEqual({ inputShape: null, weightsPath: null });
  });
});

describe("serverFacts: the server's analysis first, the extension's own when it cannot answer", () => {
  const text = 'model M {\n  input x: 1×8×8\n  weights "local.safetensors"\n}\n';
  const document = { uri: 'file:///w/m.cnn', version: 5, getText: () => text };
  const fromServer = { inputShape: [3, 32, 32], weightsPath: 'server.safetensors' };
  const local = { inputShape: [1, 8, 8], weightsPath: 'local.safetensors' };

  it("takes the server's facts for this version, without analysing the text", async () => {
    const asked: string[] = [];
    const facts = serverFacts(async (uri) => {
      asked.push(uri);
      return { version: 5, ...fromServer };
    });
    expect(await facts({ ...document, getText: () => { throw new Error('analysed here'); } })).toEqual(fromServer);
    expect(asked).toEqual(['file:///w/m.cnn']);
  });

  it('analyses the text itself when the server is behind, has no such document, or is not running', async () => {
    expect(await serverFacts(async () => ({ version: 4, ...fromServer }))(document)).toEqual(local);
    expect(await serverFacts(async () => null)(document)).toEqual(local);
    expect(await serverFacts(() => Promise.reject(new Error('The ConvLens language server is not running.')))(document)).toEqual(local);
  });

  it('does not wait past its timeout for a server that does not answer', async () => {
    expect(await serverFacts(() => new Promise(() => {}), 5)(document)).toEqual(local);
  });
});
