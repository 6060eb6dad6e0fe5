/**
 * How many map canvases the page keeps. Live canvases make the browser's
 * full garbage collections slower: with every section of ResNet-50 drawn (175
 * sections, 2,800 canvases) an edit had 190 ms pauses, and none when each
 * layer drew two maps. Sections far off-screen give theirs up and are drawn
 * again when they come near. Pure.
 */

/** Map canvases kept at most, unless the sections on screen need more (two screens of sections need about 200). */
export const CANVAS_BUDGET = 320;

export interface CanvasHolder {
  readonly index: number;
  /** On or near the screen. */
  readonly near: boolean;
  readonly canvases: number;
}

/** Whether an off-screen section may be drawn now (else it waits until it comes near). */
export function mayDrawOffscreen(live: number, needed: number, budget = CANVAS_BUDGET): boolean {
  return live + needed <= budget;
}

/**
 * The sections to release so that `needed` more canvases fit in the budget:
 * off-screen ones only, the farthest from `around` (a section on screen)
 * first. May not free enough when the sections on screen hold the rest.
 */
export function chooseReleases<T extends CanvasHolder>(holders: readonly T[], live: number, needed: number, around: number, budget = CANVAS_BUDGET): T[] {
  let over = live + needed - budget;
  if (over <= 0) return [];
  const candidates = holders.filter((h) => !h.near && h.canvases > 0).sort((a, b) => Math.abs(b.index - around) - Math.abs(a.index - around));
  const released: T[] = [];
  for (const holder of candidates) {
    if (over <= 0) break;
    released.push(holder);
    over -= holder.canvases;
  }
  return released;
}
