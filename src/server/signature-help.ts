/** Signature help, from the language's signature of the call under the cursor. */
import { MarkupKind, type SignatureHelp } from 'vscode-languageserver';
import { signatureHelp } from '../language/signature-help';
import type { Feature } from './feature';

export const signatureHelpFeature: Feature = {
  capabilities: () => ({ signatureHelpProvider: { triggerCharacters: [' ', '(', ','], retriggerCharacters: ['='] } }),
  register(context) {
    context.connection.onSignatureHelp((params, token) =>
      context.answer('signatureHelp', params.textDocument.uri, token, null, (doc): SignatureHelp | null => {
        const signature = signatureHelp(doc.analysis, doc.lines.offsetAt(params.position));
        if (!signature) return null;
        const parameters = signature.parameters.map((p) => ({
          label: [p.start, p.end] as [number, number],
          documentation: p.documentation ? { kind: MarkupKind.Markdown, value: p.documentation } : undefined,
        }));
        return {
          signatures: [{ label: signature.label, documentation: signature.documentation, parameters }],
          activeSignature: 0,
          activeParameter: signature.activeParameter,
        };
      }),
    );
  },
};
