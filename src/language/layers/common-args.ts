/** Arguments several kinds share, with the same meaning and docs. */
import type { ArgSpec } from './layer-spec';

export const BIAS: ArgSpec = { name: 'bias', type: 'bool', default: true, doc: 'Adds a learned bias per output channel (`C_out` parameters).' };
export const STRIDE: ArgSpec = { name: 'stride', type: 'sizes', default: 1, min: 1, doc: 'Step between window positions; `2` halves each spatial size.' };
export const DILATION: ArgSpec = { name: 'dilation', type: 'sizes', default: 1, min: 1, doc: 'Gap between kernel taps: the window spans `d·(k−1)+1` samples without adding weights.' };
export const PADDING: ArgSpec = {
  name: 'padding',
  type: 'padding',
  default: 0,
  doc: 'Zeros added around the input: a number, one per axis, one per side `(top, bottom, left, right)`, `same` (output = ⌈N/stride⌉) or `valid` (none).',
};
export const KERNEL: ArgSpec = { name: 'k', type: 'sizes', required: true, min: 1, doc: 'Kernel size: `3`, or one per axis such as `1×7`.' };
