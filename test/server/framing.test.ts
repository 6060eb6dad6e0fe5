// FrameDecoder: messages out of a byte stream in any chunking, and past bad framing.
import { describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_MESSAGE_BYTES, parseHeaders, type FrameEvent } from '../../src/server/framing';

const message = (id: number) => `Content-Length: ${JSON.stringify({ id, text: 'é' }).length + 1}\r\n\r\n${JSON.stringify({ id, text: 'é' })}`;

function decode(chunks: readonly (string | Uint8Array)[]): FrameEvent[] {
  const events: FrameEvent[] = [];
  const decoder = new FrameDecoder((e) => events.push(e));
  for (const chunk of chunks) decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return events;
}

const ids = (events: FrameEvent[]) => events.filter((e) => e.kind === 'message').map((e) => (e.value as { id: number }).id);

describe('FrameDecoder', () => {
  it('decodes messages however the bytes are split, counting the body in UTF-8 bytes', () => {
    const stream = Buffer.from(message(1) + message(2) + message(3), 'utf8');
    for (const size of [1, 2, 7, 64, stream.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(ids(decode(chunks)), `chunks of ${size}`).toEqual([1, 2, 3]);
    }
  });

  it('skips to the next header after bad framing, reporting each skip', () => {
    const bad = ['Content-Length: -1\r\n\r\n{}', 'Content-Length: x\r\n\r\n{}', 'garbage\r\n\r\n', 'Content-Length: 500\r\n\r\n{"id":9}', '\u0000\u00ff'.repeat(10_000)];
    for (const junk of bad) {
      const events = decode([message(1), junk, message(2)]);
      expect(ids(events), JSON.stringify(junk.slice(0, 30))).toEqual([1, 2]);
      expect(events.some((e) => e.kind === 'framing-error')).toBe(true);
    }
  });

  it('reports a well-framed body that is not JSON as a parse error', () => {
    const events = decode(['Content-Length: 3\r\n\r\n{x}', message(4)]);
    expect(events[0]).toMatchObject({ kind: 'parse-error' });
    expect(ids(events)).toEqual([4]);
  });
});

describe('parseHeaders', () => {
  it('reads Content-Length among other headers, and names what is wrong', () => {
    expect(parseHeaders('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 12')).toBe(12);
    expect(parseHeaders('Content-Type: x')).toBe('no Content-Length header');
    expect(parseHeaders(`Content-Length: ${MAX_MESSAGE_BYTES + 1}`)).toMatch(/more than the limit/);
    expect(parseHeaders('Content-Length: 1\r\nContent-Length: 2')).toMatch(/two different/);
    expect(parseHeaders('Content-Length: 1e3')).toMatch(/not a whole number/);
  });
});

describe('FrameDecoder with a Content-Length too large for its message', () => {
  it('finds the next message even when the declared body ends inside its header', () => {
    const next = message(2);
    for (const declared of [5, 6, 12, 20, 30]) {
      // 5 bytes of body, then the next message: the declared body ends inside or after its header.
      const events = decode([`Content-Length: ${declared}\r\n\r\n{"a":`, next.slice(0, 7), next.slice(7)]);
      expect(ids(events), `declared ${declared}`).toEqual([2]);
    }
  });
});
