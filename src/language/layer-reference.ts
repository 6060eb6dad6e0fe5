/**
 * What is generated from the catalogue by `npm run docs`, so that it can never
 * drift from what the analyser accepts: the layer reference (docs/layers.md) and
 * the TextMate grammar's layer-kind keywords (syntaxes/cnn.tmLanguage.json).
 */
import { KERNEL_NAMES, layerSpecs, type ArgSpec } from './catalogue';

const CATEGORY_TITLES: Record<string, string> = {
  conv: 'Convolutions',
  pool: 'Pooling',
  norm: 'Normalisation and scaling',
  activation: 'Activations',
  regularization: 'Regularisation',
  linear: 'Fully connected',
  reshape: 'Reshaping and splitting',
  merge: 'Merging branches',
  resize: 'Resizing',
};

function formatDefault(arg: ArgSpec): string {
  if (arg.required) return 'required';
  if (arg.default === undefined) return '—';
  return `\`${typeof arg.default === 'string' ? arg.default : JSON.stringify(arg.default)}\``;
}

function typeLabel(arg: ArgSpec): string {
  if (arg.type === 'enum') return arg.values!.map((v) => `\`${v}\``).join(' \\| ');
  return arg.type;
}

/** Markdown for every layer kind, grouped by category. */
export function layerReference(): string {
  const out: string[] = [
    '# Layer reference',
    '',
    '<!-- Generated from src/language/catalogue.ts by `npm run docs`; a test keeps it in step. -->',
    '',
    'Every layer kind `.cnn` accepts, with its arguments. The first positional',
    'argument, where a layer takes one, is marked *positional*. Parameter counts',
    'follow PyTorch (`sum(p.numel() for p in model.parameters())`).',
    '',
  ];
  for (const [category, title] of Object.entries(CATEGORY_TITLES)) {
    const specs = layerSpecs().filter((s) => s.category === category);
    if (specs.length === 0) continue;
    out.push(`## ${title}`, '');
    for (const spec of specs) {
      out.push(`### \`${spec.kind}\``, '', `${spec.doc}`, '', `PyTorch: \`${spec.torch}\`.${spec.paramFormula ? ` Parameters: \`${spec.paramFormula}\`.` : ''}`, '');
      if (spec.inputs === 'many') out.push('Takes tensors by name: `add(a, b)`, or `add b` to combine with the current tensor.', '');
      if (spec.args.length > 0) {
        out.push('| argument | type | default | |', '|---|---|---|---|');
        for (const arg of spec.args) {
          out.push(`| \`${arg.name}\`${arg.positional ? ' *(positional)*' : ''} | ${typeLabel(arg)} | ${formatDefault(arg)} | ${arg.doc.replace(/\|/g, '\\|')} |`);
        }
        out.push('');
      }
    }
  }
  out.push('## Named kernels', '', `For \`weights=\` on a 3×3 conv: ${KERNEL_NAMES.map((k) => `\`${k}\``).join(', ')}.`, '');
  return out.join('\n');
}

/**
 * The `match` of the grammar's `layer-kind` rule: every kind as a keyword, in
 * catalogue order, unless followed by `:` (then it is a label).
 */
export function layerKindPattern(): string {
  const kinds = layerSpecs().map((s) => s.kind);
  return `\\b(?:${kinds.join('|')})\\b(?!\\s*:)`;
}
