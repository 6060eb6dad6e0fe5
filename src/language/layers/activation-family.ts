/** What the activations share: one input, the same shape out, no parameters. */
import type { ArgSpec, LayerSpec } from './layer-spec';
import { pointwise } from './shape-rules';

export interface ActivationOptions {
  readonly kind: string;
  readonly summary: string;
  readonly doc: string;
  readonly torch: string;
  readonly args?: readonly ArgSpec[];
}

/** An elementwise activation: keeps the shape, learns nothing. */
export function activation(options: ActivationOptions): LayerSpec {
  return { kind: options.kind, category: 'activation', summary: options.summary, doc: options.doc, torch: options.torch, args: options.args ?? [], inputs: 'one', infer: pointwise };
}
