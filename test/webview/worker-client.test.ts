import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunRequest, UiToWorker, WorkerToUi } from '../../src/protocol/webview';

/** A stand-in Worker that records what it is sent and can answer. */
class FakeWorker {
  static made: FakeWorker[] = [];
  readonly sent: UiToWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: WorkerToUi }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWorker.made.push(this);
  }
  postMessage(message: UiToWorker): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: WorkerToUi): void {
    this.onmessage?.({ data: message });
  }
}

type Client = {
  start(): Promise<void>;
  post(message: UiToWorker): void;
  run(request: RunRequest): void;
};
let WorkerClient: new (options: { source: string; onMessage: (m: WorkerToUi) => void; onError: (m: string) => void; onRestart: () => void }) => Client;

const globals = globalThis as Record<string, unknown>;
beforeAll(async () => {
  // Not a literal path: the module is type-checked with the DOM lib (webview/tsconfig.json), not with this project's.
  const module = '../../webview/worker-client';
  ({ WorkerClient } = await import(/* @vite-ignore */ module));
});

const received: WorkerToUi[] = [];
const errors: string[] = [];
let restarts = 0;
function client(): Client {
  return new WorkerClient({ source: 'https://r/dist/worker.js', onMessage: (m) => received.push(m), onError: (m) => errors.push(m), onRestart: () => restarts++ });
}
const request = (runId: number): RunRequest => ({ type: 'run', runId, text: 'model M {}', input: { kind: 'pattern', pattern: 'circle' }, seed: 1, channels: 16, notation: '×' });

beforeEach(() => {
  FakeWorker.made = [];
  received.length = 0;
  errors.length = 0;
  restarts = 0;
  globals.Worker = FakeWorker;
  globals.window = {};
  globals.fetch = async () => ({ ok: true, blob: async () => new Blob(['// worker']) });
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:worker');
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const name of ['Worker', 'window', 'fetch']) delete globals[name];
});

describe('WorkerClient', () => {
  it('starts the worker from a blob: URL of the fetched bundle, sending what was posted before it was up (the last run only)', async () => {
    const worker = client();
    worker.post({ type: 'prepare', text: 'model A {}' });
    worker.run(request(1));
    worker.run(request(2));
    await worker.start();
    expect(FakeWorker.made.map((w) => w.url)).toEqual(['blob:worker']);
    expect(FakeWorker.made[0].sent.map((m) => m.type === 'run' ? `run ${m.runId}` : m.type)).toEqual(['prepare', 'run 2']);
  });

  it('falls back to the bundle URL itself when it cannot be fetched, and adopts a worker the page started early', async () => {
    globals.fetch = async () => ({ ok: false, status: 404 });
    await client().start();
    expect(FakeWorker.made.map((w) => w.url)).toEqual(['https://r/dist/worker.js']);
    const early = new FakeWorker('blob:early');
    globals.window = { convlensWorker: Promise.resolve({ url: 'blob:early', worker: early }) };
    const adopted = client();
    await adopted.start();
    adopted.post({ type: 'cancel', runId: 1 });
    expect(FakeWorker.made).toHaveLength(2);
    expect(early.sent).toEqual([{ type: 'cancel', runId: 1 }]);
  });

  it('hands on every message but `started`, and reports a worker error', async () => {
    const worker = client();
    await worker.start();
    const fake = FakeWorker.made[0];
    fake.reply({ type: 'started', runId: 1 });
    fake.reply({ type: 'done', runId: 1, ms: 3, cancelled: false });
    fake.onerror?.({ message: 'boom' });
    expect(received).toEqual([{ type: 'done', runId: 1, ms: 3, cancelled: false }]);
    expect(errors).toEqual(['The preview worker failed: boom']);
  });

  it('replaces a worker busy with an old run that does not start the new one within 150 ms, and sends it the new run', async () => {
    vi.useFakeTimers();
    const worker = client();
    await worker.start();
    worker.run(request(1));
    worker.run(request(2));
    vi.advanceTimersByTime(149);
    expect(restarts).toBe(0);
    vi.advanceTimersByTime(1);
    expect(restarts).toBe(1);
    expect(FakeWorker.made[0].terminated).toBe(true);
    expect(FakeWorker.made[1].sent).toEqual([request(2)]);
  });

  it('keeps a busy worker that says `started` in time, and never restarts an idle one', async () => {
    vi.useFakeTimers();
    const worker = client();
    await worker.start();
    const fake = FakeWorker.made[0];
    worker.run(request(1));
    worker.run(request(2));
    fake.reply({ type: 'started', runId: 2 });
    vi.advanceTimersByTime(1000);
    fake.reply({ type: 'done', runId: 2, ms: 1, cancelled: false });
    worker.run(request(3));
    vi.advanceTimersByTime(1000);
    expect(restarts).toBe(0);
    expect(FakeWorker.made).toHaveLength(1);
  });
});
