import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { completions, type Completion } from '../../src/language/completion';

/** The completions at `‸` in `marked`. */
function complete(marked: string, notation: '×' | 'x' = '×'): Completion[] {
  const text = marked.replace('‸', '');
  return completions(analyze(text), marked.indexOf('‸'), notation);
}
const labels = (items: Completion[]) => items.map((i) => i.label);
const model = (body: string) => `block proj(c, stride=1) {\n  conv c, k=1\n}\n\nmodel M {\n  input image: 3×32×32\n  feat = conv 16, k=3\n${body}\n}\n`;

describe('completions', () => {
  it('offers layer kinds as snippets with docs, blocks, names and keywords at a statement’s start', () => {
    const items = complete(model('  ‸'));
    expect(items.find((i) => i.label === 'conv')).toMatchObject({ kind: 'layer', snippet: 'conv ${1:out}, k=${2:k}', sortText: '1conv' });
    expect(items.find((i) => i.label === 'conv')?.documentation).toContain('PyTorch: `nn.Conv1d / nn.Conv2d / nn.Conv3d`');
    expect(items.find((i) => i.label === 'proj')).toEqual({ label: 'proj', kind: 'block', detail: 'block proj(c, stride)', snippet: 'proj($0)', sortText: '0proj' });
    expect(items.find((i) => i.label === 'feat')).toEqual({ label: 'feat', kind: 'tensor', detail: '16×30×30', sortText: '0feat' });
    expect(items.find((i) => i.label === 'repeat')).toMatchObject({ kind: 'keyword', snippet: 'repeat ${1:n} {\n\t$0\n}' });
    expect(labels(items)).toEqual(expect.arrayContaining(['input', 'weights', 'let', 'if']));
  });

  it('formats shapes in the notation asked for', () => {
    expect(complete(model('  ‸'), 'x').find((i) => i.label === 'feat')?.detail).toBe('16x30x30');
  });

  it('offers a tensor only after its definition, and statement keywords only at a statement’s start', () => {
    const items = labels(complete(model('  feat | ‸\n  late = relu')));
    expect(items).not.toContain('late');
    expect(items).not.toContain('repeat');
    expect(items).toContain('relu');
  });

  it('offers the argument names of the layer under the cursor, minus those given, and asks again after those with values', () => {
    const items = complete(model('  conv 32, k=3, ‸'));
    const names = items.filter((i) => i.kind === 'argument');
    expect(labels(names)).toEqual(expect.arrayContaining(['stride=', 'padding=', 'dilation=', 'groups=', 'bias=']));
    expect(labels(names)).not.toContain('k=');
    expect(names.find((i) => i.label === 'padding=')).toMatchObject({ snippet: 'padding=$0', suggestAgain: true });
    expect(names.find((i) => i.label === 'stride=')).toMatchObject({ suggestAgain: false });
    expect(names.find((i) => i.label === 'stride=')?.documentation).toContain('**stride** · argument of `conv`');
  });

  it('offers allowed values after `name=`, the default marked', () => {
    const values = complete(model('  conv 32, k=3, bias=‸')).filter((i) => i.kind === 'value');
    expect(values).toEqual([
      { label: 'true', kind: 'value', detail: 'bias (default)', sortText: '0true' },
      { label: 'false', kind: 'value', detail: 'bias', sortText: '0false' },
    ]);
    expect(labels(complete(model('  conv 2, k=3, weights=[sobel_x, ‸')))).toEqual(expect.arrayContaining(['sobel_y', 'laplacian']));
    expect(labels(complete('model M {\n  input x: 3×8×8, normalize=‸\n}\n'))).toEqual(['none', 'imagenet']);
  });

  it('offers a block’s parameters inside its call, minus those given by name', () => {
    expect(complete(model('  proj(stride=2, ‸)')).filter((i) => i.kind === 'argument')).toEqual([
      { label: 'c=', kind: 'argument', detail: 'parameter of block proj', snippet: 'c=$0', sortText: '0c' },
    ]);
  });

  it('offers `in` inside a block, and only `model` and `block` at the top level', () => {
    expect(complete('block b(c) {\n  ‸\n}\n').find((i) => i.label === 'in')).toMatchObject({ kind: 'keyword' });
    expect(complete('‸\n').map((i) => [i.label, i.kind])).toEqual([
      ['model', 'keyword'],
      ['block', 'keyword'],
    ]);
  });

  it('offers numbers, not tensors, in a repeat count or a let', () => {
    const items = complete(model('  let n = 2\n  repeat ‸'));
    expect(items.find((i) => i.label === 'n')).toMatchObject({ kind: 'constant' });
    expect(labels(items)).not.toContain('feat');
  });

  it('offers nothing inside a comment or a string', () => {
    expect(complete(model('  # conv ‸'))).toEqual([]);
    expect(complete(model('  weights "m‸'))).toEqual([]);
  });
});
