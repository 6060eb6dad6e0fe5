/**
 * `convlens check | summary | run`: the language core and the model runner from a terminal and in CI.
 */
import { relative } from 'node:path';
import { version } from '../../package.json';
import { analyze } from '../language/analyze';
import { LineIndex } from '../language/line-index';
import { summaryJson, summaryTable } from '../language/summary';
import type { Analysis } from '../language/types';
import { FileReadError, readLimited } from './files';
import { RUN_USAGE, runCommand } from './run';

const USAGE = `Usage:
  convlens check FILE...           report diagnostics as path:line:col: severity[code]: message
  convlens summary FILE [--json]   print each layer's output shape, params and MACs, with totals
${RUN_USAGE}
  convlens --version               print the version
`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (text) => write(process.stdout, text),
  err: (text) => write(process.stderr, text),
};

/** Exit status after a write to a closed pipe (`convlens check … | head -1`): 128 + SIGPIPE, as a shell reports a tool killed by it. */
export const BROKEN_PIPE_EXIT = 141;

function write(stream: NodeJS.WriteStream, text: string): void {
  // EPIPE arrives as an 'error' event, which would otherwise end the process with a stack trace.
  if (stream.listenerCount('error') === 0) stream.on('error', onStreamError);
  stream.write(text);
}

function onStreamError(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(BROKEN_PIPE_EXIT);
  throw error;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 diagnostics with errors, 2 usage or I/O error). */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return check(rest, io);
    case 'summary':
      return summary(rest, io);
    case 'run':
      return runCommand(rest, io, { readSpec, formatDiagnostics, displayPath });
    case '--version':
    case '-v':
      io.out(`convlens ${version}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`convlens: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

function readSpec(path: string, io: Io): string | null {
  try {
    return new TextDecoder().decode(readLimited(path, 'spec'));
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    io.err(`${path}:1:1: error[io]: cannot read file: ${error.message}\n`);
    return null;
  }
}

/**
 * Splits arguments into files and the flags in `known`; anything else that
 * starts with `-` is an error (a misspelt flag is not a file name). After `--`
 * every argument is a file.
 */
function splitArgs(args: readonly string[], known: readonly string[]): { files: string[]; flags: Set<string> } | string {
  const files: string[] = [];
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      for (let j = i + 1; j < args.length; j++) files.push(args[j]);
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      if (!known.includes(a)) return `unknown option '${a}'`;
      flags.add(a);
    } else files.push(a);
  }
  return { files, flags };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function formatDiagnostics(path: string, analysis: Analysis): string {
  const lines = new LineIndex(analysis.text);
  return analysis.diagnostics
    .map((d) => {
      const p = lines.positionAt(d.span.start);
      return `${displayPath(path)}:${p.line + 1}:${p.character + 1}: ${d.severity}[${d.code}]: ${d.message}\n`;
    })
    .join('');
}

function check(args: readonly string[], io: Io): number {
  const parsed = splitArgs(args, []);
  if (typeof parsed === 'string') {
    io.err(`convlens check: ${parsed}\n${USAGE}`);
    return 2;
  }
  const files = parsed.files;
  if (files.length === 0) {
    io.err(`convlens check: no files given\n${USAGE}`);
    return 2;
  }
  let errors = 0;
  let warnings = 0;
  let unreadable = 0;
  for (const file of files) {
    const text = readSpec(file, io);
    if (text === null) {
      unreadable++;
      continue;
    }
    const analysis = analyze(text);
    io.out(formatDiagnostics(file, analysis));
    for (const d of analysis.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  const checked = files.length - unreadable;
  io.err(`${plural(checked, 'file')} checked${unreadable > 0 ? `, ${unreadable} unreadable` : ''}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  if (unreadable > 0) return 2;
  return errors > 0 ? 1 : 0;
}

function summary(args: readonly string[], io: Io): number {
  const parsed = splitArgs(args, ['--json']);
  if (typeof parsed === 'string' || parsed.files.length !== 1) {
    io.err(`convlens summary: ${typeof parsed === 'string' ? parsed : 'give exactly one file'}\n${USAGE}`);
    return 2;
  }
  const json = parsed.flags.has('--json');
  const files = parsed.files;
  const text = readSpec(files[0], io);
  if (text === null) return 2;
  const analysis = analyze(text);
  const hasErrors = analysis.diagnostics.some((d) => d.severity === 'error');
  if (json) {
    io.out(`${JSON.stringify(summaryJson(analysis), null, 2)}\n`);
  } else {
    io.out(summaryTable(analysis));
    io.err(formatDiagnostics(files[0], analysis));
  }
  return hasErrors ? 1 : 0;
}
