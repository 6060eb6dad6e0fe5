import { describe, expect, it } from 'vitest';
import { runAll } from '../../../src/core/execute';
import { encodeSafetensors } from '../../../src/core/safetensors';
import { tensor } from '../../../src/core/tensor';
import { layerParams, safetensorsWeights } from '../../../src/core/weights';
import { analyze } from '../../../src/language/analyze';
import { hover } from '../../../src/language/hover';

function model(input: string, line: string) {
  const text = `model M {\n  input x: ${input}\n  ${line}\n}\n`;
  const analysis = analyze(text);
  return { text, analysis, layer: analysis.layers.at(-1)!, codes: analysis.diagnostics.map((d) => d.code), messages: analysis.diagnostics.map((d) => d.message) };
}

describe('prelu', () => {
  it('x=[4,8,8]: one shared slope by default, 1 parameter, shape kept', () => {
    const { layer, codes } = model('4×8×8', 'prelu');
    expect(codes).toEqual([]);
    expect(layer).toMatchObject({ outputShape: [4, 8, 8], params: 1, macs: 0 });
  });

  it('x=[4,8,8] num_parameters=4: one slope per channel, initialised to `init` as in PyTorch', () => {
    const { layer } = model('4×8×8', 'prelu 4, init=0.1');
    expect(layer.params).toBe(4);
    expect(layerParams(layer)).toEqual([{ key: 'prelu1.weight', role: 'weight', shape: [4], init: { kind: 'constant', value: 0.1 } }]);
  });

  it('x=[4,8,8] num_parameters=3: neither 1 nor the channels, reported at the argument', () => {
    const { text, analysis, codes, messages } = model('4×8×8', 'prelu 3');
    expect(codes).toEqual(['channel-mismatch']);
    expect(messages[0]).toBe("`prelu`: `num_parameters` must be 1 or the input's 4 channels, not 3");
    const span = analysis.diagnostics[0].span;
    expect(text.slice(span.start, span.end)).toBe('3');
    expect(analysis.layers[0].outputShape).toBeNull();
  });

  it('hover spells the count out', () => {
    const { text, analysis } = model('4×8×8', 'prelu 4');
    expect(hover(analysis, text.indexOf('prelu') + 1)?.markdown).toContain('Params: 4 = 4');
  });

  it('runs with slopes from a weights file, one per channel', () => {
    const { analysis } = model('2×1×2', 'prelu 2');
    const weights = safetensorsWeights(encodeSafetensors({ 'prelu1.weight': { shape: [2], data: new Float32Array([0.5, -1]) } }));
    const graph = { name: 'M', inputShape: analysis.model!.inputShape, layers: analysis.layers };
    const { summary } = runAll(graph, tensor([2, 1, 2], [-2, 3, -2, 3]), { weights });
    expect([...summary.output!.data]).toEqual([-1, 3, 2, 3]);
  });
});
