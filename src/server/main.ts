/** Entry point of dist/server.js: `node dist/server.js --stdio`. */
import { setFlagsFromString } from 'node:v8';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { analyze } from '../language/analyze';
import { DocumentAnalyzer } from '../language/incremental';
import { startServer } from './server';

// V8 otherwise schedules a young-generation collection in the idle time after
// an edit, when the analysis just made is all live, so it copies and then
// promotes all of it (a 7-8 ms scavenge, and a full collection every few edits
// of a large model; BENCHMARKS.md, 'Language server latency'). Without it the
// collection comes when the space is full, mid-analysis, when little is live.
// Set here rather than on the command line, where a flag some other V8 does
// not know would stop the server from starting; here V8 ignores it.
setFlagsFromString('--no-minor-gc-task');

startServer(createConnection(ProposedFeatures.all), {
  analyze,
  documentAnalyzer: () => {
    const analyzer = new DocumentAnalyzer();
    return (text) => analyzer.analyze(text);
  },
});
