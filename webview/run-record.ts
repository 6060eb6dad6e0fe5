/**
 * The UI's record of the current run, fed by worker messages. Messages from
 * a superseded run are dropped here, so a cancelled run never paints. Pure.
 */
import type { LayerInfo, OutputChannels, PlanMessage, TensorSlice, WorkerToUi } from '../src/protocol/webview';

/** What the page has received of one layer's output. */
export interface ReceivedLayer {
  readonly info: LayerInfo;
  /** Channel slices (or map tiles) received so far, in channel order (the first, then any "show all" remainder). */
  readonly slices: OutputChannels[];
  readonly kernels?: TensorSlice;
  readonly ms: number;
}

export type RunUpdate =
  | { readonly kind: 'ignored' }
  | { readonly kind: 'plan'; readonly plan: PlanMessage }
  | { readonly kind: 'input'; readonly tensor: TensorSlice }
  | { readonly kind: 'layer'; readonly index: number; readonly result: ReceivedLayer }
  | { readonly kind: 'channels'; readonly index: number; readonly slice: OutputChannels }
  | { readonly kind: 'done'; readonly ms: number; readonly cancelled: boolean }
  | { readonly kind: 'error'; readonly message: string; readonly layer?: number }
  | { readonly kind: 'notice'; readonly message: string };

export type RunPhase = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

export class RunRecord {
  runId = 0;
  plan: PlanMessage | null = null;
  input: TensorSlice | null = null;
  readonly results = new Map<number, ReceivedLayer>();
  phase: RunPhase = 'idle';
  error: string | null = null;

  /** Starts a new run: anything from older runs is ignored from now on. */
  begin(runId: number): void {
    this.runId = runId;
    this.plan = null;
    this.input = null;
    this.results.clear();
    this.phase = 'running';
    this.error = null;
  }

  apply(message: WorkerToUi): RunUpdate {
    if (message.runId !== this.runId) return { kind: 'ignored' };
    switch (message.type) {
      case 'started':
      case 'values':
        return { kind: 'ignored' };
      case 'plan':
        this.plan = message;
        return { kind: 'plan', plan: message };
      case 'input':
        this.input = message.tensor;
        return { kind: 'input', tensor: message.tensor };
      case 'layer': {
        const info = this.plan?.layers[message.index];
        if (!info) return { kind: 'ignored' };
        const result: ReceivedLayer = { info, slices: [message.output], kernels: message.kernels, ms: message.ms };
        this.results.set(message.index, result);
        return { kind: 'layer', index: message.index, result };
      }
      case 'channels': {
        const result = this.results.get(message.index);
        if (!result) return { kind: 'ignored' };
        const last = result.slices[result.slices.length - 1];
        if (message.output.from !== last.to) return { kind: 'ignored' };
        result.slices.push(message.output);
        return { kind: 'channels', index: message.index, slice: message.output };
      }
      case 'done':
        if (message.cancelled) return { kind: 'ignored' };
        this.phase = this.plan?.stop ? 'stopped' : 'done';
        return { kind: 'done', ms: message.ms, cancelled: message.cancelled };
      case 'notice':
        return { kind: 'notice', message: message.message };
      case 'error':
        if (message.layer === undefined) {
          this.phase = 'failed';
          this.error = message.message;
        }
        return { kind: 'error', message: message.message, layer: message.layer };
    }
  }

  /** Layers computed, of those this run will compute. */
  get progress(): { readonly done: number; readonly total: number } {
    const total = this.plan ? (this.plan.stop ? this.plan.stop.layer : this.plan.layers.length) : 0;
    return { done: this.results.size, total };
  }

  /** Channels received for a layer so far. */
  channelsReceived(index: number): number {
    const result = this.results.get(index);
    return result ? result.slices[result.slices.length - 1].to : 0;
  }
}
