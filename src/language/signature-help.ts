/**
 * Signature help for the call under the cursor: a layer's catalogue arguments
 * or a block's parameters, with the one being typed active.
 */
import type { Item } from './ast';
import { getLayerSpec } from './catalogue';
import { cursorContext } from './cursor-context';
import type { Analysis } from './types';

/** A call's signature, `conv(out, k, stride=1, …)`, and which parameter the cursor is on. */
export interface Signature {
  readonly label: string;
  /** Plain text: the layer's summary, or `block`. */
  readonly documentation: string;
  /** Each parameter's place in the label, [start, end), with its documentation (markdown). */
  readonly parameters: readonly { readonly start: number; readonly end: number; readonly documentation?: string }[];
  /** The parameter being typed, when the cursor is on one. */
  readonly activeParameter?: number;
}

interface Parameter {
  readonly name: string;
  /** How it shows in the signature: `k`, `stride=1`. */
  readonly text: string;
  readonly doc?: string;
  readonly positional: boolean;
}

/** The signature of the call whose arguments hold the offset, or null outside a call to a layer or a block. */
export function signatureHelp(analysis: Analysis, offset: number): Signature | null {
  const context = cursorContext(analysis.text, offset);
  if (context.kind !== 'argument') return null;

  let title: string;
  let doc: string;
  let parameters: Parameter[];
  const spec = getLayerSpec(context.callee);
  if (spec) {
    title = spec.kind;
    doc = spec.summary;
    parameters = spec.args.map((a) => ({
      name: a.name,
      text: a.default !== undefined ? `${a.name}=${String(a.default)}` : a.required ? a.name : `${a.name}?`,
      doc: a.doc,
      positional: a.positional === true,
    }));
    if (spec.inputs === 'many') parameters.unshift({ name: 'tensors', text: 'tensors…', doc: 'The tensors to combine, by name.', positional: true });
  } else {
    const block = analysis.program.items.find((i): i is Extract<Item, { kind: 'block' }> => i.kind === 'block' && i.name.name === context.callee);
    if (!block) return null;
    title = block.name.name;
    doc = 'block';
    parameters = block.params.map((p) => ({
      name: p.name.name,
      text: p.default ? `${p.name.name}=${analysis.text.slice(p.default.span.start, p.default.span.end)}` : p.name.name,
      positional: true,
    }));
  }

  let label = `${title}(`;
  const places = parameters.map((p, i) => {
    if (i > 0) label += ', ';
    const start = label.length;
    label += p.text;
    return { start, end: label.length, documentation: p.doc };
  });
  label += ')';

  let active: number | undefined;
  if (context.name) active = parameters.findIndex((p) => p.name === context.name);
  else {
    const positional = parameters.map((p, i) => (p.positional ? i : -1)).filter((i) => i >= 0);
    // Merges take any number of tensors; they all land on the first parameter.
    active = positional[Math.min(context.positionalIndex, spec?.inputs === 'many' ? 0 : positional.length)];
  }
  return { label, documentation: doc, parameters: places, activeParameter: active === undefined || active < 0 ? undefined : active };
}
