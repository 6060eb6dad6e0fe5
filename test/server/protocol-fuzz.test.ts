/**
 * Protocol fuzz: random garbage headers, bad Content-Lengths, binary, bodies
 * that are not JSON, messages that are not requests, bad params and random
 * method names, written to the spawned server between well-formed requests.
 * After every round the server must either answer a valid request or have
 * exited with a logged reason; never hang silently. Seeded: a failure names
 * its seed and round, and CONVLENS_FUZZ_SEED replays it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/prng';
import { fuzzRuns, fuzzSeed } from '../fuzz-budget';
import { frame, RawServer } from './raw-server';

const seed = fuzzSeed(20261207);
const rounds = fuzzRuns(60);

const methods = [
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/documentSymbol',
  'textDocument/formatting',
  'textDocument/rangeFormatting',
  'textDocument/selectionRange',
  'textDocument/codeAction',
  'textDocument/inlayHint',
  'textDocument/semanticTokens/full',
  'textDocument/foldingRange',
  'textDocument/rename',
  'textDocument/references',
  'convlens/summary',
  'textDocument/didOpen',
  'textDocument/didChange',
  'textDocument/didClose',
  'workspace/didChangeConfiguration',
  '$/cancelRequest',
  '$/setTrace',
  'initialize',
  'shutdown',
];

const uri = 'file:///fuzz.cnn';
const text = 'model M {\n  input x: 3×8×8\n  conv 8, k=3 | relu\n}\n';

class Attacks {
  constructor(private readonly random: Random) {}

  private int(n: number): number {
    return Math.floor(this.random.next() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  private bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  private jsonValue(depth = 0): unknown {
    switch (this.int(depth > 2 ? 5 : 8)) {
      case 0:
        return null;
      case 1:
        return this.random.next() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 31, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER]);
      case 3:
        return this.pick(['', 'file:///fuzz.cnn', 'x'.repeat(this.int(2000)), '\u0000\ud800', 'untitled:1']);
      case 4:
        return this.int(100);
      case 5:
        return Array.from({ length: this.int(4) }, () => this.jsonValue(depth + 1));
      default: {
        const keys = ['textDocument', 'position', 'range', 'uri', 'line', 'character', 'options', 'tabSize', 'context', 'positions', 'text', 'version', 'contentChanges', 'id', 'capabilities'];
        const object: Record<string, unknown> = {};
        for (let i = this.int(5); i > 0; i--) object[this.pick(keys)] = this.jsonValue(depth + 1);
        return object;
      }
    }
  }

  /** A plausible message with some params: valid ones sometimes, mutated or random ones often. */
  private message(): Record<string, unknown> {
    const method = this.random.next() < 0.2 ? this.randomName() : this.pick(methods);
    const valid = {
      textDocument: { uri, version: 2, text, languageId: 'cnn' },
      position: { line: this.int(5), character: this.int(20) },
      range: { start: { line: 0, character: 0 }, end: { line: this.int(5), character: 0 } },
      options: { tabSize: this.pick([2, -1, 2 ** 24, 'x', 4]), insertSpaces: true },
      context: { diagnostics: [], includeDeclaration: true },
      positions: [{ line: 1, character: 2 }],
      contentChanges: [{ text: this.pick([text, '', '}', 'model {']) }],
      newName: 'y',
      capabilities: {},
    };
    const params = this.random.next() < 0.5 ? valid : this.jsonValue();
    const message: Record<string, unknown> = { jsonrpc: '2.0', method, params };
    if (this.random.next() < 0.6) message.id = this.pick<unknown>([this.int(1_000_000), `s${this.int(1000)}`, null, 1.5, {}]);
    return message;
  }

  private randomName(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz/$._-';
    return Array.from({ length: 1 + this.int(30) }, () => alphabet[this.int(alphabet.length)]).join('');
  }

  /** One attack: bytes to write, and what it was. */
  next(): { what: string; bytes: string | Uint8Array } {
    const message = JSON.stringify(this.message());
    switch (this.int(9)) {
      case 0: {
        const lines = Array.from({ length: 1 + this.int(4) }, () => Buffer.from(this.bytes(1 + this.int(40))).toString('latin1').replace(/\r\n\r\n/g, ''));
        return { what: 'garbage headers', bytes: Buffer.from(`${lines.join('\r\n')}\r\n\r\n${message}`, 'latin1') };
      }
      case 1: {
        const length = this.pick(['-1', 'abc', '1e5', '99999999999999999999', '0', ' ', String(this.int(message.length)), String(message.length + 1 + this.int(5000)), '0x10']);
        return { what: `Content-Length ${length}`, bytes: `Content-Length: ${length}\r\n\r\n${message}` };
      }
      case 2:
        return { what: 'binary', bytes: this.bytes(this.random.next() < 0.05 ? 1 << 20 : 1 + this.int(65_536)) };
      case 3: {
        const cut = message.slice(0, this.int(message.length));
        return { what: 'truncated JSON', bytes: frame(cut) };
      }
      case 4: {
        const raw = Buffer.from(frame(message));
        for (let i = this.int(4); i >= 0; i--) raw[this.int(raw.length)] = this.int(256);
        return { what: 'flipped bytes', bytes: raw };
      }
      case 5:
        return { what: 'random JSON', bytes: frame(JSON.stringify(this.jsonValue())) };
      case 6:
        return { what: 'message', bytes: frame(message) };
      default:
        return { what: 'message', bytes: frame(message) };
    }
  }
}

describe('fuzz: protocol framing and messages against the spawned server', () => {
  const stats = { rounds: 0, attacks: 0, bytes: 0, exits: 0, peakRss: 0 };
  let server: RawServer | undefined;

  afterAll(() => {
    server?.kill();
    // One line for BENCHMARKS.md's "Fuzz run" section.
    process.stderr.write(`protocol fuzz: seed ${seed}, ${stats.rounds} rounds, ${stats.attacks} inputs, ${stats.bytes} bytes, ${stats.exits} exits, peak server RSS ${(stats.peakRss / 2 ** 20).toFixed(0)} MB\n`);
  });

  it(`answers or exits with a logged reason after each of ${rounds} rounds of hostile input (seed ${seed})`, async () => {
    const attacks = new Attacks(new Random(`protocol-fuzz/${seed}`));
    for (let round = 0; round < rounds; round++) {
      if (!server?.running) server = await RawServer.initialized();
      const tried: string[] = [];
      for (let i = 1 + Math.floor(round % 4); i > 0; i--) {
        const attack = attacks.next();
        tried.push(attack.what);
        stats.attacks++;
        stats.bytes += attack.bytes.length;
        server.write(attack.bytes);
      }
      const where = `seed ${seed} round ${round}: ${tried.join(', ')}`;
      const probe = `probe-${round}`;
      server.write(frame(JSON.stringify({ jsonrpc: '2.0', id: probe, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 0 } } })));
      const outcome = await server.within(
        `an answer or an exit (${where})`,
        Promise.race([server.response(probe).then(() => 'answered' as const), server.exited.then(() => 'exited' as const)]),
      );
      stats.peakRss = Math.max(stats.peakRss, server.peakRss());
      if (outcome === 'exited') {
        stats.exits++;
        // An exit is fine when the server said why, or was told to (`exit`, possibly after `shutdown`).
        expect(server.log.length > 0 || tried.some((t) => t === 'message'), where).toBe(true);
      }
      stats.rounds++;
    }
  });
});
