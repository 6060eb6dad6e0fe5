import { channelShuffle } from '../../core/kernels/tensor-ops';
import { numberArg } from '../../core/layer-op';
import { messages } from '../messages';
import type { LayerSpec } from './layer-spec';
import { SAME_FIELD, UNKNOWN } from './shape-rules';

const shuffle: LayerSpec = {
  kind: 'shuffle',
  category: 'reshape',
  summary: 'Channel shuffle (ShuffleNet)',
  doc: 'Interleaves channels across `groups` so grouped convs can exchange information. No parameters.',
  torch: 'nn.ChannelShuffle',
  args: [{ name: 'groups', type: 'int', required: true, positional: true, min: 1, doc: 'Number of groups; must divide the channels.' }],
  inputs: 'one',
  infer: (ctx) => {
    const groups = ctx.args.groups as number;
    if (ctx.input[0] % groups !== 0) {
      ctx.report('groups-mismatch', messages.groupsMismatch(ctx.kind, groups, 'channels', ctx.input[0]), 'groups');
      return UNKNOWN;
    }
    return { output: ctx.input, params: 0, macs: 0, field: SAME_FIELD };
  },
  run: ({ x, layer }) => channelShuffle(x, numberArg(layer.args.groups, 1)),
};
export default shuffle;
