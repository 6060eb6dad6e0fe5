import { upsample as upsampleKernel } from '../../core/kernels/resize';
import { sizesArg } from '../../core/layer-op';
import type { LayerSpec } from './layer-spec';
import { perAxis, UNKNOWN } from './shape-rules';

const upsample: LayerSpec = {
  kind: 'upsample',
  category: 'resize',
  summary: 'Upsample by a factor or to a size',
  doc: 'Resizes the spatial axes by nearest-neighbour or linear interpolation (`align_corners=False`). No parameters.',
  torch: 'nn.Upsample',
  args: [
    { name: 'scale', type: 'sizes', positional: true, min: 1, doc: 'Whole-number factor per axis (default 2 when no size is given).' },
    { name: 'size', type: 'sizes', min: 1, doc: 'Target size instead of a factor.' },
    { name: 'mode', type: 'enum', values: ['nearest', 'bilinear', 'linear', 'trilinear'], default: 'nearest', doc: '`nearest`, or linear interpolation (`bilinear` in 2D).' },
  ],
  inputs: 'one',
  minRank: 2,
  infer: (ctx) => {
    const [c, ...spatialIn] = ctx.input;
    const nd = spatialIn.length;
    if (ctx.args.size !== undefined) {
      const size = perAxis(ctx, 'size', nd);
      return size ? { output: [c, ...size], params: 0, macs: 0, field: { kind: 'upsample', factor: size.map((s, i) => s / spatialIn[i]) } } : UNKNOWN;
    }
    const scale = ctx.args.scale === undefined ? Array(nd).fill(2) : perAxis(ctx, 'scale', nd);
    if (!scale) return UNKNOWN;
    return { output: [c, ...spatialIn.map((n, i) => n * scale[i])], params: 0, macs: 0, field: { kind: 'upsample', factor: scale } };
  },
  run: ({ x, layer }) => {
    const mode = layer.args.mode;
    const size = sizesArg(layer.args.size);
    return upsampleKernel(x, {
      mode: mode === 'bilinear' || mode === 'linear' || mode === 'trilinear' ? mode : 'nearest',
      ...(size !== undefined ? { size } : { scale: sizesArg(layer.args.scale) ?? 2 }),
    });
  },
};
export default upsample;
