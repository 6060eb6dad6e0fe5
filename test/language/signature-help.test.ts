import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { signatureHelp, type Signature } from '../../src/language/signature-help';

function help(marked: string): Signature | null {
  return signatureHelp(analyze(marked.replace('‸', '')), marked.indexOf('‸'));
}
const model = (line: string) => `block proj(c, stride=1) {\n  conv c, k=1, stride=stride\n}\nmodel M {\n  input x: 3×32×32\n${line}\n}\n`;
/** The text of the active parameter in the label. */
function active(signature: Signature | null): string | undefined {
  const p = signature?.activeParameter === undefined ? undefined : signature.parameters[signature.activeParameter];
  return p && signature!.label.slice(p.start, p.end);
}

describe('signatureHelp', () => {
  it('shows a layer’s arguments with defaults and the optional ones marked, the positional one active first', () => {
    const h = help(model('  conv ‸'));
    expect(h?.label).toBe('conv(out, k, stride=1, padding=0, dilation=1, groups=1, bias=true, in?, weights?)');
    expect(h?.documentation).toBeTruthy();
    expect(active(h)).toBe('out');
    expect(h?.parameters.map((p) => h.label.slice(p.start, p.end))).toEqual(['out', 'k', 'stride=1', 'padding=0', 'dilation=1', 'groups=1', 'bias=true', 'in?', 'weights?']);
  });

  it('follows the keyword being typed; past the positional ones, none is active', () => {
    expect(active(help(model('  conv 16, k=3, padding=‸')))).toBe('padding=0');
    expect(help(model('  conv 16, ‸'))?.activeParameter).toBeUndefined();
  });

  it('puts every tensor of a merge on its first parameter', () => {
    const h = help(model('  a = relu\n  add(a, x, ‸'));
    expect(h?.label.startsWith('add(tensors…')).toBe(true);
    expect(active(h)).toBe('tensors…');
  });

  it('shows a block’s parameters with their defaults from the source', () => {
    const h = help(model('  proj(8, ‸'));
    expect(h).toMatchObject({ label: 'proj(c, stride=1)', documentation: 'block' });
    expect(active(h)).toBe('stride=1');
  });

  it('has nothing to say outside a call, or in a call to something unknown', () => {
    expect(help(model('  ‸'))).toBeNull();
    expect(help(model('  nosuch(1, ‸'))).toBeNull();
  });
});
