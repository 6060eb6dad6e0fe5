/** Entry point of dist/server.js: `node dist/server.js --stdio`. */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import type { Analysis } from '../language/types';
import { startServer } from './server';

// src/language/analyze.ts has not landed yet; until it does the server runs the
// whole protocol on an empty analysis, so every document is clean.
function analyzePending(text: string): Analysis {
  return {
    text,
    program: { items: [], comments: [], errors: [] },
    model: null,
    layers: [],
    diagnostics: [],
    symbols: [],
    calls: [],
  };
}

startServer(createConnection(ProposedFeatures.all), { analyze: analyzePending });
