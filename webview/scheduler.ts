/**
 * The UI thread's work queue. DOM work (building sections, drawing maps) is
 * split into steps and run in slices of about `budgetMs`, so no task holds
 * the thread long enough to delay input, frames or the next edit. Pure: the
 * clock and the way to continue in a later task are injected.
 */

/** One unit of work: each `next()` is a step; the queue checks the clock between steps. */
export type Steps = Generator<unknown, void, undefined>;

/** `urgent` runs first, in order; `background` (off-screen sections) only when nothing urgent is left. */
export type Priority = 'urgent' | 'background';

export interface SlicedQueueOptions {
  /** Work per slice, in ms; a step that starts before the budget is spent runs to its end. */
  readonly budgetMs: number;
  readonly now: () => number;
  /** Calls `slice` in a later task. */
  readonly later: (slice: () => void) => void;
  /** Called when the last job finishes. */
  readonly onDrained?: () => void;
}

interface Job {
  /** Which run the job belongs to; `drop` removes a run's jobs. */
  readonly tag: number;
  steps: Steps | null;
  readonly make: () => Steps;
}

export class SlicedQueue {
  private readonly urgent = new Map<string, Job>();
  private readonly background = new Map<string, Job>();
  private scheduled = false;
  private running = false;

  constructor(private readonly options: SlicedQueueOptions) {}

  /**
   * Queues `make`'s steps under `key`, replacing any job with that key that
   * has not started (a newer drawing of the same section supersedes it). A
   * started job with the same key is dropped too: its result is stale.
   */
  add(key: string, tag: number, make: () => Steps, priority: Priority = 'urgent'): void {
    this.urgent.delete(key);
    this.background.delete(key);
    (priority === 'urgent' ? this.urgent : this.background).set(key, { tag, steps: null, make });
    this.schedule();
  }

  /** Moves a background job ahead of every other background job, into the urgent queue's end. */
  promote(key: string): void {
    const job = this.background.get(key);
    if (!job) return;
    this.background.delete(key);
    this.urgent.set(key, job);
  }

  /** Demotes an urgent job that has not started (its section left the screen). */
  demote(key: string): void {
    const job = this.urgent.get(key);
    if (!job || job.steps) return;
    this.urgent.delete(key);
    this.background.set(key, job);
  }

  /** Runs the job under `key` to its end now (the user is waiting for it). */
  finish(key: string): void {
    const queue = this.urgent.has(key) ? this.urgent : this.background.has(key) ? this.background : null;
    const job = queue?.get(key);
    if (!queue || !job) return;
    queue.delete(key);
    job.steps ??= job.make();
    while (job.steps.next().done !== true);
  }

  has(key: string): boolean {
    return this.urgent.has(key) || this.background.has(key);
  }

  /** Drops every job whose tag matches (a superseded run's work). */
  drop(matches: (tag: number) => boolean): void {
    for (const queue of [this.urgent, this.background]) {
      for (const [key, job] of queue) if (matches(job.tag)) queue.delete(key);
    }
  }

  get size(): number {
    return this.urgent.size + this.background.size;
  }

  /** Runs queued steps until the budget is spent, then continues in a later task. */
  slice(): void {
    this.scheduled = false;
    if (this.running) return;
    this.running = true;
    const deadline = this.options.now() + this.options.budgetMs;
    try {
      while (this.options.now() < deadline) {
        const next = this.first();
        if (!next) break;
        const [key, job, queue] = next;
        job.steps ??= job.make();
        let finished: boolean;
        try {
          finished = job.steps.next().done === true;
        } catch (error) {
          finished = true;
          queue.delete(key);
          throw error;
        }
        // The step may have replaced or dropped this job (add/drop from inside a step).
        if (finished && queue.get(key) === job) queue.delete(key);
      }
    } finally {
      this.running = false;
      if (this.size > 0) this.schedule();
      else this.options.onDrained?.();
    }
  }

  private first(): [string, Job, Map<string, Job>] | null {
    for (const queue of [this.urgent, this.background]) {
      for (const [key, job] of queue) return [key, job, queue];
    }
    return null;
  }

  private schedule(): void {
    // A step that adds work: the running slice picks it up, or schedules the next.
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    this.options.later(() => this.slice());
  }
}

/** A function as a one-step job. */
export function* once(f: () => void): Steps {
  f();
}
