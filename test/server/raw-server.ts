/**
 * The spawned server spoken to byte by byte, for tests of what a well-behaved
 * client never sends: bad framing, bodies that are not JSON, messages out of
 * the lifecycle. Reads the server's replies with vscode-jsonrpc (the server's
 * own output is always well framed) and waits on them, never on the clock; a
 * timeout only turns a hang into a readable failure.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { StreamMessageReader } from 'vscode-jsonrpc/node';
import { ensureServerBuilt, repoRoot, serverPath } from './lsp-client';

const waitLimitMs = 15_000;

export interface RawMessage {
  readonly jsonrpc: string;
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

export class RawServer {
  readonly received: RawMessage[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly waiters: Array<{ match: (m: RawMessage) => boolean; resolve: (m: RawMessage) => void }> = [];
  private nextId = 1;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.stderr.push(chunk));
    // The server may exit while we write; that is what some tests expect.
    child.stdin.on('error', () => undefined);
    new StreamMessageReader(child.stdout).listen((message) => {
      const m = message as RawMessage;
      this.received.push(m);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i].match(m)) this.waiters.splice(i, 1)[0].resolve(m);
      }
    });
  }

  static spawn(): RawServer {
    ensureServerBuilt();
    return new RawServer(spawn(process.execPath, [serverPath, '--stdio'], { cwd: repoRoot, stdio: 'pipe' }));
  }

  /** Spawns and completes `initialize`/`initialized`. */
  static async initialized(): Promise<RawServer> {
    const server = RawServer.spawn();
    const answer = await server.request('initialize', { processId: null, rootUri: null, capabilities: {} });
    if (!answer.result) throw new Error(`initialize failed: ${JSON.stringify(answer)}`);
    server.notify('initialized', {});
    return server;
  }

  /** Writes raw bytes. */
  write(bytes: string | Uint8Array): void {
    this.child.stdin.write(bytes);
  }

  /** Writes one well-framed message. */
  send(message: object): void {
    this.write(frame(JSON.stringify(message)));
  }

  /** Sends a request with a fresh id; resolves with the response to it. */
  request(method: string, params?: unknown): Promise<RawMessage> {
    const id = this.nextId++;
    const answer = this.response(id);
    this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return answer;
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The response with this id, whether it came before or after the call. */
  response(id: number | string | null): Promise<RawMessage> {
    return this.waitFor(`the response to ${JSON.stringify(id)}`, (m) => m.id === id && m.method === undefined);
  }

  /** The first message matching, whether it came before or after the call. */
  waitFor(what: string, match: (m: RawMessage) => boolean): Promise<RawMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return this.within(what, new Promise((resolve) => this.waiters.push({ match, resolve })));
  }

  /** Resolves with the exit code. */
  exit(): Promise<number | null> {
    return this.within('the server to exit', this.exited);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.stderr.join('');
  }

  /** The server's peak resident memory so far, in bytes (Linux; 0 elsewhere or once it exited). */
  peakRss(): number {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  /** Closes the server's input. */
  end(): void {
    this.child.stdin.end();
  }

  kill(): void {
    if (this.running) this.child.kill();
  }

  within<T>(what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server stderr:\n${this.log.slice(-4000)}`)), waitLimitMs);
    });
    return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
  }
}

/** A body with its header, its Content-Length counted in UTF-8 bytes. */
export function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}
