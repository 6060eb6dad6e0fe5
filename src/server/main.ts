/** Entry point of dist/server.js: `node dist/server.js --stdio`. */
import { setFlagsFromString } from 'node:v8';
import { ProposedFeatures, StreamMessageWriter, createConnection, type DataCallback, type Disposable, type MessageReader } from 'vscode-languageserver/node';
import { analyze } from '../language/analyze';
import { DocumentAnalyzer } from '../language/incremental/document-analyzer';
import { FramedMessageReader } from './framing';
import { MessageGuard, parseErrorResponse } from './message-guard';
import { startServer } from './server';

// V8 otherwise schedules a young-generation collection in the idle time after
// an edit, when the analysis just made is all live, so it copies and then
// promotes all of it (a 7-8 ms scavenge, and a full collection every few edits
// of a large model; BENCHMARKS.md, 'Language server latency'). Without it the
// collection comes when the space is full, mid-analysis, when little is live.
// Set here rather than on the command line, where a flag some other V8 does
// not know would stop the server from starting; here V8 ignores it.
setFlagsFromString('--no-minor-gc-task');
// Likewise V8 otherwise drives incremental marking from tasks that run while
// the server waits for the next edit, finishing a full collection every few
// edits of a large model though little is live (8-19 ms each, inside the next
// edit's latency). Without the task, marking advances with allocation, and the
// bench's `bias` edit saw 8-12 full collections per run instead of 38-48
// (BENCHMARKS.md, 'Language server latency').
setFlagsFromString('--no-incremental-marking-task');

// stdout carries the protocol: anything else written there would corrupt it.
console.log = console.info = console.debug = console.warn = console.error;

const log = (message: string): void => void process.stderr.write(`[convlens server] ${message}\n`);
const writer = new StreamMessageWriter(process.stdout);
const guard = new MessageGuard();

/**
 * The connection reads through the guard: framing errors are skipped (see
 * framing.ts), and malformed or out-of-lifecycle messages are answered with
 * their JSON-RPC error before any handler sees them (see message-guard.ts).
 */
const framed = new FramedMessageReader(process.stdin, {
  log,
  onParseError: (reason) => {
    log(`parse error: ${reason}`);
    void writer.write(parseErrorResponse(reason));
  },
});
const reader: MessageReader = {
  onError: framed.onError,
  onClose: framed.onClose,
  onPartialMessage: framed.onPartialMessage,
  listen(callback: DataCallback): Disposable {
    return framed.listen((message) => {
      const verdict = guard.check(message);
      if (verdict.deliver) {
        callback(message);
        return;
      }
      if (verdict.log) log(verdict.log);
      if (verdict.reply) void writer.write(verdict.reply);
    });
  },
  dispose: () => framed.dispose(),
};

// Given a reader of its own, vscode-languageserver no longer exits when the
// input ends: the client is gone, so exit as it would.
framed.onClose(() => {
  if (!guard.shutdownReceived) log('the input ended without shutdown and exit');
  process.exit(guard.shutdownReceived ? 0 : 1);
});

startServer(createConnection(ProposedFeatures.all, reader, writer), {
  analyze,
  documentAnalyzer: () => {
    const analyzer = new DocumentAnalyzer();
    return (text) => analyzer.analyze(text);
  },
});
