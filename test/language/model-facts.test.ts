import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { modelFacts } from '../../src/language/model-facts';

describe('modelFacts', () => {
  it("reads the model's input shape and weights path from the analysis", () => {
    expect(modelFacts(analyze('model M {\n  input x: 3×8×8\n  weights "m.safetensors"\n  relu\n}\n'))).toEqual({ inputShape: [3, 8, 8], weightsPath: 'm.safetensors' });
  });

  it('gives nulls for no model, an unknown input shape, or no weights line', () => {
    expect(modelFacts(analyze(''))).toEqual({ inputShape: null, weightsPath: null });
    expect(modelFacts(analyze('model M {\n  input x: 3×nope\n}\n')).inputShape).toBeNull();
    expect(modelFacts(analyze('model M {\n  input x: 1×4\n}\n'))).toEqual({ inputShape: [1, 4], weightsPath: null });
  });

  it('copies the shape, so the analysis is not shared with whoever keeps it', () => {
    const analysis = analyze('model M {\n  input x: 1×4\n}\n');
    expect(modelFacts(analysis).inputShape).not.toBe(analysis.model!.inputShape);
  });
});
