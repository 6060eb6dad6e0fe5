/**
 * `convlens run FILE [--image IMG] [--weights W] [--out DIR]`: runs a model on
 * an image and writes, per layer, a PNG grid of its channels and a JSON file of
 * per-channel statistics, plus the final output (top-5 for a classifier).
 */
import { mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { decodeImage, encodePng } from '../adapters/image-codec';
import { runModelSync, type LayerOutput, type RunSummary, type StopReason } from '../core/execute';
import type { ModelGraph } from '../core/graph';
import { channelStats, featureGrid, IMAGENET_MEAN, IMAGENET_STD, imageToTensor, normalizeImageNet, tensorToImage, topClasses, type ClassScore } from '../core/image';
import { Random } from '../core/prng';
import { LabelsError, labelsFor, parseLabels, type LabelChoice } from '../core/class-labels';
import { SafetensorsError } from '../core/safetensors';
import { formatShape, type Tensor } from '../core/tensor';
import { safetensorsWeights, type WeightSource } from '../core/weights';
import { analyze } from '../language/analyze';
import type { Span } from '../language/ast';
import { LineIndex } from '../language/line-index';
import { messages } from '../language/messages';
import { estimateRunMemory, formatMemory, RUN_MEMORY_LIMIT_BYTES } from '../language/run-memory';
import type { Analysis } from '../language/types';
import { isWithin, normalizePath, resolveWeightsPath } from '../language/weights-path';
import { FileReadError, readLimited } from './files';

export const RUN_USAGE = `  convlens run FILE [--image IMG] [--weights W.safetensors] [--out DIR] [--labels L] [--max-memory SIZE]
                                   run the model on an image (PNG/JPEG; default: seeded noise);
                                   write each layer's channel grid (PNG) and stats (JSON) to DIR;
                                   name the top-5 classes with L: imagenet, none, or a file
                                   (one name per line, or a JSON array); default: ImageNet
                                   names for a 1,000-class output, indices otherwise;
                                   refuse a run estimated to take more than SIZE (default 4G)`;

export interface RunIo {
  out(text: string): void;
  err(text: string): void;
}

/** What `run` borrows from the CLI's main module. */
export interface RunHelpers {
  readSpec(path: string, io: RunIo): string | null;
  formatDiagnostics(path: string, analysis: Analysis): string;
  displayPath(path: string): string;
}

interface RunArgs {
  readonly file: string;
  readonly image?: string;
  readonly weights?: string;
  readonly out?: string;
  readonly labels?: string;
  /** Bytes a run may take by the analysis's estimate. */
  readonly maxMemory: number;
}

/**
 * `--max-memory`: bytes, or a number with a binary unit: `4G`, `4GiB`, `512M`,
 * `1.5g`. Null when it is not one.
 */
export function parseByteSize(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?$/i.exec(text.trim());
  if (!m) return null;
  const power = m[2] ? 'kmgt'.indexOf(m[2].toLowerCase()) + 1 : 0;
  const bytes = Math.round(Number(m[1]) * 1024 ** power);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : null;
}

function parseArgs(args: readonly string[]): RunArgs | string {
  let file: string | undefined;
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--image' || a === '--weights' || a === '--out' || a === '--labels' || a === '--max-memory') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) return `${a} needs a value`;
      flags[a.slice(2)] = value;
    } else if (a.startsWith('-')) {
      return `unknown option '${a}'`;
    } else if (file === undefined) {
      file = a;
    } else {
      return 'give exactly one model file';
    }
  }
  if (file === undefined) return 'give a model file';
  const maxMemory = flags['max-memory'] === undefined ? RUN_MEMORY_LIMIT_BYTES : parseByteSize(flags['max-memory']);
  if (maxMemory === null) return `--max-memory takes a size such as 4G, 512M or 8GiB, not '${flags['max-memory']}'`;
  return { file, image: flags.image, weights: flags.weights, out: flags.out, labels: flags.labels, maxMemory };
}

