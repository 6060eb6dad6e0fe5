/**
 * Signature help for the call under the cursor: a layer's catalogue arguments
 * or a block's parameters, with the one being typed highlighted.
 */
import { MarkupKind, type ParameterInformation, type SignatureHelp } from 'vscode-languageserver';
import type { Item } from '../language/ast';
import { getLayerSpec } from '../language/catalogue';
import type { Analysis } from '../language/types';
import { cursorContext } from './call-context';
import type { Feature } from './feature';

export const signatureHelpFeature: Feature = {
  capabilities: () => ({ signatureHelpProvider: { triggerCharacters: [' ', '(', ','], retriggerCharacters: ['='] } }),
  register(context) {
    context.connection.onSignatureHelp((params, token) =>
      context.answer('signatureHelp', params.textDocument.uri, token, null, (doc) => signatureHelp(doc.analysis, doc.lines.offsetAt(params.position))),
    );
  },
};

interface Parameter {
  readonly name: string;
  /** How it shows in the signature: `k`, `stride=1`. */
  readonly text: string;
  readonly doc?: string;
  readonly positional: boolean;
}

export function signatureHelp(analysis: Analysis, offset: number): SignatureHelp | null {
  const context = cursorContext(analysis.text, offset);
  if (context.kind !== 'argument') return null;

  let title: string;
  let doc: string | undefined;
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
  const infos: ParameterInformation[] = parameters.map((p, i) => {
    if (i > 0) label += ', ';
    const start = label.length;
    label += p.text;
    return { label: [start, label.length], documentation: p.doc ? { kind: MarkupKind.Markdown, value: p.doc } : undefined };
  });
  label += ')';

  let active: number | undefined;
  if (context.name) active = parameters.findIndex((p) => p.name === context.name);
  else {
    const positional = parameters.map((p, i) => (p.positional ? i : -1)).filter((i) => i >= 0);
    // Merges take any number of tensors; they all land on the first parameter.
    active = positional[Math.min(context.positionalIndex, spec?.inputs === 'many' ? 0 : positional.length)];
  }
  return {
    signatures: [{ label, documentation: doc, parameters: infos }],
    activeSignature: 0,
    activeParameter: active === undefined || active < 0 ? undefined : active,
  };
}
