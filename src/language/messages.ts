/**
 * Every diagnostic code and message template, in one place. Codes are stable:
 * editors, CI logs and quick fixes key on them.
 */
import { formatShape } from './notation';
import type { Severity, Shape } from './types';

export const CODES = {
  'syntax-error': 'error',
  'limit-exceeded': 'error',
  'no-model': 'error',
  'duplicate-model': 'error',
  'duplicate-block': 'error',
  'missing-input': 'error',
  'invalid-input': 'error',
  'unknown-layer': 'error',
  'unknown-argument': 'error',
  'unknown-name': 'error',
  'duplicate-name': 'error',
  'duplicate-input': 'error',
  'duplicate-argument': 'error',
  'missing-argument': 'error',
  'invalid-argument': 'error',
  'invalid-expression': 'error',
  'too-many-arguments': 'error',
  'invalid-weights': 'error',
  'not-a-tensor': 'error',
  'not-a-layer': 'error',
  'arity-mismatch': 'error',
  'recursive-block': 'error',
  'rank-mismatch': 'error',
  'channel-mismatch': 'error',
  'shape-mismatch': 'error',
  'concat-mismatch': 'error',
  'groups-mismatch': 'error',
  'kernel-exceeds-input': 'error',
  'empty-output': 'error',
  'linear-needs-flat': 'error',
  'stride-drops-input': 'warning',
  'unused-name': 'warning',
  'unused-branch': 'warning',
  'misplaced-statement': 'error',
  'analysis-failed': 'error',
  'diagnostics-capped': 'info',
  'weights-path': 'warning',
  'run-memory': 'warning',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof CODES;

const s = (shape: Shape) => `\`${formatShape(shape)}\``;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const messages = {
  // Lexer
  unterminatedString: () => 'unterminated string: add a closing `"`',
  tooManySyntaxErrors: (limit: number) => `too many syntax errors; only the first ${limit} are reported`,
  unexpectedCharacters: (chars: string) => `unexpected character${chars.length > 1 ? 's' : ''} \`${chars}\``,
  /** `first` is the first one's code point in hex, four digits or more. */
  unprintableCharacters: (count: number, first: string) =>
    count === 1 ? `unexpected character U+${first}` : `${count} unexpected characters, starting with U+${first}`,

  noModel: () => 'this file has no `model { … }`: add one to see shapes',
  duplicateModel: (name: string) => `a file holds one model; \`${name}\` is a second one`,
  duplicateBlock: (name: string) => `block \`${name}\` is defined twice`,
  missingInput: (model: string) => `model \`${model}\` needs an input first, e.g. \`input x: 3×224×224\``,
  invalidInputShape: (why: string) => `input shape ${why}`,
  unknownLayer: (name: string, suggestion?: string) =>
    `unknown layer or block \`${name}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
  unknownArgument: (layer: string, arg: string, suggestion?: string) =>
    `\`${layer}\` has no argument \`${arg}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
  unknownName: (name: string, suggestion?: string) => `unknown name \`${name}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
  duplicateName: (name: string) => `\`${name}\` is already defined in this scope`,
  firstDefinedHere: (name: string) => `\`${name}\` is first defined here`,
  duplicateInput: () => 'a model has one `input`',
  duplicateArgument: (arg: string) => `\`${arg}\` is given twice`,
  builtinBlockName: (name: string) => `block \`${name}\` has the name of a built-in layer; pick another`,
  missingArgument: (layer: string, arg: string) => `\`${layer}\` needs \`${arg}\``,
  tooManyArguments: (layer: string, max: number) => `\`${layer}\` takes ${plural(max, 'positional argument')}`,
  invalidArgument: (layer: string, arg: string, expected: string, suggestion?: string) =>
    `\`${layer}\`: \`${arg}\` must be ${expected}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
  notATensor: (name: string) => `\`${name}\` is not a tensor`,
  tensorExpected: () => 'expected the name of a tensor here',
  notALayer: (name: string) => `\`${name}\` is a tensor; start a pipeline with it (\`${name} | …\`) rather than calling it`,
  arityMismatch: (names: number, outputs: number) => `${plural(names, 'name')} on the left, but the layer gives ${plural(outputs, 'tensor')}`,
  recursiveBlock: (chain: readonly string[]) => `block recursion: ${chain.join(' → ')}`,
  depthExceeded: (limit: number) => `blocks nest deeper than ${limit} calls`,
  tooManyLayers: (limit: number) => `the model expands to more than ${limit.toLocaleString('en-US')} layers; stopped here`,
  tooMuchWork: (limit: number) => `the model takes more than ${limit.toLocaleString('en-US')} steps to expand; stopped here`,
  repeatTooLarge: (count: number, limit: number) => `repeat ${count} is more than the limit of ${limit}`,
  sizeTooLarge: (shape: Shape, limit: string) => `tensor ${s(shape)} is larger than the limit of ${limit} elements`,
  rankMismatch: (layer: string, expected: string, shape: Shape) => `\`${layer}\` expects a ${expected} input, got ${s(shape)}`,
  /** A flat input (`linear`'s) has features, not channels. */
  channelMismatch: (layer: string, declared: number, actual: number, shape: Shape) =>
    `\`${layer}\` declares ${declared} input ${shape?.length === 1 ? 'features' : 'channels'}, but its input ${s(shape)} has ${actual}`,
  splitSizes: (total: number, channels: number) => `\`split\` sizes add up to ${total}, but the input has ${channels} channels`,
  shapeMismatch: (op: string, shapes: readonly Shape[], names: readonly string[]) =>
    `\`${op}\` needs ${op === 'add' ? 'equal' : 'broadcastable'} shapes: ${shapes.map((sh, i) => `${s(sh)} (from \`${names[i]}\`)`).join(' vs ')}`,
  concatMismatch: (shapes: readonly Shape[], names: readonly string[]) =>
    `\`concat\` joins channels, so the other sizes must match: ${shapes.map((sh, i) => `${s(sh)} (from \`${names[i]}\`)`).join(' vs ')}`,
  concatRank: (shapes: readonly Shape[]) => `\`concat\` needs tensors of the same rank: ${shapes.map(s).join(' vs ')}`,
  groupsMismatch: (layer: string, groups: number, what: string, channels: number) =>
    `\`${layer}\`: groups=${groups} must divide the ${what} (${channels})`,
  kernelExceedsInput: (layer: string, axis: string, kernel: number, padded: number) =>
    `\`${layer}\`: the ${axis} window spans ${kernel}, more than the padded input's ${padded}`,
  emptyOutput: (layer: string, axis: string, size: number) => `\`${layer}\`: output ${axis} would be ${size}`,
  linearNeedsFlat: (shape: Shape) => `\`linear\` needs a flat vector, but its input is ${s(shape)}: add \`flatten\` (or \`gap\`) first`,
  strideDropsInput: (layer: string, axis: string, dropped: number, inSize: number) =>
    `\`${layer}\`: the stride skips the last ${plural(dropped, axis === 'L' ? 'sample' : axis === 'W' ? 'column' : 'row')} of ${inSize} (${axis}); padding or a different kernel would cover them`,
  unusedName: (name: string) => `\`${name}\` is never used`,
  unusedBranch: (tensor: string, shape: Shape) =>
    `the result of this line (\`${tensor}\`, ${s(shape)}) is never used: the next statement starts from another tensor; bind it to a name (\`y = …\`) and use it, or remove the line`,
  inBlockCall: () => 'in this block call',
  tensorOrigin: (label: string, shape: Shape) => `\`${label}\` is ${shape ? shape.join('×') : 'unknown'} here`,
  invalidWeights: (why: string) => `weights ${why}`,
  weightsPathControl: () => 'the weights path contains a control character, so it is not read',
  weightsPathEmpty: () => 'the weights path is empty',
  weightsPathUrl: (scheme: string) => `the weights path must be a file path relative to this file, not a URL (\`${scheme}\`), so it is not read`,
  weightsPathAbsolute: () => 'the weights path must be relative to this file’s folder (e.g. "weights/model.safetensors"); an absolute path is not read',
  weightsPathNotSafetensors: () => 'the weights file must be a `.safetensors` file, so this one is not read',
  weightsPathOutside: (where: string) => `the weights file is outside ${where}, so it is not read`,
  misplaced: (what: string, where: string) => `\`${what}\` belongs ${where}`,
  invalidExpression: (why: string) => why,
  expressionTooDeep: (limit: number) => `expression nests deeper than ${limit} levels`,
  dimsNeedNumbers: () => 'sizes joined by `×` must be numbers',
  operatorNeeds: (op: string, what: string) => `\`${op}\` needs ${what}`,
  divisionByZero: () => 'division by zero',
  runMemory: (estimate: string, limit: string, layer: string | null) =>
    `running this model takes about ${estimate} (float32 weights and activations${layer ? `, at \`${layer}\`` : ''}), more than ${limit}: \`convlens run\` refuses it unless given --max-memory`,
  numberTooLarge: (limit: string) => `a number beyond ±${limit} (the float32 range) is not allowed`,
  missingComma: (callee: string, found: string) => `expected \`,\` between the arguments of \`${callee}\`, found ${found}`,
  blockParamUnknown: (block: string, param: string) => `block \`${block}\` has no parameter \`${param}\``,
  analysisFailed: (why: string) => `ConvLens could not analyse this file (${why}); the ConvLens output has the details`,
  diagnosticsCapped: (shown: number, more: number) => `${more.toLocaleString('en-US')} more ${more === 1 ? 'diagnostic' : 'diagnostics'} not shown (only the first ${shown.toLocaleString('en-US')} are)`,
} as const;

/**
 * Quick-fix titles. Editors show them as plain text, so names are quoted
 * with ‘…’ rather than Markdown backticks.
 */
export const fixTitles = {
  replace: (current: string, replacement: string) => `Change ‘${current}’ to ‘${replacement}’`,
  insertFlatten: () => 'Insert flatten before linear',
  declareInput: (actual: number, flat: boolean) => `Declare in=${actual}, the ${flat ? 'features' : 'channels'} the input has`,
  samePadding: (convs: number, name: string) => `Set padding=same on the ${convs > 1 ? 'convs that make' : 'conv that makes'} ‘${name}’`,
  projection: (source: string, projection: string) => `Insert a 1×1 projection on ‘${source}’ (${projection})`,
} as const;

/** Why a rename is refused; the editor shows the message as the rename's error. */
export const renameRefusals = {
  notAName: (name: string) => `\`${name}\` is not a name: use letters, digits and _, not starting with a digit`,
  keyword: (name: string) => `\`${name}\` is a keyword`,
  builtInLayer: (name: string) => `\`${name}\` is a built-in layer`,
} as const;
