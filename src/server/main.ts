/** Entry point of dist/server.js: `node dist/server.js --stdio`. */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { analyze } from '../language/analyze';
import { DocumentAnalyzer } from '../language/incremental';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all), {
  analyze,
  documentAnalyzer: () => {
    const analyzer = new DocumentAnalyzer();
    return (text) => analyzer.analyze(text);
  },
});
