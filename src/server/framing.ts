/**
 * The base protocol's framing (`Content-Length: N\r\n\r\n` then N bytes of
 * JSON), read so that no input can stop the server from reading.
 *
 * vscode-jsonrpc's `ReadableStreamMessageReader` reports a missing or
 * non-numeric Content-Length and then stops advancing: every later message is
 * lost, silently. A negative one, or one larger than the message, leaves it
 * waiting for bytes that never come. This decoder instead resynchronises: after
 * bad framing it skips to the next `Content-Length:` header and goes on, and it
 * says what it skipped. A body that is not JSON is reported as such, for the
 * caller to answer with a parse error.
 */
import { AbstractMessageReader, type DataCallback, type Disposable, type MessageReader } from 'vscode-languageserver/node';
import type { Readable } from 'node:stream';

/** The largest message body accepted: a `didOpen` of a model file far larger than any real one. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** The largest header section accepted; real ones are under 100 bytes. */
export const MAX_HEADER_BYTES = 8 * 1024;

/** What the decoder found in the byte stream. */
export type FrameEvent =
  /** A body that parsed as JSON. */
  | { readonly kind: 'message'; readonly value: unknown }
  /** A well-framed body that is not JSON: to be answered with -32700. */
  | { readonly kind: 'parse-error'; readonly reason: string }
  /** Bytes that were not a message, skipped up to the next header. */
  | { readonly kind: 'framing-error'; readonly reason: string; readonly skipped: number };

const CONTENT_LENGTH = Buffer.from('content-length:', 'latin1');
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * A complete header section inside what was announced as a body: the body was
 * shorter than its Content-Length said. JSON cannot hold it: outside strings
 * `Content-Length` is no JSON token, and inside one a raw line break cannot follow.
 */
const HEADER_IN_BODY = /content-length:[ \t]*\d+[ \t]*\r\n(?:[!-9;-~]+:[^\r\n]*\r\n)*\r\n/i;

/** How far back from the newly received bytes to look for `HEADER_IN_BODY`, which may straddle two chunks. */
const HEADER_OVERLAP = 512;

/**
 * Decodes a byte stream into JSON messages, reporting bad framing instead of
 * stopping. Bytes are kept as received chunks and joined once per message, so
 * a large body arriving in many chunks costs one copy.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private length = 0;
  /** The body's length once its header has been read, else -1. */
  private bodyLength = -1;
  /** How much of a pending body was already searched for `HEADER_IN_BODY`. */
  private searched = 0;

  constructor(private readonly emit: (event: FrameEvent) => void) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.length += chunk.length;
    while (this.step()) {
      // Each step consumes bytes or waits for more.
    }
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.length;
  }

  /** One message or one skip; false when it needs more bytes. */
  private step(): boolean {
    if (this.bodyLength < 0) return this.readHeader();
    if (this.length >= this.bodyLength) {
      const event = decodeBody(this.peek(this.bodyLength));
      // A body that is not JSON but holds a header: its Content-Length was too large, and the next
      // message (not complete in the buffer when the body was, or the check above would have found it)
      // starts there.
      let next = -1;
      if (event.kind === 'parse-error') {
        const buffered = this.peek(this.length);
        const found = indexOfIgnoringCase(buffered, CONTENT_LENGTH, 0);
        if (found >= 0 && found < this.bodyLength) next = found;
        // The body ends with the start of a header whose rest has not arrived: wait for it.
        else if (found < 0 && buffered.length - startOfAtEnd(buffered, CONTENT_LENGTH) < this.bodyLength) return false;
      }
      if (next >= 0) {
        this.take(next);
        this.emit({ kind: 'framing-error', reason: `Content-Length ${this.bodyLength} is more than the message, which ended after at most ${next} bytes where another header began`, skipped: next });
      } else {
        this.take(this.bodyLength);
        this.emit(event);
      }
      this.bodyLength = -1;
      return true;
    }
    return this.checkPendingBody();
  }

  private readHeader(): boolean {
    const head = this.peek(Math.min(this.length, MAX_HEADER_BYTES + HEADER_END.length));
    const end = head.indexOf(HEADER_END);
    if (end < 0) {
      if (head.length <= MAX_HEADER_BYTES) return false;
      return this.resync(`no end of headers within ${MAX_HEADER_BYTES} bytes`);
    }
    const parsed = parseHeaders(head.subarray(0, end).toString('latin1'));
    if (typeof parsed === 'string') return this.resync(parsed);
    this.take(end + HEADER_END.length);
    this.bodyLength = parsed;
    this.searched = 0;
    return true;
  }

  /**
   * A body still incomplete: if a header section arrived inside it, its
   * Content-Length was too large. The bytes before that header are dropped.
   */
  private checkPendingBody(): boolean {
    const from = Math.max(0, this.searched - HEADER_OVERLAP);
    const text = this.tail(from).toString('latin1');
    this.searched = this.length;
    const match = HEADER_IN_BODY.exec(text);
    if (!match) return false;
    const skipped = from + match.index;
    this.take(skipped);
    this.emit({
      kind: 'framing-error',
      reason: `Content-Length ${this.bodyLength} is more than the message, which ended after at most ${skipped} bytes where another header began`,
      skipped,
    });
    this.bodyLength = -1;
    return true;
  }

  /**
   * Skips to the next `Content-Length:` after the first byte, or, when there
   * is none yet, drops all but a tail that could be the start of one.
   */
  private resync(reason: string): boolean {
    const data = this.peek(this.length);
    const next = indexOfIgnoringCase(data, CONTENT_LENGTH, 1);
    const skipped = next >= 0 ? next : Math.max(1, data.length - (CONTENT_LENGTH.length - 1));
    this.take(skipped);
    this.emit({ kind: 'framing-error', reason, skipped });
    return next >= 0;
  }

  /** The first `count` buffered bytes; the chunks they span are joined into one, which stays first. */
  private peek(count: number): Buffer {
    if (this.chunks.length === 0) return Buffer.alloc(0);
    if (this.chunks[0].length < count) {
      let spanned = 0;
      let bytes = 0;
      while (bytes < count && spanned < this.chunks.length) bytes += this.chunks[spanned++].length;
      this.chunks.splice(0, spanned, Buffer.concat(this.chunks.slice(0, spanned), bytes));
    }
    return this.chunks[0].subarray(0, count);
  }

  /** The buffered bytes from `from` on, joining only the chunks they span (the buffer stays as it is). */
  private tail(from: number): Buffer {
    const parts: Buffer[] = [];
    let end = this.length;
    for (let i = this.chunks.length - 1; i >= 0 && end > from; i--) {
      const chunk = this.chunks[i];
      const start = end - chunk.length;
      parts.push(start >= from ? chunk : chunk.subarray(from - start));
      end = start;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts.reverse());
  }

  /** Removes and returns the first `count` buffered bytes. */
  private take(count: number): Buffer {
    const taken = this.peek(count);
    const first = this.chunks[0];
    if (first && count >= first.length) this.chunks.shift();
    else if (first) this.chunks[0] = first.subarray(count);
    this.length -= count;
    return taken;
  }
}

