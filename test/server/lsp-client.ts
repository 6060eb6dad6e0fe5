/**
 * A minimal LSP client for protocol tests: spawns the built server
 * (`node dist/server.js --stdio`), speaks JSON-RPC to it, and waits on the
 * server's own messages, never on the clock. A timeout only turns a hang into a
 * readable failure.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import {
  CancellationTokenSource,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  InitializeResult,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverPath = join(repoRoot, 'dist', 'server.js');

/** How long any single wait may take before the test fails with a description of what it waited for. */
const waitLimitMs = 15_000;

const clientCapabilities: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, inlayHint: { refreshSupport: true }, semanticTokens: { refreshSupport: true } },
  textDocument: {
    synchronization: { didSave: false, dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: {
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], labelDetailsSupport: true },
      contextSupport: true,
    },
    signatureHelp: { signatureInformation: { documentationFormat: ['markdown', 'plaintext'], parameterInformation: { labelOffsetSupport: true } } },
    definition: { linkSupport: false },
    references: {},
    rename: { prepareSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    foldingRange: { lineFoldingOnly: false },
    selectionRange: {},
    inlayHint: {},
    semanticTokens: {
      requests: { full: true, range: false },
      tokenTypes: [],
      tokenModifiers: [],
      formats: ['relative'],
    },
    formatting: {},
    rangeFormatting: {},
  },
};

export interface StartOptions {
  readonly initializationOptions?: unknown;
}

export class LspTestClient {
  /** Every `textDocument/publishDiagnostics` received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Methods of the requests the server sent us, in order (e.g. `workspace/inlayHint/refresh`). */
  readonly serverRequests: string[] = [];
  /** What the server wrote to stderr and `window/logMessage`. */
  readonly log: string[] = [];
  initializeResult!: InitializeResult;

  private readonly diagnosticWaiters: Array<{ match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  private readonly exited: Promise<number | null>;
  private versions = new Map<string, number>();

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.log.push(chunk));

    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (let i = this.diagnosticWaiters.length - 1; i >= 0; i--) {
        const waiter = this.diagnosticWaiters[i];
        if (waiter.match(params)) {
          this.diagnosticWaiters.splice(i, 1);
          waiter.resolve(params);
        }
      }
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.log.push(params.message);
    });
    connection.onRequest((method: string, params: unknown) => {
      this.serverRequests.push(method);
      if (method === 'workspace/configuration') {
        const items = (params as { items?: unknown[] } | undefined)?.items ?? [];
        return items.map(() => null);
      }
      return null;
    });
    connection.listen();
  }

  /** Spawns the server and completes the `initialize`/`initialized` handshake. */
  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    ensureServerBuilt();
    const child = spawn(process.execPath, [serverPath, '--stdio'], { cwd: repoRoot, stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspTestClient(child, connection);
    client.initializeResult = await client.within(
      'initialize',
      connection.sendRequest<InitializeResult>('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: clientCapabilities,
        initializationOptions: options.initializationOptions,
        workspaceFolders: null,
      }),
    );
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Opens a document; resolves with the diagnostics published for that version. */
  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, version);
    const published = this.waitForDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cnn', version, text } });
    return published;
  }

  /** Applies changes as the next version; resolves with the diagnostics published for it. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const published = this.waitForDiagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return published;
  }

  /** Sends the next version without waiting for its diagnostics (they may be skipped for a later one); returns the version. */
  async sendChange(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Replaces the whole text as the next version. */
  replace(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    return this.change(uri, [{ text }]);
  }

  /** Closes a document; resolves when the server has cleared its diagnostics. */
  async close(uri: string): Promise<PublishDiagnosticsParams> {
    this.versions.delete(uri);
    const cleared = this.waitFor(uri, (p) => p.uri === uri && p.diagnostics.length === 0 && p.version === undefined);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return cleared;
  }

  /** Resolves with the diagnostics published for `uri` at `version`, whether they came before or after the call. */
  waitForDiagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`${uri}@${version}`, (p) => p.uri === uri && p.version === version);
  }

  async request<R>(method: string, params: unknown): Promise<R> {
    return this.within(method, this.connection.sendRequest<R>(method, params));
  }

  /** Sends a request and cancels it at once; resolves with the server's answer or rejects with its error. */
  async requestCancelled<R>(method: string, params: unknown): Promise<R> {
    const source = new CancellationTokenSource();
    const answer = this.connection.sendRequest<R>(method, params, source.token);
    source.cancel();
    return this.within(method, answer);
  }

  async notify(method: string, params: unknown): Promise<void> {
    await this.connection.sendNotification(method, params);
  }

  /** `shutdown`, then `exit`; resolves with the server's exit code. */
  async shutdown(): Promise<number | null> {
    await this.within('shutdown', this.connection.sendRequest('shutdown'));
    await this.connection.sendNotification('exit');
    const code = await this.within('process exit', this.exited);
    this.connection.dispose();
    return code;
  }

  /** Ends the server however things stand; for `afterEach`/`afterAll`. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        await this.shutdown();
        return;
      } catch {
        this.child.kill();
      }
    }
    this.connection.dispose();
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private waitFor(what: string, match: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    const seen = this.published.find(match);
    if (seen) return Promise.resolve(seen);
    return this.within(`diagnostics for ${what}`, new Promise((resolve) => this.diagnosticWaiters.push({ match, resolve })));
  }

  private within<T>(what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server log:\n${this.log.join('')}`)), waitLimitMs);
    });
    return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
  }
}

/**
 * Builds dist/server.js when it is missing or older than any source it bundles.
 * `npm test` builds everything first, so this only matters for a bare
 * `vitest run`. It builds the server bundle alone (with esbuild.mjs's options
 * for it), so another bundle that is mid-edit cannot fail these tests. Test
 * files run in parallel workers, so the build is guarded by a lock directory.
 */
export function ensureServerBuilt(): void {
  if (isFresh()) return;
  const lock = join(repoRoot, 'dist', '.test-build-lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`stale build lock: ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (isFresh()) return;
    buildSync({
      entryPoints: [join(repoRoot, 'src/server/main.ts')],
      outfile: serverPath,
      bundle: true,
      sourcemap: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
  } finally {
    rmdirSync(lock);
  }
}

function isFresh(): boolean {
  if (!existsSync(serverPath)) return false;
  const built = statSync(serverPath).mtimeMs;
  return ['src/server', 'src/language', 'src/core', 'src/protocol'].every((dir) => newestMtime(join(repoRoot, dir)) <= built);
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** A `file://` URI for a test document. */
export function docUri(name: string): string {
  return `file:///test/${name}`;
}

/** The LSP position of the first `needle` in `text` (plus `delta` code units), counting lines as the LSP does. */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  const offset = at + delta;
  const before = text.slice(0, offset);
  const breaks = [...before.matchAll(/\r\n|\r|\n/g)];
  const last = breaks.at(-1);
  return { line: breaks.length, character: last ? offset - (last.index + last[0].length) : offset };
}

/** A sample model's text. */
export function sample(name: string): string {
  return readFileSync(join(repoRoot, 'samples', name), 'utf8');
}
