/**
 * Where a unit of a layer looks in the model input. analyze() gives each
 * layer's receptive field r and jump j per spatial axis; the field of output
 * position p starts at `start + p·j`, where `start` moves back by each window
 * layer's leading padding. Padding is recovered from the shapes: a window
 * layer with effective kernel k_eff = (r − r_in)/j_in + 1 and stride
 * s = j/j_in maps n_in to n_out with (n_out − 1)·s + k_eff − n_in padded
 * positions at least. Symmetric `padding=p` pads 2p, which is that number or
 * up to s − 1 more, so half of it rounded up recovers p when s ≤ 2 (every
 * bundled model); odd-kernel `padding=same` splits evenly either way.
 */

export interface FieldLayer {
  readonly inputs: readonly number[];
  readonly inputShapes: readonly (readonly number[] | null)[];
  readonly outputShape: readonly number[] | null;
  readonly receptiveField: readonly number[] | null;
  readonly jump: readonly number[] | null;
}

/** The input-pixel offset of each layer's first field, per spatial axis; null where unknown. */
export function fieldStarts(layers: readonly FieldLayer[]): (number[] | null)[] {
  const starts: (number[] | null)[] = [];
  for (const layer of layers) {
    const rf = layer.receptiveField;
    const jump = layer.jump;
    const source = layer.inputs[0] ?? -1;
    const inShape = layer.inputShapes[0];
    if (!rf || !jump || !inShape || !layer.outputShape) {
      starts.push(null);
      continue;
    }
    const prev = source < 0 ? null : layers[source];
    const prevRf = prev ? prev.receptiveField : rf.map(() => 1);
    const prevJump = prev ? prev.jump : jump.map(() => 1);
    const prevStart = source < 0 ? rf.map(() => 0) : starts[source];
    if (!prevRf || !prevJump || !prevStart || prevRf.length !== rf.length) {
      starts.push(null);
      continue;
    }
    starts.push(
      rf.map((r, axis) => {
        if (r === prevRf[axis] && jump[axis] === prevJump[axis]) return prevStart[axis];
        const stride = jump[axis] / prevJump[axis];
        const kernel = (r - prevRf[axis]) / prevJump[axis] + 1;
        const nIn = inShape[axis + 1];
        const nOut = layer.outputShape![axis + 1];
        if (!(stride >= 1) || nIn === undefined || nOut === undefined) return prevStart[axis];
        const padBefore = Math.max(0, Math.ceil(((nOut - 1) * stride + kernel - nIn) / 2));
        return prevStart[axis] - padBefore * prevJump[axis];
      }),
    );
  }
  return starts;
}

/** A box in the input, inclusive, per spatial axis. */
export interface FieldRegion {
  readonly from: readonly number[];
  readonly to: readonly number[];
  /** The field's full size, before clipping to the input. */
  readonly size: readonly number[];
}

/**
 * The input region a unit at `position` (per spatial axis) sees, clipped to
 * the input's `inputSize`; null when the layer's field is unknown.
 */
export function fieldRegion(
  field: { readonly receptiveField: readonly number[] | null; readonly jump: readonly number[] | null; readonly fieldStart: readonly number[] | null },
  position: readonly number[],
  inputSize: readonly number[],
): FieldRegion | null {
  const { receptiveField: rf, jump, fieldStart: start } = field;
  if (!rf || !jump || !start || rf.length !== position.length) return null;
  const from: number[] = [];
  const to: number[] = [];
  for (let axis = 0; axis < rf.length; axis++) {
    const first = start[axis] + position[axis] * jump[axis];
    const last = first + rf[axis] - 1;
    const limit = (inputSize[axis] ?? Infinity) - 1;
    from.push(Math.max(0, Math.min(limit, Math.floor(first))));
    to.push(Math.max(0, Math.min(limit, Math.ceil(last))));
  }
  return { from, to, size: [...rf] };
}
