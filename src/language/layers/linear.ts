import { linear as linearKernel } from '../../core/kernels/linear';
import { biasTensor, paramShape, weightTensor, type KernelContext } from '../../core/layer-op';
import type { Tensor } from '../../core/tensor';
import { paramSpec, uniformInit } from '../../core/weights';
import { messages } from '../messages';
import type { Layer } from '../types';
import { BIAS } from './common-args';
import type { LayerSpec } from './layer-spec';
import { checkDeclaredChannels, NO_FIELD, UNKNOWN } from './shape-rules';

const linear: LayerSpec = {
  kind: 'linear',
  category: 'linear',
  summary: 'Fully connected layer',
  doc: 'Every output feature is a weighted sum of every input feature. Parameters: `F_in·F_out + F_out`. Needs a flat input.',
  torch: 'nn.Linear',
  args: [
    { name: 'out', type: 'int', required: true, positional: true, min: 1, doc: 'Output features.' },
    BIAS,
    { name: 'in', type: 'int', min: 1, doc: 'Declared input features, checked against the actual input.' },
  ],
  inputs: 'one',
  paramFormula: 'F_in·F_out + F_out',
  infer: (ctx) => {
    if (ctx.input.length !== 1) {
      ctx.report('linear-needs-flat', messages.linearNeedsFlat(ctx.input));
      return UNKNOWN;
    }
    const fIn = ctx.input[0];
    if (!checkDeclaredChannels(ctx, fIn)) return UNKNOWN;
    const out = ctx.args.out as number;
    return { output: [out], params: fIn * out + (ctx.args.bias ? out : 0), macs: fIn * out, field: NO_FIELD };
  },
  params: (layer, input) => {
    const out = layer.args.out as number;
    const fanIn = input[input.length - 1];
    const params = [paramSpec(layer, 'weight', [out, fanIn], uniformInit(fanIn))];
    if (layer.args.bias !== false) params.push(paramSpec(layer, 'bias', [out], uniformInit(fanIn)));
    return params;
  },
  paramTerms: (layer, input) => {
    const out = layer.args.out;
    if (typeof out !== 'number' || input.length !== 1) return null;
    return { factors: [input[0], out], value: input[0] * out, bias: layer.args.bias === true ? out : 0 };
  },
  run: linearRun,
  residentParams,
};
export default linear;

/** Linear weights above this many floats are streamed in row blocks when the source can (see `WeightSource.blocks`). */
export const STREAM_LINEAR_FLOATS = 4 * 1024 * 1024;

function linearRun(ctx: KernelContext): Tensor {
  const { x, layer } = ctx;
  const [outFeatures, inFeatures] = paramShape(layer, 'weight');
  const blocks = outFeatures * inFeatures > STREAM_LINEAR_FLOATS ? ctx.stream('weight', Math.max(1, Math.floor(STREAM_LINEAR_FLOATS / 4 / inFeatures))) : null;
  if (!blocks || x.shape.length !== 1) return linearKernel(x, weightTensor(ctx), biasTensor(ctx));
  const bias = ctx.param('bias');
  const out = new Float32Array(outFeatures);
  let row = 0;
  for (const block of blocks) {
    const rows = block.length / inFeatures;
    const b = bias ? { shape: [rows], data: bias.subarray(row, row + rows) } : null;
    out.set(linearKernel(x, { shape: [rows, inFeatures], data: block }, b).data, row);
    row += rows;
  }
  return { shape: [outFeatures], data: out };
}

/** A streamed weight is resident one block (about `STREAM_LINEAR_FLOATS`) at a time. */
function residentParams(layer: Layer): number {
  const input = layer.inputShapes[0];
  if (!layer.outputShape || !input) return layer.params;
  const weight = layer.outputShape[layer.outputShape.length - 1] * input[input.length - 1];
  return weight > STREAM_LINEAR_FLOATS ? layer.params - weight + STREAM_LINEAR_FLOATS : layer.params;
}