/**
 * The body length a header section gives, or why it is not a valid one: every
 * line `Name: value` in ASCII, one Content-Length, a whole number of bytes no
 * more than `MAX_MESSAGE_BYTES`.
 */
export function parseHeaders(section: string): number | string {
  let length: number | undefined;
  for (const line of section.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[!-9;-~]+$/.test(line.slice(0, colon)) || !/^[ -~\t]*$/.test(line)) {
      return `malformed header line ${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line)}`;
    }
    if (line.slice(0, colon).toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return `Content-Length ${JSON.stringify(value)} is not a whole number of bytes`;
    const bytes = Number(value);
    if (bytes > MAX_MESSAGE_BYTES) return `Content-Length ${value} is more than the limit of ${MAX_MESSAGE_BYTES} bytes`;
    if (length !== undefined && length !== bytes) return `two different Content-Length headers (${length} and ${value})`;
    length = bytes;
  }
  return length ?? 'no Content-Length header';
}

function decodeBody(body: Buffer): FrameEvent {
  try {
    return { kind: 'message', value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (error) {
    return { kind: 'parse-error', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** How many bytes at the end of `data` are the start of `needle` (ignoring case), short of all of it; 0 when none. */
function startOfAtEnd(data: Buffer, needle: Buffer): number {
  for (let n = Math.min(needle.length - 1, data.length); n >= 1; n--) {
    let j = 0;
    while (j < n && (data[data.length - n + j] | 0x20) === needle[j]) j++;
    if (j === n) return n;
  }
  return 0;
}

/** `Buffer.indexOf` for an ASCII needle, ignoring case, from `from`. */
function indexOfIgnoringCase(data: Buffer, needle: Buffer, from: number): number {
  const first = needle[0];
  const firstUpper = first - 32;
  for (let i = from; i <= data.length - needle.length; i++) {
    const c = data[i];
    if (c !== first && c !== firstUpper) continue;
    let j = 1;
    while (j < needle.length && (data[i + j] | 0x20) === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** Logs a stream's framing problems. */
export interface FramingLog {
  (message: string): void;
}

/**
 * A `MessageReader` over a byte stream, through `FrameDecoder`. Framing errors
 * are logged and skipped; a body that is not JSON goes to `onParseError`.
 * Consecutive framing errors are logged once, with the bytes skipped in all
 * when the next message arrives, so a megabyte of garbage is two log lines.
 */
export class FramedMessageReader extends AbstractMessageReader implements MessageReader {
  private callback: DataCallback | null = null;
  private skipping: { reason: string; skipped: number } | null = null;

  constructor(
    private readonly readable: Readable,
    private readonly options: { readonly log: FramingLog; readonly onParseError: (reason: string) => void },
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const decoder = new FrameDecoder((event) => this.onEvent(event));
    const onData = (chunk: Buffer) => decoder.push(chunk);
    const onError = (error: Error) => this.fireError(error);
    let closed = false;
    const onClose = () => {
      if (closed) return;
      closed = true;
      this.endSkipping();
      if (decoder.buffered > 0) this.options.log(`input ended inside a message (${decoder.buffered} bytes unread)`);
      this.fireClose();
    };
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('end', onClose);
    this.readable.on('close', onClose);
    return {
      dispose: () => {
        this.readable.off('data', onData);
        this.readable.off('error', onError);
        this.readable.off('end', onClose);
        this.readable.off('close', onClose);
      },
    };
  }

  private onEvent(event: FrameEvent): void {
    if (event.kind === 'framing-error') {
      if (this.skipping) this.skipping.skipped += event.skipped;
      else {
        this.options.log(`bad message framing: ${event.reason}; skipping to the next Content-Length header`);
        this.skipping = { reason: event.reason, skipped: event.skipped };
      }
      return;
    }
    this.endSkipping();
    if (event.kind === 'parse-error') this.options.onParseError(event.reason);
    else {
      try {
        this.callback?.(event.value as Parameters<DataCallback>[0]);
      } catch (error) {
        // The connection's own handling of a message threw: lose that message, not the stream.
        this.options.log(`a message could not be handled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }

  private endSkipping(): void {
    if (!this.skipping) return;
    this.options.log(`resynchronised after skipping ${this.skipping.skipped} bytes`);
    this.skipping = null;
  }
}