/** Runs the command; resolves to the exit code (0 ok, 1 spec error or failed run, 2 usage or I/O error). */
export function runCommand(argv: readonly string[], io: RunIo, helpers: RunHelpers): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`convlens run: ${args}\nUsage:\n${RUN_USAGE}\n`);
    return 2;
  }
  const text = helpers.readSpec(args.file, io);
  if (text === null) return 2;
  const analysis = analyze(text);
  const lines = new LineIndex(analysis.text);
  const where = (span: Span | undefined) => {
    const p = lines.positionAt(span?.start ?? 0);
    return `${helpers.displayPath(args.file)}:${p.line + 1}:${p.character + 1}`;
  };
  io.err(helpers.formatDiagnostics(args.file, analysis));
  const specErrors = analysis.diagnostics.some((d) => d.severity === 'error');
  const model = analysis.model;
  if (!model || !model.inputShape) {
    io.err(`${where(model?.nameSpan)}: error[run-stopped]: the model has no input of known shape, so nothing can run\n`);
    return 1;
  }
  const graph: ModelGraph = { name: model.name, inputShape: model.inputShape, layers: analysis.layers };
  // Refused before anything is read or allocated: an over-large run would take minutes to die of heap exhaustion.
  if (analysis.peakMemoryBytes !== null && analysis.peakMemoryBytes > args.maxMemory) {
    const memory = estimateRunMemory(model.inputShape, analysis.layers);
    const layer = memory && memory.peakLayer >= 0 ? analysis.layers[memory.peakLayer] : undefined;
    io.err(
      `${where(layer?.span ?? model.nameSpan)}: error[run-memory]: the run would take about ${formatMemory(analysis.peakMemoryBytes)}${layer ? ` at \`${layer.name}\`` : ''} (float32 weights and activations), more than --max-memory ${formatMemory(args.maxMemory)}; give a larger --max-memory to run it anyway\n`,
    );
    return 1;
  }

  const weights = loadWeights(args, analysis, io, where);
  if (weights === 'error') return 1;
  const labelChoice = readLabelChoice(args.labels, io);
  if (labelChoice === 'error') return 2;
  if (args.labels !== undefined && model.outputShape?.length === 1 && !specErrors) {
    try {
      labelsFor(labelChoice, model.outputShape[0]);
    } catch (error) {
      if (!(error instanceof LabelsError)) throw error;
      io.err(`${args.labels}: error[labels]: ${error.message}\n`);
      return 2;
    }
  }

  let input: Tensor;
  if (args.image !== undefined) {
    if (model.inputShape.length !== 3) {
      io.err(`${where(model.nameSpan)}: error[run-input]: --image needs a C×H×W input; this model takes ${formatShape(model.inputShape)}\n`);
      return 2;
    }
    let bytes: Uint8Array;
    try {
      bytes = readLimited(args.image, 'image');
    } catch (error) {
      if (!(error instanceof FileReadError)) throw error;
      io.err(`${args.image}: error[io]: cannot read image: ${error.message}\n`);
      return 2;
    }
    try {
      input = imageToTensor(decodeImage(bytes), { shape: model.inputShape, normalize: model.normalize });
    } catch (error) {
      io.err(`${args.image}: error[image]: cannot decode: ${(error as Error).message}\n`);
      return 2;
    }
  } else {
    input = seededInput(model.name, model.inputShape, model.normalize);
    io.out(`No --image: the input is seeded noise in [0, 1)${model.normalize === 'imagenet' ? ', ImageNet-normalised' : ''}.\n`);
  }

  const outDir = args.out === undefined ? null : resolve(args.out);
  if (outDir) {
    try {
      makeOutputDirectory(outDir);
      if (input.shape.length === 3 && (input.shape[0] === 1 || input.shape[0] === 3)) writeFileSync(join(outDir, 'input.png'), encodePng(tensorToImage(denormalize(input, model.normalize))));
    } catch (error) {
      io.err(`${args.out}: error[io]: cannot write: ${(error as Error).message}\n`);
      return 2;
    }
  }

  io.out(`${model.name}: input ${formatShape(input.shape)}, weights ${weights.label}\n`);
  const steps = runModelSync(graph, input, { weights: weights.source });
  let summary: RunSummary;
  let sawNonFinite = false;
  let width = 5;
  for (const layer of analysis.layers) width = Math.max(width, layer.name.length);
  for (;;) {
    const step = steps.next();
    if (step.done) {
      summary = step.value;
      break;
    }
    const layer = step.value;
    const stats = layer.outputs.map(channelStats);
    let min = Infinity;
    let max = -Infinity;
    for (const channels of stats) {
      for (const s of channels) {
        min = Math.min(min, s.min);
        max = Math.max(max, s.max);
      }
    }
    const bad = countNonFinite(layer.outputs);
    const range = bad.nan > 0 && min > max ? 'min NaN  max NaN' : `min ${fmt(min)}  max ${fmt(max)}`;
    const counts = [bad.nan > 0 ? `${bad.nan.toLocaleString('en-US')} NaN` : '', bad.infinite > 0 ? `${bad.infinite.toLocaleString('en-US')} infinite` : ''].filter(Boolean).join(', ');
    io.out(`  ${layer.name.padEnd(width)}  ${layer.kind.padEnd(10)} ${layer.outputs.map((t) => formatShape(t.shape)).join(' + ').padEnd(14)} ${range}${counts ? `  (${counts})` : ''}\n`);
    if (counts && !sawNonFinite) {
      sawNonFinite = true;
      io.err(`${where(analysis.layers[layer.id]?.span)}: warning[run-non-finite]: the output of \`${layer.name}\` holds non-finite values (${counts}); the layers after it may too\n`);
    }
    if (outDir) writeLayer(outDir, layer, stats);
  }

  const classifier = summary.output && summary.output.shape.length === 1 && summary.output.data.length >= 2 ? summary.output.data : null;
  let topK: NamedClassScore[] | null = null;
  if (classifier) {
    let names: readonly string[] | null;
    try {
      names = labelsFor(labelChoice, classifier.length);
    } catch (error) {
      if (!(error instanceof LabelsError)) throw error;
      io.err(`${args.labels}: error[labels]: ${error.message}\n`);
      return 2;
    }
    const bad = countNonFinite([summary.output!]);
    if (bad.nan + bad.infinite > 0) {
      io.out('Top-5: none; the output holds non-finite values\n');
    } else {
      topK = topClasses(classifier, 5).map((c) => (names ? { ...c, label: names[c.index] } : c));
      io.out(`Top-${topK.length}: ${topK.map((c) => `class ${c.index}${c.label ? ` (${c.label})` : ''} ${(100 * c.probability).toFixed(1)}%`).join(', ')}\n`);
    }
  }
  if (outDir) {
    writeFileSync(join(outDir, 'output.json'), `${JSON.stringify(outputJson(model.name, summary, topK), null, 2)}\n`);
    io.out(`Wrote ${summary.layersRun} layer${summary.layersRun === 1 ? '' : 's'} to ${helpers.displayPath(outDir)}\n`);
  }
  if (summary.stop) reportStop(summary, analysis, io, where);
  return specErrors || summary.status !== 'complete' ? 1 : 0;
}

