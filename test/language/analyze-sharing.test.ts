// analyze() shares argument records and shape-rule results between identical
// layers; these tests pin down that sharing never changes what each layer says.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';

const names = (text: string) => analyze(text).layers.map((l) => l.name);

describe('identical layers', () => {
  it('keep their own names, ids, spans and producers while sharing arguments and shapes', () => {
    const text = `model M {
  input x: 8×16×16
  conv 8, k=3, padding=1
  conv 8, k=3, padding=1
  conv 8, k=3,  padding=1
}
`;
    const { layers } = analyze(text);
    expect(layers.map((l) => l.name)).toEqual(['conv1', 'conv2', 'conv3']);
    expect(layers.map((l) => l.inputs)).toEqual([[-1], [0], [1]]);
    expect(new Set(layers.map((l) => l.span.start)).size).toBe(3);
    for (const layer of layers) {
      expect(layer.args).toEqual({ out: 8, k: 3, padding: 1, stride: 1, dilation: 1, groups: 1, bias: true });
      expect(layer.outputShape).toEqual([8, 16, 16]);
      expect(layer.params).toBe(8 * 8 * 9 + 8);
    }
    // The receptive field still grows layer by layer.
    expect(layers.map((l) => l.receptiveField)).toEqual([[3, 3], [5, 5], [7, 7]]);
    // The window geometry is read-only, so identical layers share one.
    expect(layers[0].window?.outSize).toEqual([16, 16]);
    expect(layers[1].window).toBe(layers[0].window);
    expect(layers[2].window).toBe(layers[0].window);
  });

  it('report a warning at each call, not only the first', () => {
    const text = `model M {
  input x: 4×9×9
  a = x | conv 4, k=2, stride=2
  b = x | conv 4, k=2, stride=2
  add(a, b)
}
`;
    const warnings = analyze(text).diagnostics.filter((d) => d.code === 'stride-drops-input');
    expect(warnings.map((d) => text.slice(d.span.start, d.span.end))).toEqual(['2', '2']);
    expect(warnings[0].span.start).not.toBe(warnings[1].span.start);
  });

  it('resolve arguments that use names each time they run', () => {
    const text = `block b(c, s=1) {
  conv c, k=3, stride=s, padding=1
}
model M {
  input x: 8×16×16
  b(8)
  b(8, s=2)
  b(16)
  b(16, s=2)
}
`;
    const { layers } = analyze(text);
    expect(layers.map((l) => [l.args.out, l.args.stride])).toEqual([[8, 1], [8, 2], [16, 1], [16, 2]]);
    expect(layers.map((l) => l.outputShape)).toEqual([[8, 16, 16], [8, 8, 8], [16, 8, 8], [16, 4, 4]]);
  });
});

describe('layer names', () => {
  it('give a label that equals a generated name a suffix, as before', () => {
    const text = `model M {
  input x: 8×16×16
  conv1: conv 8, k=1
  conv 8, k=1
  conv 8, k=1
  conv2: relu
  conv10: relu
  conv010: relu
  repeat 2 {
    conv3: relu
  }
}
`;
    expect(names(text)).toEqual(['conv1', 'conv1', 'conv2', 'conv2_2', 'conv10', 'conv010', 'conv3', 'conv3_2']);
  });

  it('number labels inside block calls per call', () => {
    const text = `block b(c) {
  stem: conv c, k=1
  relu
}
model M {
  input x: 8×16×16
  b(8)
  b(8)
  b2: b(8)
}
`;
    expect(names(text)).toEqual(['b1.stem', 'b1.relu1', 'b2.stem', 'b2.relu1', 'b2_2.stem', 'b2_2.relu1']);
  });
});
