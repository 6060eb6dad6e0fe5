/**
 * The page's side of the preview worker: starts it, queues messages until it
 * is up, and replaces it when it is stuck in a run that a newer one should
 * have cancelled.
 */
import type { RunRequest, UiToWorker, WorkerToUi } from '../src/protocol/webview';

/**
 * A worker in the middle of a layer reads the new run (which cancels the old
 * one) only when that layer is done, which in a big model can take a few
 * hundred ms. If it has not said `started` by then, it is replaced.
 */
const RESTART_AFTER_MS = 150;

export interface WorkerClientOptions {
  /** The worker bundle's webview URI. */
  readonly source: string;
  /** Every message but `started`, which the client handles itself. */
  readonly onMessage: (message: WorkerToUi) => void;
  readonly onError: (message: string) => void;
  /** After a stuck worker was replaced. */
  readonly onRestart: () => void;
}

export class WorkerClient {
  private worker: Worker | null = null;
  /** The worker bundle as a blob: URL, kept to restart a worker stuck in a stale run. */
  private url: string | null = null;
  private readonly queue: UiToWorker[] = [];
  /** The run the worker is busy with, until it says done or failed. */
  private inFlight: number | null = null;
  private lastRun: RunRequest | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: WorkerClientOptions) {}

  /**
   * Webview resources live on another origin than the page, and a Worker must
   * be same-origin: fetch the bundle and start it from a blob URL.
   */
  async start(): Promise<void> {
    // Started by the page's first script (src/extension/preview-html.ts), if it could.
    const early = (window as { convlensWorker?: Promise<{ url: string; worker: Worker }> }).convlensWorker;
    const started = early ? await early.catch(() => null) : null;
    let worker: Worker;
    if (started) {
      this.url = started.url;
      worker = this.adopt(started.worker);
    } else {
      const source = this.options.source;
      try {
        const response = await fetch(source);
        if (!response.ok) throw new Error(`${response.status}`);
        this.url = URL.createObjectURL(new Blob([await response.blob()], { type: 'text/javascript' }));
      } catch {
        this.url = source;
      }
      worker = this.adopt(new Worker(this.url));
      performance.mark('convlens:worker-created');
    }
    this.worker = worker;
    for (const message of this.queue.splice(0)) worker.postMessage(message);
  }

  /** Posts now, or when the worker is up (a queued run replaces an earlier queued one). */
  post(message: UiToWorker): void {
    if (this.worker) this.worker.postMessage(message);
    else {
      const index = this.queue.findIndex((m) => m.type === message.type);
      if (message.type === 'run' && index >= 0) this.queue.splice(index, 1);
      this.queue.push(message);
    }
  }

  /** Starts a run; when the worker is busy with another, it must say `started` soon or it is replaced. */
  run(request: RunRequest): void {
    const busy = this.worker !== null && this.inFlight !== null;
    this.inFlight = request.runId;
    this.lastRun = request;
    this.post(request);
    clearTimeout(this.restartTimer);
    if (busy) this.restartTimer = setTimeout(() => this.restart(), RESTART_AFTER_MS);
  }

  private restart(): void {
    if (!this.worker || !this.url || !this.lastRun) return;
    this.worker.terminate();
    performance.mark('convlens:worker-restart');
    this.worker = this.adopt(new Worker(this.url));
    this.worker.postMessage(this.lastRun);
    this.options.onRestart();
  }

  private adopt(created: Worker): Worker {
    created.onmessage = (event: MessageEvent<WorkerToUi>) => this.receive(event.data);
    created.onerror = (event) => this.options.onError(`The preview worker failed: ${event.message}`);
    return created;
  }

  private receive(message: WorkerToUi): void {
    if ((message.type === 'done' || (message.type === 'error' && message.layer === undefined)) && message.runId === this.inFlight) this.inFlight = null;
    if (message.type === 'started') {
      performance.mark(`convlens:run-${message.runId}-started`);
      if (message.runId === this.lastRun?.runId) clearTimeout(this.restartTimer);
      return;
    }
    this.options.onMessage(message);
  }
}