interface LoadedWeights {
  readonly source: WeightSource | undefined;
  readonly label: string;
}

function loadWeights(args: RunArgs, analysis: Analysis, io: RunIo, where: (span: Span | undefined) => string): LoadedWeights | 'error' {
  const declared = analysis.model?.weightsPath;
  if (args.weights === undefined && declared === undefined) return { source: undefined, label: initLabel(analysis) };
  const at = args.weights !== undefined ? `${args.weights}:1:1` : where(weightsStatementSpan(analysis));
  const file = args.weights !== undefined ? { path: args.weights } : declaredWeightsFile(args.file, declared as string);
  if ('refused' in file) {
    io.err(`${at}: error[weights]: ${declared}: ${file.refused}\n`);
    return 'error';
  }
  const path = file.path;
  let bytes: Uint8Array;
  try {
    bytes = readLimited(path, 'weights');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    io.err(`${at}: error[weights]: cannot read weights file ${path}: ${error.message}\n`);
    return 'error';
  }
  try {
    return { source: safetensorsWeights(bytes), label: path };
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    io.err(`${at}: error[weights]: ${path}: ${error.message}\n`);
    return 'error';
  }
}

/**
 * The spec's `weights` file by the language's rule (src/language/weights-path.ts),
 * inside the spec's folder or the working directory, checked again on the real
 * paths so a symlink cannot lead out. `--weights` is the way to name any file.
 */
function declaredWeightsFile(specFile: string, declared: string): { path: string } | { refused: string } {
  const roots = [dirname(resolve(specFile)), process.cwd()];
  const resolved = resolveWeightsPath(resolve(specFile), declared, { roots, rootsLabel: 'the model’s folder and the working directory' });
  if (!resolved.ok) return { refused: resolved.message };
  try {
    const real = realpathSync(resolved.path);
    if (!roots.some((root) => isWithin(normalizePath(realpathSync(root)), normalizePath(real)))) {
      return { refused: messages.weightsPathOutside('the model’s folder and the working directory') };
    }
  } catch {
    // Missing: reading it says so.
  }
  return { path: resolved.path };
}

/** What the run's weights are without a file: the seeded init, the spec's hand-set kernels, or both. */
function initLabel(analysis: Analysis): string {
  let withParams = 0;
  let handSet = 0;
  for (const layer of analysis.layers) {
    if (layer.params === 0) continue;
    withParams++;
    if (layer.args.weights !== undefined) handSet++;
  }
  const init = `seeded init (PyTorch defaults, seed "${analysis.model?.name}")`;
  if (withParams === 0) return 'none (no layer has parameters)';
  if (handSet === withParams) return 'set in the spec (hand-set kernels)';
  if (handSet > 0) return `${init}; ${handSet} layer${handSet === 1 ? '' : 's'} hand-set in the spec`;
  return init;
}

function weightsStatementSpan(analysis: Analysis): Span | undefined {
  for (const item of analysis.program.items) {
    if (item.kind !== 'model') continue;
    for (const statement of item.body.statements) if (statement.kind === 'weights') return statement.span;
  }
  return undefined;
}

