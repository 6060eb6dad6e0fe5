import { describe, expect, it } from 'vitest';
import { specFacts } from '../../src/extension/preview-spec';

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
