/**
 * The input picker's model: which thumbnails it shows, in which groups, how
 * big a pattern's thumbnail is drawn, and where the arrow keys move. Pure.
 */
import type { ImageEntry, InputChoice, PatternName } from '../src/protocol/webview';
import { inputKey, type InputKey } from './inputs';

/** The picker shows at most this many thumbnails of a group; the dropdown lists every input. */
export const PICKER_LIMITS = { sample: 32, workspace: 48 } as const;

export interface PickerItem {
  readonly key: InputKey;
  readonly choice: InputChoice;
  readonly label: string;
  /** A webview URI for images; patterns are drawn. */
  readonly src?: string;
}

export interface PickerGroup {
  readonly id: 'sample' | 'workspace' | 'pattern';
  readonly label: string;
  readonly items: readonly PickerItem[];
  /** Inputs of this group left out of the picker (still in the dropdown). */
  readonly hidden: number;
}

/** Sample images, then workspace images, then the patterns; empty groups left out. */
export function pickerGroups(images: readonly ImageEntry[], patterns: readonly { readonly name: PatternName; readonly label: string }[]): PickerGroup[] {
  const imageGroup = (id: 'sample' | 'workspace', label: string): PickerGroup => {
    const all = images.filter((i) => i.group === id);
    const shown = all.slice(0, PICKER_LIMITS[id]);
    return {
      id,
      label,
      hidden: all.length - shown.length,
      items: shown.map((image) => {
        const choice: InputChoice = { kind: 'image', id: image.id };
        return { key: inputKey(choice), choice, label: image.label, src: image.thumbnail };
      }),
    };
  };
  const patternGroup: PickerGroup = {
    id: 'pattern',
    label: 'Patterns',
    hidden: 0,
    items: patterns.map((p) => {
      const choice: InputChoice = { kind: 'pattern', pattern: p.name };
      return { key: inputKey(choice), choice, label: p.label };
    }),
  };
  return [imageGroup('sample', 'Samples'), imageGroup('workspace', 'Workspace'), patternGroup].filter((g) => g.items.length > 0);
}

/**
 * A pattern thumbnail's size in pixels: the model input's aspect ratio, its
 * longer side `box` (rounded, at least 1 pixel a side). Patterns are drawn
 * at this size directly, so nothing is scaled.
 */
export function fitBox(width: number, height: number, box: number): { readonly width: number; readonly height: number } {
  if (!(width > 0) || !(height > 0)) return { width: box, height: box };
  const scale = box / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The shape a pattern thumbnail is made at: the model's channels when 1 or 3 (else 1), at `size`. */
export function thumbnailShape(inputShape: readonly number[] | null, box: number): [number, number, number] {
  const spatial = inputShape && inputShape.length === 3 ? inputShape.slice(1) : [box, box];
  const { width, height } = fitBox(spatial[1], spatial[0], box);
  const channels = inputShape && inputShape.length === 3 && inputShape[0] === 3 ? 3 : 1;
  return [channels, height, width];
}

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export type PickerKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End';

/**
 * Where a key moves the focus among the picker's items (their boxes on
 * screen, in order): Left/Right to the previous/next item, Up/Down to the
 * nearest item in the row above/below (rows wrap, and groups start new
 * rows), Home/End to the first/last. Stays put at the edges.
 */
export function moveFocus(boxes: readonly Box[], from: number, key: PickerKey): number {
  const last = boxes.length - 1;
  if (last < 0) return -1;
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, from - 1);
    case 'ArrowRight':
      return Math.min(last, from + 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
  }
  const here = boxes[from];
  const centreX = here.left + here.width / 2;
  const down = key === 'ArrowDown';
  // The nearest row in that direction: the closest top beyond this row's.
  let rowTop: number | null = null;
  for (const box of boxes) {
    const beyond = down ? box.top > here.top + here.height / 2 : box.top < here.top - here.height / 2;
    if (beyond && (rowTop === null || (down ? box.top < rowTop : box.top > rowTop))) rowTop = box.top;
  }
  if (rowTop === null) return from;
  let best = from;
  let bestDistance = Infinity;
  boxes.forEach((box, index) => {
    if (Math.abs(box.top - rowTop!) > here.height / 2) return;
    const distance = Math.abs(box.left + box.width / 2 - centreX);
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}
