/**
 * `analyze(text)`: the one pure entry point. Parses, resolves names, expands
 * blocks and repeats into a flat layer graph, and infers every layer's shape,
 * parameters, MACs and receptive field, collecting diagnostics on the way
 * (interpreter.ts). The incremental analysis of successive versions of one
 * document is `DocumentAnalyzer` (incremental/document-analyzer.ts).
 */
import type { Program } from './ast';
import { Interpreter, type RunHooks, type RunResult } from './interpreter';
import { parse } from './parser';
import type { Analysis } from './types';

export { byStart, modelSettings, type RunHooks, type RunResult } from './interpreter';
export { LIMITS } from './limits';

const NO_HOOKS: RunHooks = {};

/** Analyses a whole `.cnn` file. Never throws on user input. */
export function analyze(text: string): Analysis {
  return new Interpreter(text, parse(text), NO_HOOKS).run().analysis;
}

/** Analyses an already parsed program (the server parses once and reuses the tree). */
export function analyzeProgram(text: string, program: Program): Analysis {
  return new Interpreter(text, program, NO_HOOKS).run().analysis;
}

/** Analyses a parsed program with the given hooks; the analysis is the one `analyzeProgram` gives. */
export function analyzeWithHooks(text: string, program: Program, hooks: RunHooks): RunResult {
  return new Interpreter(text, program, hooks).run();
}
