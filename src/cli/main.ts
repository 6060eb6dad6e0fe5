/**
 * `convlens check | summary | run`: the language core and the model runner from a terminal and in CI.
 */
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { analyze } from '../language/analyze';
import { LineIndex } from '../language/line-index';
import { summaryJson, summaryTable } from '../language/summary';
import type { Analysis } from '../language/types';
import { RUN_USAGE, runCommand } from './run';

/** Larger files are refused before reading: no model spec is this big. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const USAGE = `Usage:
  convlens check FILE...           report diagnostics as path:line:col: severity[code]: message
  convlens summary FILE [--json]   print each layer's output shape, params and MACs, with totals
${RUN_USAGE}
`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

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
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) {
      io.err(`${path}:1:1: error[limit-exceeded]: file is ${size} bytes; the limit is ${MAX_FILE_BYTES}\n`);
      return null;
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    io.err(`${path}:1:1: error[io]: cannot read file: ${reason}\n`);
    return null;
  }
}

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

function check(files: readonly string[], io: Io): number {
  if (files.length === 0) {
    io.err(`convlens check: no files given\n${USAGE}`);
    return 2;
  }
  let errors = 0;
  let warnings = 0;
  let unreadable = false;
  for (const file of files) {
    const text = readSpec(file, io);
    if (text === null) {
      unreadable = true;
      continue;
    }
    const analysis = analyze(text);
    io.out(formatDiagnostics(file, analysis));
    for (const d of analysis.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
  }
  io.err(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  if (unreadable) return 2;
  return errors > 0 ? 1 : 0;
}

function summary(args: readonly string[], io: Io): number {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  if (files.length !== 1 || files[0].startsWith('-')) {
    io.err(`convlens summary: give exactly one file\n${USAGE}`);
    return 2;
  }
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