function reportStop(summary: RunSummary, analysis: Analysis, io: RunIo, where: (span: Span | undefined) => string): void {
  const stop = summary.stop as StopReason;
  const layer = stop.layerId >= 0 ? analysis.layers[stop.layerId] : undefined;
  const code = summary.status === 'failed' ? 'run-failed' : 'run-stopped';
  const what = summary.status === 'failed' ? `\`${stop.layerName}\` could not run` : `stopped before \`${stop.layerName}\``;
  io.err(`${where(layer?.span ?? analysis.model?.nameSpan)}: error[${code}]: ${what} after ${summary.layersRun} layer${summary.layersRun === 1 ? '' : 's'}: ${stop.message}\n`);
}

function writeLayer(outDir: string, layer: LayerOutput, stats: ReturnType<typeof channelStats>[]): void {
  const base = join(outDir, `${String(layer.id).padStart(3, '0')}-${layer.name}`);
  layer.outputs.forEach((t, i) => {
    writeFileSync(`${base}${layer.outputs.length > 1 ? `.${i}` : ''}.png`, encodePng(featureGrid(t)));
  });
  const json = {
    id: layer.id,
    name: layer.name,
    kind: layer.kind,
    outputs: layer.outputs.map((t, i) => ({ shape: t.shape, channels: stats[i].map((s) => ({ min: s.min, max: s.max, mean: s.mean })) })),
  };
  writeFileSync(`${base}.json`, `${JSON.stringify(json)}\n`);
}

type NamedClassScore = ClassScore & { readonly label?: string };

/** `--labels`: `imagenet`, `none`, or a labels file; read before the run so a bad file fails fast. */
function readLabelChoice(value: string | undefined, io: RunIo): LabelChoice | 'error' {
  if (value === undefined) return { kind: 'auto' };
  if (value === 'imagenet' || value === 'none') return { kind: value };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readLimited(value, 'labels'));
  } catch (error) {
    const reason = error instanceof FileReadError && error.message === 'no such file' ? 'no such file (give imagenet, none, or a labels file)' : error instanceof TypeError ? 'not UTF-8 text' : (error as Error).message;
    io.err(`${value}: error[labels]: cannot read labels: ${reason}\n`);
    return 'error';
  }
  try {
    return { kind: 'list', labels: parseLabels(text), from: value };
  } catch (error) {
    if (!(error instanceof LabelsError)) throw error;
    io.err(`${value}:1:1: error[labels]: ${error.message}\n`);
    return 'error';
  }
}

function outputJson(model: string, summary: RunSummary, topK: NamedClassScore[] | null) {
  return {
    model,
    status: summary.status,
    layersRun: summary.layersRun,
    stop: summary.stop,
    output: summary.output ? { shape: summary.output.shape, values: Array.from(summary.output.data) } : null,
    top5: topK,
  };
}

/** Deterministic noise for models run without an image. */
function seededInput(name: string, shape: readonly number[], normalize: string | undefined): Tensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const random = new Random(`${name}/input`);
  for (let i = 0; i < data.length; i++) data[i] = random.next();
  const x = { shape: [...shape], data };
  return normalize === 'imagenet' && shape.length === 3 ? normalizeImageNet(x) : x;
}

/** Back to [0, 1] pixels for input.png. */
function denormalize(x: Tensor, normalize: string | undefined): Tensor {
  if (normalize !== 'imagenet') return x;
  const channels = x.shape[0];
  const plane = x.data.length / channels;
  const data = new Float32Array(x.data.length);
  for (let c = 0; c < channels; c++) {
    const m = channels === 1 ? 0.449 : IMAGENET_MEAN[c % 3];
    const s = channels === 1 ? 0.226 : IMAGENET_STD[c % 3];
    for (let i = c * plane; i < (c + 1) * plane; i++) data[i] = x.data[i] * s + m;
  }
  return { shape: x.shape, data };
}

/**
 * Creates the output directory and its missing parents one at a time.
 * `mkdirSync(…, { recursive: true })` is not used: on procfs (`--out /proc/x`)
 * it retries forever at full CPU. An existing path that is not a directory,
 * or a parent that cannot hold one, fails with the system's reason.
 */
function makeOutputDirectory(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    let isDirectory: boolean | null = null;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    if (isDirectory === false) throw new Error(`${at} exists and is not a directory`);
    if (isDirectory) break;
    if (dirname(at) === at) break;
    missing.push(at);
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (error) {
      // Created meanwhile by someone else is fine; anything else is the reason the run cannot write.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(missing[i]).isDirectory()) {
        throw new Error(`cannot create directory ${missing[i]}: ${(error as Error).message.replace(/^[A-Z]+: /, '')}`);
      }
    }
  }
}

function countNonFinite(tensors: readonly Tensor[]): { nan: number; infinite: number } {
  let nan = 0;
  let infinite = 0;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i];
      if (v !== v) nan++;
      else if (v === Infinity || v === -Infinity) infinite++;
    }
  }
  return { nan, infinite };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}
