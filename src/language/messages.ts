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
  'missing-argument': 'error',
  'invalid-argument': 'error',
  'invalid-expression': 'error',
  'too-many-arguments': 'error',
  'invalid-weights': 'error',
  'not-a-tensor': 'error',
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
  'misplaced-statement': 'error',
  'analysis-failed': 'error',
  'diagnostics-capped': 'info',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof CODES;

const s = (shape: Shape) => `\`${formatShape(shape)}\``;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const messages = {
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
  missingArgument: (layer: string, arg: string) => `\`${layer}\` needs \`${arg}\``,
  tooManyArguments: (layer: string, max: number) => `\`${layer}\` takes ${plural(max, 'positional argument')}`,
  invalidArgument: (layer: string, arg: string, expected: string, suggestion?: string) =>
    `\`${layer}\`: \`${arg}\` must be ${expected}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
  notATensor: (name: string) => `\`${name}\` is not a tensor`,
  arityMismatch: (names: number, outputs: number) => `${plural(names, 'name')} on the left, but the layer gives ${plural(outputs, 'tensor')}`,
  recursiveBlock: (chain: readonly string[]) => `block recursion: ${chain.join(' → ')}`,
  depthExceeded: (limit: number) => `blocks nest deeper than ${limit} calls`,
  tooManyLayers: (limit: number) => `the model expands to more than ${limit.toLocaleString('en-US')} layers; stopped here`,
  tooMuchWork: (limit: number) => `the model takes more than ${limit.toLocaleString('en-US')} steps to expand; stopped here`,
  repeatTooLarge: (count: number, limit: number) => `repeat ${count} is more than the limit of ${limit}`,
  sizeTooLarge: (shape: Shape, limit: string) => `tensor ${s(shape)} is larger than the limit of ${limit} elements`,
  rankMismatch: (layer: string, expected: string, shape: Shape) => `\`${layer}\` expects a ${expected} input, got ${s(shape)}`,
  channelMismatch: (layer: string, declared: number, actual: number, shape: Shape) =>
    `\`${layer}\` declares ${declared} input channels, but its input ${s(shape)} has ${actual}`,
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
  invalidWeights: (why: string) => `weights ${why}`,
  misplaced: (what: string, where: string) => `\`${what}\` belongs ${where}`,
  invalidExpression: (why: string) => why,
  missingComma: (callee: string, found: string) => `expected \`,\` between the arguments of \`${callee}\`, found ${found}`,
  blockParamUnknown: (block: string, param: string) => `block \`${block}\` has no parameter \`${param}\``,
  analysisFailed: (why: string) => `ConvLens could not analyse this file (${why}); the ConvLens output has the details`,
  diagnosticsCapped: (shown: number, more: number) => `${more.toLocaleString('en-US')} more ${more === 1 ? 'diagnostic' : 'diagnostics'} not shown (only the first ${shown.toLocaleString('en-US')} are)`,
} as const;
