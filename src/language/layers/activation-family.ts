/** What the activations share: one input, the same shape out, no parameters. */
import type { KernelContext } from '../../core/layer-op';
import type { Tensor } from '../../core/tensor';
import type { ArgSpec, LayerSpec } from './layer-spec';
import { pointwise } from './shape-rules';

export interface ActivationOptions {
  readonly kind: string;
  readonly summary: string;
  readonly doc: string;
  readonly torch: string;
  readonly args?: readonly ArgSpec[];
  /** The kernel adapter. */
  readonly run: (ctx: KernelContext) => Tensor;
}

/** An elementwise activation: keeps the shape, learns nothing. */
export function activation(options: ActivationOptions): LayerSpec {
  const { kind, summary, doc, torch, run } = options;
  return { kind, category: 'activation', summary, doc, torch, args: options.args ?? [], inputs: 'one', infer: pointwise, run };
}
