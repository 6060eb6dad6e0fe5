/**
 * The interpreter behind `analyze()`: runs a parsed program's model body
 * statement by statement, resolving names, expanding blocks and repeats into
 * a flat layer graph and inferring every layer's shape, parameters, MACs and
 * receptive field, collecting diagnostics on the way. Everything a later
 * model statement reads is in its one `AnalyzerState` (analyzer-state.ts); between
 * top-level statements it calls one hook (`RunHooks`), through which the
 * incremental analysis (incremental/) keeps and reuses state.
 *
 * After an error a tensor's shape becomes unknown (`null`) and every rule
 * downstream stays silent about it, so one mistake gives one diagnostic.
 */
import { growFieldOfView, type FieldOfView } from '../core/geometry';
import { argLookup, argumentSpan, checkArgType, enumText, PADDING_EXPECTED, PADDING_WORDS } from './arguments';
import type { Argument, Body, BlockItem, Call, Expr, Identifier, ModelItem, Program, Span, Statement } from './ast';
import { closest, getLayerSpec, layerSpecs, type ArgSpec, type KnownShape, type LayerContext, type LayerResult, type LayerSpec } from './catalogue';
import { evaluate, FAILED, isIdent, isTensorHandle, smallInteger, type EvalScope, type EvalValue } from './evaluate';
import { LIMITS } from './limits';
import { ExpansionMemo, expansionKey, LayerMemo, literalArgsKey, type Expansion, type ExpansionOutput, type Inferred, type NestedCall, type ResolvedArgs } from './memo';
import { CODES, messages, type DiagnosticCode } from './messages';
import { checkRunMemory } from './run-memory';
import { callSummary, initialAnalyzerState, TensorRef, type AnalyzerState, type Binding, type SymbolRecord } from './analyzer-state';
import type { Analysis, Diagnostic, Layer, ModelSummary, RelatedInformation, Shape, SymbolInfo, Value } from './types';
import { weightsPathProblem } from './weights-path';

const NORMALIZE_WORDS: readonly string[] = ['imagenet', 'none'];

/** The spatial size of the made-up input `paramsWithoutInput` gives a rule: any window fits in it. */
const SIZE_FOR_PARAMS = 1 << 16;

/** `inputSlots` of most layers: one input, the first output of its producer. Shared, so never to be modified. */
const FIRST_SLOT: readonly number[] = Object.freeze([0]);

function firstOf(outputs: TensorRef | readonly TensorRef[]): TensorRef {
  return Array.isArray(outputs) ? outputs[0] : (outputs as TensorRef);
}

class Scope {
  constructor(
    readonly parent: Scope | null,
    readonly span: Span,
    readonly names: Map<string, Binding> = new Map(),
  ) {}

  find(name: string): Binding | undefined {
    for (let scope: Scope | null = this; scope; scope = scope.parent) {
      const binding = scope.names.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  *visibleNames(): Iterable<string> {
    for (let scope: Scope | null = this; scope; scope = scope.parent) yield* scope.names.keys();
  }
}

/** One model body or block expansion: where layers get their names. */
interface Frame {
  readonly prefix: string;
  /** `prefix` without its trailing dot: every layer of the frame gets it. */
  readonly scopePath: string;
  /** Per layer kind or block, the number of layers named after it so far (`conv1`…`convN`); `#label` counts a label's repeats. */
  readonly counters: Map<string, number>;
  /** Names given from labels, without the prefix. With `counters` they tell which names are taken (see `isNameTaken`). */
  readonly labels: Set<string>;
  readonly callStack: readonly Span[];
  readonly blockChain: readonly string[];
  /** A dry run checks names in code that did not run (uncalled blocks, untaken branches) without emitting layers. */
  readonly dry: boolean;
}

/** A block expansion being recorded: where the state stood when it started (see `Interpreter.finishRecording`). */
interface Recording {
  readonly frame: Frame;
  readonly layers: number;
  readonly tensors: number;
  readonly steps: number;
  readonly reports: number;
  readonly symbols: number;
  readonly calledBlocks: number;
  readonly dryRuns: number;
  /** The block calls inside, as `recordCall` got them. */
  readonly calls: NestedCall[];
}

/** Where parameter defaults are evaluated: they see no names. Never bound into. */
const NO_NAMES = new Scope(null, { start: 0, end: 0 });


/**
 * What a run of the model body calls back between statements. The analyzer
 * knows nothing of what the caller does there (src/language/incremental/
 * keeps checkpoints and reuses earlier analyses through it).
 */
export interface RunHooks {
  /**
   * Resume the model body, the program's last item, before its statement
   * `index`, with `state` (which the run modifies) as its run state. The
   * caller vouches that the program up to there is the one the state was
   * taken in, its spans moved where the model's moved.
   */
  readonly resume?: { readonly index: number; readonly state: AnalyzerState } | null;
  /**
   * Called before each top-level statement `index` of the first model's body
   * and after its last (`index` = the statement count), with the live state:
   * copy what you keep. Statements from `index` on are read only after the
   * call. When it returns an analysis, the run ends with it.
   */
  readonly betweenStatements?: ((index: number, state: AnalyzerState, model: ModelItem) => Analysis | null) | null;
}

/** What a run gives: its analysis and its final state (diagnostics in the order reported). */
export interface RunResult {
  readonly analysis: Analysis;
  readonly state: AnalyzerState;
}

/** Runs one program once; `run` gives its analysis and final state. */
export class Interpreter {
  /** Everything a later model statement can read (see analyzer-state.ts). */
  private readonly state: AnalyzerState;
  /** The syntax errors, reported before anything else. */
  private readonly syntaxErrors: Diagnostic[] = [];
  /** `code@start` of every diagnostic so far: one diagnostic per code and place. */
  private readonly reported = new Set<string>();
  private readonly blocks = new Map<string, BlockItem>();
  /** Work shared between identical layers (see memo.ts). */
  private readonly memo = new LayerMemo();
  /** Block expansions recorded for replay (see `callBlock`). */
  private readonly expansions = new ExpansionMemo();
  /** How many block calls were replayed rather than run (for tests). */
  replayed = 0;
  /** The expansions being recorded, innermost last. */
  private readonly recordings: Recording[] = [];
  /** While recording: each layer's shape rule result, by layer id. */
  private readonly layerResults = new Map<number, LayerResult | null>();
  /** Counts `report` calls, duplicates included, to tell whether some work reported anything. */
  private reportCount = 0;
  /**
   * The ids of the unnamed results the running statements (nested bodies
   * inside) should take, and whether a layer took each (see `runBody`).
   */
  private readonly watchedIds: number[] = [];
  private readonly watchedTaken: boolean[] = [];
  /** The tensor the running block call was called on: its body reaches it as `in`, so moving past it drops nothing. */
  private blockInput: TensorRef | null = null;

  constructor(
    private readonly text: string,
    private readonly program: Program,
    private readonly hooks: RunHooks,
    /** Off only to check that replaying changes nothing (test/language/memo.test.ts). */
    private readonly memoiseExpansions = true,
  ) {
    this.state = hooks.resume?.state ?? initialAnalyzerState();
  }

  run(): RunResult {
    for (const error of this.program.errors) this.reportSyntaxError(error.code, error.span, error.message);

    const models: ModelItem[] = [];
    const resume = this.hooks.resume;
    if (resume) {
      // The state holds what the items before the model reported and defined; it was taken after them.
      for (const diagnostic of this.state.diagnostics) this.reported.add(`${diagnostic.code}@${diagnostic.span.start}`);
      for (const item of this.program.items) {
        if (item.kind === 'model') models.push(item);
        else if (!this.blocks.has(item.name.name) && !getLayerSpec(item.name.name)) this.blocks.set(item.name.name, item);
      }
    }
    for (const item of resume ? [] : this.program.items) {
      if (item.kind === 'model') {
        // A nameless `model` already has its syntax error.
        if (models.length > 0 && item.name.name !== '') this.report('duplicate-model', item.name.span, messages.duplicateModel(item.name.name));
        models.push(item);
        this.defineSymbol(item.name, 'model', item.span);
      } else if (this.blocks.has(item.name.name)) {
        this.report('duplicate-block', item.name.span, messages.duplicateBlock(item.name.name));
      } else if (getLayerSpec(item.name.name)) {
        this.report('duplicate-block', item.name.span, messages.builtinBlockName(item.name.name));
      } else {
        this.blocks.set(item.name.name, item);
        this.defineSymbol(item.name, 'block', item.span);
      }
    }

    let model: ModelSummary | null = null;
    const modelItem = models[0];
    if (modelItem) {
      const ran = this.runModel(modelItem);
      if ('continued' in ran) return { analysis: ran.continued, state: this.state };
      model = ran;
    } else if (this.program.errors.length === 0 && this.text.trim().length > 0) {
      this.report('no-model', { start: 0, end: 0 }, messages.noModel());
    }

    for (const block of this.blocks.values()) {
      if (!this.state.calledBlocks.has(block.name.name)) this.dryRunBlock(block);
    }
    this.reportUnused();

    const symbols: SymbolInfo[] = [...this.state.symbols.values()].map((s) => ({
      name: s.name,
      kind: s.kind,
      definition: s.definition,
      references: [...s.references.values()],
      scope: s.scope,
      shape: s.shape,
    }));
    const layers = this.state.layers;
    const memory = checkRunMemory(model, layers);
    // Syntax errors first, then the rest in the order reported; the sort is stable.
    const diagnostics = this.syntaxErrors.concat(this.state.diagnostics);
    if (memory.diagnostic) diagnostics.push(memory.diagnostic);
    diagnostics.sort(byStart);
    const analysis: Analysis = {
      text: this.text,
      program: this.program,
      model,
      layers,
      diagnostics,
      symbols,
      calls: [...this.state.calls.values()].map(callSummary),
      peakMemoryBytes: memory.peakMemoryBytes,
    };
    return { analysis, state: this.state };
  }

  // ---- model and blocks ----

  /** The model's summary, or the analysis `betweenStatements` ended the run with. */
  private runModel(item: ModelItem): ModelSummary | { readonly continued: Analysis } {
    const state = this.state;
    const frame: Frame = { prefix: '', scopePath: '', counters: state.counters, labels: state.labels, callStack: [], blockChain: [], dry: false };
    const scope = new Scope(null, item.body.span, state.names);
    const from = this.hooks.resume?.index ?? 0;
    const between = this.hooks.betweenStatements;
    const statements = item.body.statements;
    const where = { isModel: true };
    for (let i = from; i <= statements.length; i++) {
      if (between) {
        const continued = between(i, state, item);
        if (continued) return { continued };
      }
      if (i === statements.length) break;
      state.current = this.runBody(item.body, frame, scope, state.current, where, i, i + 1);
    }
    if (!state.modelInput && !state.budgetExceeded) this.report('missing-input', item.name.span, messages.missingInput(item.name.name));
    const { weightsPath, normalize } = modelSettings(item);
    const output = state.current;
    return {
      name: item.name.name,
      nameSpan: item.name.span,
      span: item.span,
      inputName: state.modelInput?.label ?? '',
      inputShape: state.modelInput?.shape ?? null,
      outputShape: output?.shape ?? null,
      totalParams: state.totalParams,
      totalMacs: state.totalMacs,
      weightsPath,
      normalize,
    };
  }

  private dryRunBlock(block: BlockItem): void {
    const frame: Frame = { prefix: '', scopePath: '', counters: new Map(), labels: new Set(), callStack: [], blockChain: [block.name.name], dry: true };
    const scope = new Scope(null, block.body.span);
    for (const param of block.params) {
      const symbol = this.defineSymbol(param.name, 'parameter', block.body.span);
      scope.names.set(param.name.name, { kind: 'value', value: null, symbol });
      if (param.default) this.evaluateExpr(param.default, NO_NAMES);
    }
    const input = this.newTensor(null, -1, 0, null, 'in', block.name.span);
    scope.names.set('in', { kind: 'tensor', tensor: input, symbol: null });
    this.runBody(block.body, frame, scope, input, { isModel: false });
  }

  private callBlock(call: Call, block: BlockItem, frame: Frame, scope: Scope, source: TensorRef, label: string | undefined): TensorRef {
    this.state.calledBlocks.add(block.name.name);
    this.reference(block.name.name, call.callee.span);
    const unknownOut = () => this.newTensor(null, -1, 0, null, block.name.name, call.span);
    if (frame.blockChain.includes(block.name.name)) {
      this.report('recursive-block', call.callee.span, messages.recursiveBlock([...frame.blockChain, block.name.name]), frame);
      return unknownOut();
    }
    if (frame.callStack.length >= LIMITS.maxCallDepth) {
      this.report('limit-exceeded', call.callee.span, messages.depthExceeded(LIMITS.maxCallDepth), frame);
      return unknownOut();
    }

    const given = new Map<string, { value: EvalValue; span: Span }>();
    let positional = 0;
    let failed = false;
    for (const arg of call.args) {
      let param: string | undefined;
      if (arg.name) {
        param = block.params.find((p) => p.name.name === arg.name!.name)?.name.name;
        if (!param) {
          const suggestion = closest(arg.name.name, block.params.map((p) => p.name.name));
          this.report('unknown-argument', arg.name.span, messages.unknownArgument(block.name.name, arg.name.name, suggestion), frame, { suggestion });
          failed = true;
          continue;
        }
      } else {
        param = block.params[positional++]?.name.name;
        if (!param) {
          this.report('too-many-arguments', arg.span, messages.tooManyArguments(block.name.name, block.params.length), frame);
          failed = true;
          continue;
        }
      }
      const value = this.evaluateExpr(arg.value, scope, frame);
      if (value === FAILED) {
        failed = true;
        continue;
      }
      if (isIdent(value)) {
        this.reportUnknownName(value.ident, value.span, scope, frame);
        failed = true;
        continue;
      }
      given.set(param, { value, span: arg.value.span });
    }

    const scopePath = label ? this.labelName(frame, label) : this.layerName(frame, block.name.name);
    const blockFrame: Frame = {
      prefix: `${scopePath}.`,
      scopePath,
      counters: new Map(),
      labels: new Set(),
      callStack: [...frame.callStack, call.span],
      blockChain: [...frame.blockChain, block.name.name],
      dry: frame.dry || failed,
    };
    const values: EvalValue[] = [];
    const symbols: SymbolRecord[] = [];
    for (const param of block.params) {
      const symbol = this.defineSymbol(param.name, 'parameter', block.body.span);
      const arg = given.get(param.name.name);
      let value: EvalValue | undefined = arg?.value;
      if (value === undefined && param.default) {
        const v = this.evaluateExpr(param.default, NO_NAMES, blockFrame);
        value = v === FAILED || isIdent(v) ? null : v;
      }
      if (value === undefined) {
        this.report('missing-argument', call.callee.span, messages.missingArgument(block.name.name, param.name.name), frame);
        value = null;
        failed = true;
      }
      values.push(value);
      symbols.push(symbol);
    }

    // The model totals grow by exactly the layers this expansion adds.
    const paramsBefore = this.state.totalParams;
    const macsBefore = this.state.totalMacs;
    const key = this.memoiseExpansions && !failed && !frame.dry && source.shape !== null ? expansionKey(blockFrame.blockChain, source.shape, values, this.state.modelInput?.shape?.length ?? 0) : undefined;
    const known = key !== undefined ? this.expansions.get(block, key) : undefined;
    let output: TensorRef;
    if (known && this.state.steps + known.steps <= LIMITS.maxSteps && this.state.layers.length + known.layers.length <= LIMITS.maxLayers) {
      output = this.replayExpansion(known, blockFrame, source);
    } else {
      const inner = new Scope(null, block.body.span);
      inner.names.set('in', { kind: 'tensor', tensor: source, symbol: null });
      for (let i = 0; i < block.params.length; i++) {
        const value = values[i];
        const symbol = symbols[i];
        // Handles are the analyzer's own tensors (see `evaluateExpr`).
        if (isTensorHandle(value)) inner.names.set(block.params[i].name.name, { kind: 'tensor', tensor: value as TensorRef, symbol });
        else inner.names.set(block.params[i].name.name, { kind: 'value', value, symbol });
      }
      const recording = key !== undefined ? this.startRecording(blockFrame) : null;
      const outerInput = this.blockInput;
      this.blockInput = source;
      output = this.runBody(block.body, failed ? { ...blockFrame, dry: true } : blockFrame, inner, source, { isModel: false }) ?? source;
      this.blockInput = outerInput;
      if (recording) {
        this.recordings.pop();
        const expansion = this.finishRecording(recording, source, output);
        if (expansion) this.expansions.set(block, key!, expansion);
        if (this.recordings.length === 0) this.layerResults.clear();
      }
    }
    if (!frame.dry) this.recordCall(call, block, source.shape, output.shape, this.state.totalParams - paramsBefore, this.state.totalMacs - macsBefore);
    return output;
  }

  // ---- block expansions, recorded and replayed ----

  /** What is about to run for a block call whose expansion may be recorded (see `finishRecording`). */
  private startRecording(frame: Frame): Recording {
    const state = this.state;
    const recording: Recording = {
      frame,
      layers: state.layers.length,
      tensors: state.tensorCount,
      steps: state.steps,
      reports: this.reportCount,
      symbols: state.symbols.size,
      calledBlocks: state.calledBlocks.size,
      dryRuns: state.dryRunSpans.size,
      calls: [],
    };
    this.recordings.push(recording);
    return recording;
  }

  /**
   * The expansion that just ran, as a replay would make it again: only when
   * it reported nothing and changed nothing a later identical call would not
   * (the first call of a block defines its symbols and dry-runs its untaken
   * branches; a later one finds them done), so a replay adds exactly what
   * running it again would. Undefined when it cannot be replayed.
   */
  private finishRecording(recording: Recording, input: TensorRef, output: TensorRef): Expansion | undefined {
    const state = this.state;
    if (this.reportCount !== recording.reports || state.budgetExceeded) return undefined;
    if (state.symbols.size !== recording.symbols || state.calledBlocks.size !== recording.calledBlocks || state.dryRunSpans.size !== recording.dryRuns) return undefined;
    const base = recording.layers;
    const layers = state.layers.slice(base);
    const results: (LayerResult | null)[] = [];
    const inputFrom: number[][] = [];
    const recordedPath = recording.frame.scopePath;
    const nameSuffixes: string[] = [];
    const scopeSuffixes: string[] = [];
    let takesInput = false;
    for (let k = 0; k < layers.length; k++) {
      const layer = layers[k];
      nameSuffixes.push(layer.name.slice(recordedPath.length));
      scopeSuffixes.push(layer.scopePath.slice(recordedPath.length));
      const from: number[] = [];
      for (let i = 0; i < layer.inputs.length; i++) {
        const producer = layer.inputs[i];
        if (producer >= base) {
          from.push(producer - base);
        } else if (producer === input.producer && layer.inputSlots[i] === input.slot && layer.inputShapes[i] !== null) {
          // Inside a block only `in` (or a name for it) comes from outside: blocks see no outer names, and tensor arguments are not replayed.
          from.push(-1);
          takesInput = true;
        } else {
          return undefined;
        }
      }
      inputFrom.push(from);
      results.push(this.layerResults.get(base + k) ?? null);
    }
    let result: ExpansionOutput | null = null;
    if (output !== input) {
      if (output.id < recording.tensors || output.shape === null || output.producer < base) return undefined;
      const original = output.original;
      // The field is the producing layer's, grown again on replay.
      if ((output.field?.receptiveField ?? null) !== layers[output.producer - base].receptiveField) return undefined;
      result = {
        id: output.id - recording.tensors,
        layer: output.producer - base,
        slot: output.slot,
        shape: output.shape,
        label: output.label,
        origin: output.origin,
        resultOf: output.resultOf,
        original: original === output ? null : { label: original.label, origin: original.origin, resultOf: original.resultOf },
      };
    }
    return {
      layers,
      results,
      inputFrom,
      callDepth: recording.frame.callStack.length,
      scopePath: recordedPath,
      nameSuffixes,
      scopeSuffixes,
      steps: state.steps - recording.steps,
      tensors: state.tensorCount - recording.tensors,
      takesInput,
      calls: recording.calls,
      output: result,
    };
  }

  /** Adds what running the recorded expansion again for `frame` on `input` would add, and gives its result. */
  private replayExpansion(expansion: Expansion, frame: Frame, input: TensorRef): TensorRef {
    this.replayed++;
    const state = this.state;
    if (expansion.takesInput && this.watchedIds.length > 0) this.markTaken(input);
    const base = state.layers.length;
    const tensorBase = state.tensorCount;
    const fields: (FieldOfView | null)[] = [];
    // The recorded call stacks of the calls inside, each now the caller's followed by them.
    let stacks: Map<readonly Span[], readonly Span[]> | null = null;
    const scopePath = frame.scopePath;
    const depth = expansion.callDepth;
    const { nameSuffixes, scopeSuffixes } = expansion;
    // This runs for every layer of every replayed call: no closures, and no array the layer does not keep.
    for (let k = 0; k < expansion.layers.length; k++) {
      const was = expansion.layers[k];
      const from = expansion.inputFrom[k];
      const result = expansion.results[k];
      const first = from[0] < 0 ? input.field : fields[from[0]];
      let inputs: number[];
      let inputSlots: readonly number[];
      let field: FieldOfView | null;
      if (from.length === 1) {
        // Built at their exact length, as `runLayer` builds them.
        inputs = [from[0] < 0 ? input.producer : base + from[0]];
        const slot = from[0] < 0 ? input.slot : was.inputSlots[0];
        inputSlots = slot === 0 ? FIRST_SLOT : [slot];
        field = result ? this.nextField(result, first, null) : null;
      } else {
        inputs = new Array<number>(from.length);
        const slots = new Array<number>(from.length);
        const merged = new Array<FieldOfView | null>(from.length);
        for (let i = 0; i < from.length; i++) {
          const j = from[i];
          inputs[i] = j < 0 ? input.producer : base + j;
          slots[i] = j < 0 ? input.slot : was.inputSlots[i];
          merged[i] = j < 0 ? input.field : fields[j];
        }
        inputSlots = slots;
        field = result ? this.nextField(result, first, merged) : null;
      }
      fields.push(field);
      let callStack = frame.callStack;
      if (was.callStack.length !== depth) {
        stacks ??= new Map();
        callStack = stacks.get(was.callStack) ?? frame.callStack.concat(was.callStack.slice(depth));
        stacks.set(was.callStack, callStack);
      }
      // Every key, so that a field added to layers and not here does not compile.
      const layer: { [K in keyof Required<Layer>]: Layer[K] } = {
        id: base + k,
        name: scopePath + nameSuffixes[k],
        kind: was.kind,
        op: was.op,
        span: was.span,
        callStack,
        inputs,
        inputSlots,
        inputShapes: was.inputShapes,
        outputShape: was.outputShape,
        outputShapes: was.outputShapes,
        args: was.args,
        params: was.params,
        paramsUnknown: was.paramsUnknown,
        macs: was.macs,
        activations: was.activations,
        receptiveField: field?.receptiveField ?? null,
        jump: field?.jump ?? null,
        window: was.window,
        transposed: was.transposed,
        scopePath: scopeSuffixes[k] === '' ? scopePath : scopePath + scopeSuffixes[k],
      };
      state.layers.push(layer);
      state.totalParams += layer.params;
      state.totalMacs += layer.macs;
      if (this.recordings.length > 0) this.layerResults.set(layer.id, result);
    }
    state.steps += expansion.steps;
    state.tensorCount += expansion.tensors;
    for (const nested of expansion.calls) this.recordCall(nested.call, nested.block, nested.inputShape, nested.outputShape, nested.params, nested.macs);
    const out = expansion.output;
    if (!out) return input;
    const field = fields[out.layer];
    const original = out.original;
    let tensor = new TensorRef(tensorBase + out.id, out.shape, base + out.layer, out.slot, field, original ? original.label : out.label, original ? original.origin : out.origin);
    if (original) {
      tensor.resultOf = original.resultOf;
      tensor = tensor.renamed(out.label, out.origin);
    }
    tensor.resultOf = out.resultOf;
    return tensor;
  }

  private recordCall(call: Call, block: BlockItem, inputShape: Shape, outputShape: Shape, params: number, macs: number): void {
    for (let r = 0; r < this.recordings.length; r++) this.recordings[r].calls.push({ call, block, inputShape, outputShape, params, macs });
    const existing = this.state.calls.get(call.span.start);
    if (existing) {
      // Most call sites run once; only those that run again keep a list.
      if (existing.count++ < LIMITS.expansionsRecorded) (existing.more ??= []).push({ inputShape, outputShape, params, macs });
      return;
    }
    this.state.calls.set(call.span.start, { first: { span: call.span, block: block.name.name, inputShape, outputShape, params, macs }, count: 1, more: null });
  }

  // ---- statements ----

  /** Runs the body's statements (those from `from` up to `to` only, when given). */
  private runBody(body: Body, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }, from = 0, to = body.statements.length): TensorRef | null {
    const statements = body.statements;
    for (let i = from; i < to; i++) {
      if (this.state.budgetExceeded) return current;
      if (++this.state.steps > LIMITS.maxSteps) {
        this.state.budgetExceeded = true;
        this.report('limit-exceeded', statements[i].span, messages.tooMuchWork(LIMITS.maxSteps), frame);
        return current;
      }
      const before = current;
      const watch = before !== null && before.resultOf !== null && before !== this.blockInput && !frame.dry;
      if (!watch) {
        current = this.runStatement(statements[i], frame, scope, current, where, i === statements.length - 1);
        continue;
      }
      const depth = this.watchedIds.length;
      this.watchedIds.push(before.id);
      this.watchedTaken.push(false);
      current = this.runStatement(statements[i], frame, scope, current, where, i === statements.length - 1);
      const taken = this.watchedTaken[depth];
      this.watchedIds.length = depth;
      this.watchedTaken.length = depth;
      // Dropped: the statement moved on to another tensor without taking it. After an error (unknown shape) stay silent.
      if (!taken && current !== before && current !== null && current.shape !== null && current.id !== before.id) {
        this.report('unused-branch', before.resultOf!, messages.unusedBranch(before.label, before.shape), frame);
      }
    }
    return current;
  }

  private runStatement(statement: Statement, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }, isLast: boolean): TensorRef | null {
    switch (statement.kind) {
      case 'input':
        return this.runInput(statement, frame, scope, current, where);
      case 'weights':
        if (!where.isModel) this.report('misplaced-statement', statement.span, messages.misplaced('weights', 'in the model, not in a block'), frame);
        else if (statement.path.kind === 'string') {
          const problem = weightsPathProblem(statement.path.value);
          if (problem) this.report('weights-path', statement.path.span, problem.message, frame);
        }
        return current;
      case 'let': {
        const value = this.evaluateExpr(statement.value, scope, frame);
        const symbol = this.defineSymbol(statement.name, 'let', scope.span);
        this.bind(scope, statement.name, { kind: 'value', value: value === FAILED || isIdent(value) ? null : value, symbol }, frame);
        if (isIdent(value)) this.reportUnknownName(value.ident, value.span, scope, frame);
        return current;
      }
      case 'repeat':
        return this.runRepeat(statement, frame, scope, current, where);
      case 'if':
        return this.runIf(statement, frame, scope, current, where);
      case 'layer':
        return this.runLayerStatement(statement, frame, scope, current, isLast);
    }
  }

  private runInput(statement: Extract<Statement, { kind: 'input' }>, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }): TensorRef | null {
    if (!where.isModel) {
      this.report('misplaced-statement', statement.span, messages.misplaced('input', 'in the model; inside a block, `in` is the block’s input'), frame);
      return current;
    }
    if (this.state.modelInput) {
      this.report('duplicate-input', statement.span, messages.duplicateInput(), frame);
      return current;
    }
    for (const arg of statement.args) {
      const key = arg.name?.name;
      if (key !== 'normalize') {
        const suggestion = key ? closest(key, ['normalize']) : undefined;
        this.report('unknown-argument', (arg.name ?? arg).span, messages.unknownArgument('input', key ?? 'positional', suggestion), frame, { suggestion });
      } else if (arg.value.kind !== 'name' || !NORMALIZE_WORDS.includes(arg.value.name)) {
        const suggestion = arg.value.kind === 'name' ? closest(arg.value.name, NORMALIZE_WORDS) : undefined;
        this.report('invalid-argument', arg.value.span, messages.invalidArgument('input', 'normalize', '`imagenet` or `none`', suggestion), frame, { suggestion });
      }
    }
    const value = this.evaluateExpr(statement.shape, scope, frame);
    const shape = value === FAILED ? null : this.checkInputShape(value, statement.shape.span, frame);
    const spatial = shape ? shape.length - 1 : 0;
    const field: FieldOfView | null = shape ? { receptiveField: Array(spatial).fill(1), jump: Array(spatial).fill(1) } : null;
    const input = this.newTensor(shape, -1, 0, field, statement.name.name, statement.name.span);
    this.state.modelInput = input;
    const symbol = this.defineSymbol(statement.name, 'input', scope.span);
    symbol.shape = shape;
    symbol.isResult = true;
    this.bind(scope, statement.name, { kind: 'tensor', tensor: input, symbol }, frame);
    return input;
  }

  private checkInputShape(value: EvalValue, span: Span, frame: Frame): number[] | null {
    const dims = Array.isArray(value) ? value : [value];
    if (dims.length < 2 || dims.length > 4) {
      this.report('invalid-input', span, messages.invalidInputShape(`must be C×L, C×H×W or C×D×H×W, not ${dims.length} number${dims.length === 1 ? '' : 's'}`), frame);
      return null;
    }
    if (!dims.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 1)) {
      this.report('invalid-input', span, messages.invalidInputShape('sizes must be whole numbers ≥ 1'), frame);
      return null;
    }
    const numel = dims.reduce((a, b) => a * b, 1);
    if (numel > LIMITS.maxElements) {
      this.report('limit-exceeded', span, messages.sizeTooLarge(dims, LIMITS.maxElements.toLocaleString('en-US')), frame);
      return null;
    }
    return dims;
  }

  private runRepeat(statement: Extract<Statement, { kind: 'repeat' }>, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }): TensorRef | null {
    const count = this.evaluateExpr(statement.count, scope, frame);
    let n: number;
    if (count === null || count === FAILED) {
      n = 1;
      frame = count === null ? frame : { ...frame, dry: true };
    } else if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      this.report('invalid-argument', statement.count.span, messages.invalidArgument('repeat', 'count', 'a whole number ≥ 0'), frame);
      n = 1;
      frame = { ...frame, dry: true };
    } else if (count > LIMITS.maxRepeat) {
      this.report('limit-exceeded', statement.count.span, messages.repeatTooLarge(count, LIMITS.maxRepeat), frame);
      n = 1;
      frame = { ...frame, dry: true };
    } else {
      n = count;
    }
    if (n === 0) this.dryRun(statement.body, frame, scope, current, where);
    for (let i = 0; i < n && !this.state.budgetExceeded; i++) {
      if (statement.body.statements.length === 0 && ++this.state.steps > LIMITS.maxSteps) break;
      const inner = new Scope(scope, statement.body.span);
      if (statement.index) {
        const symbol = this.defineSymbol(statement.index, 'let', statement.body.span);
        inner.names.set(statement.index.name, { kind: 'value', value: frame.dry ? null : i, symbol });
      }
      current = this.runBody(statement.body, frame, inner, current, where);
    }
    return current;
  }

  private runIf(statement: Extract<Statement, { kind: 'if' }>, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }): TensorRef | null {
    const condition = this.evaluateExpr(statement.condition, scope, frame);
    let taken: boolean | null;
    if (condition === FAILED || condition === null || isIdent(condition)) {
      if (isIdent(condition)) this.reportUnknownName(condition.ident, condition.span, scope, frame);
      taken = null;
    } else if (typeof condition === 'boolean') {
      taken = condition;
    } else if (typeof condition === 'number') {
      taken = condition !== 0;
    } else {
      this.report('invalid-argument', statement.condition.span, messages.invalidArgument('if', 'condition', 'true or false'), frame);
      taken = null;
    }
    if (taken === null) {
      // Unknown condition (a dry run, or an error): check both branches, emit neither.
      this.dryRun(statement.then, frame, scope, current, where);
      if (statement.else) this.dryRun(statement.else, frame, scope, current, where);
      return frame.dry ? current : this.unknownTensor(statement.span);
    }
    const branch = taken ? statement.then : statement.else;
    const other = taken ? statement.else : statement.then;
    if (other) this.dryRun(other, frame, scope, current, where);
    return branch ? this.runBody(branch, frame, new Scope(scope, branch.span), current, where) : current;
  }

  /** Checks names in code that does not run here, once per body. */
  private dryRun(body: Body, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }): void {
    if (this.state.dryRunSpans.has(body.span.start)) return;
    this.state.dryRunSpans.add(body.span.start);
    const unknownCurrent = current ? this.newTensor(null, current.producer, current.slot, null, current.label, current.origin) : null;
    this.runBody(body, { ...frame, dry: true, counters: new Map(frame.counters), labels: new Set() }, new Scope(scope, body.span), unknownCurrent, where);
  }

  private runLayerStatement(statement: Extract<Statement, { kind: 'layer' }>, frame: Frame, scope: Scope, current: TensorRef | null, isLast: boolean): TensorRef | null {
    const tensorsBefore = this.state.tensorCount;
    const stages = statement.stages;
    // A bare name at the head of a pipeline may be a tensor to start from (`x | conv 64`); then calls start at 1.
    let first = 0;
    let source = current;
    const head = stages[0];
    if (head && !head.parenthesized && head.args.length === 0) {
      const binding = scope.find(head.callee.name);
      if (binding) {
        this.reference(head.callee.name, head.callee.span, binding.symbol);
        if (binding.kind === 'tensor') {
          source = binding.tensor;
          first = 1;
        } else {
          this.report('not-a-tensor', head.callee.span, messages.notATensor(head.callee.name), frame);
          return this.unknownTensor(head.span);
        }
      }
    }
    // Without an input the model reports missing-input once, at its end.
    if (!source) source = this.unknownTensor(statement.span);

    const targets = statement.targets;
    // The last call's result: one tensor, or (split and chunk) a list of them.
    let outputs: TensorRef | TensorRef[] | null = null;
    for (let i = first; i < stages.length; i++) {
      const call = stages[i];
      // A label names the first layer; a single bound name also names a block call (`enc1 = double(16)`).
      let label: string | undefined;
      if (i === first && statement.label) label = statement.label.name;
      else if (i === stages.length - 1 && targets.length === 1 && !getLayerSpec(call.callee.name) && this.blocks.has(call.callee.name)) label = targets[0].name;
      outputs = this.runCall(call, frame, scope, outputs ? firstOf(outputs) : source, label);
      if (this.state.budgetExceeded) return firstOf(outputs);
    }

    if (targets.length > 0) {
      const wanted = targets.length;
      const produced = Array.isArray(outputs) ? outputs : [outputs ?? source];
      const mismatch = wanted > 1 && produced.length !== wanted;
      if (mismatch && produced[0].shape !== null) this.report('arity-mismatch', targets[0].span, messages.arityMismatch(wanted, produced.length), frame);
      let result: TensorRef | null = null;
      for (let i = 0; i < wanted; i++) {
        const target = targets[i];
        const tensor = mismatch ? this.unknownTensor(target.span).renamed(target.name, target.span) : produced[wanted === 1 ? 0 : i].renamed(target.name, target.span);
        const symbol = this.defineSymbol(target, 'tensor', scope.span);
        if (symbol.shape === undefined && !frame.dry) symbol.shape = tensor.shape;
        if (isLast) symbol.isResult = true;
        this.bind(scope, target, { kind: 'tensor', tensor, symbol }, frame);
        // The statement's result is the first target.
        if (i === 0) result = tensor;
      }
      return result;
    }
    if (statement.label) {
      const symbol = this.state.symbols.get(statement.label.span.start);
      if (!symbol) this.defineLabel(statement.label, scope);
    }
    const result = outputs ? firstOf(outputs) : source;
    // An unnamed result made here, with a known shape, is for the next statement to take.
    if (!frame.dry && result.id >= tensorsBefore && result.shape !== null) result.resultOf = statement.span;
    return result;
  }

  /** The call's result: its one tensor, or the list a layer with several outputs gives (not made for one, on the per-layer path). */
  private runCall(call: Call, frame: Frame, scope: Scope, source: TensorRef, label: string | undefined): TensorRef | TensorRef[] {
    const name = call.callee.name;
    const spec = getLayerSpec(name);
    if (spec) return this.runLayer(call, spec, frame, scope, source, label);
    const block = this.blocks.get(name);
    if (block) return this.callBlock(call, block, frame, scope, source, label);
    const binding = scope.find(name);
    if (binding) {
      this.reference(name, call.callee.span, binding.symbol);
      if (binding.kind === 'tensor') this.report('not-a-layer', call.callee.span, messages.notALayer(name), frame);
      else this.report('unknown-layer', call.callee.span, messages.unknownLayer(name), frame);
      return this.unknownTensor(call.span);
    }
    const suggestion = closest(name, [...layerSpecs().map((s) => s.kind), ...this.blocks.keys()]);
    this.report('unknown-layer', call.callee.span, messages.unknownLayer(name, suggestion), frame, { suggestion });
    return this.unknownTensor(call.span);
  }

  // ---- layers ----

  private runLayer(call: Call, spec: LayerSpec, frame: Frame, scope: Scope, source: TensorRef, label: string | undefined): TensorRef | TensorRef[] {
    const resolved = this.resolveArgs(call, spec, frame, scope, source);
    // A merge's tensors come from its arguments; every other layer takes the current tensor.
    const merged = resolved.tensors;
    if (this.watchedIds.length > 0) this.markTaken(merged ?? source);
    let inputShapes: readonly Shape[];
    let result: LayerResult | null = null;
    if (resolved.shared && !merged && source.shape !== null && !frame.dry) {
      ({ inputShapes, result } = this.inferShared(call, spec, frame, resolved, source));
    } else {
      const inputs = merged ?? [source];
      // Arrays that end up in the layer are built at their exact length (`map`): a `push` onto `[]` reserves 17 slots.
      inputShapes = inputs.map((t) => t.shape);
      let known = true;
      for (let i = 0; i < inputShapes.length; i++) if (inputShapes[i] === null) known = false;
      if (resolved.ok && known && !frame.dry) {
        result = this.inferLayer(call, spec, frame, resolved, inputs, inputShapes as KnownShape[]);
      }
    }
    // Named even in a dry run: the counters it advances are shared with the frame that runs.
    const name = label ? this.labelName(frame, label) : this.layerName(frame, spec.kind);
    if (frame.dry) return this.newTensor(null, -1, 0, null, spec.kind, call.span);
    const field = result ? this.nextField(result, merged ? merged[0].field : source.field, merged && merged.length > 1 ? merged.map((t) => t.field) : null) : null;

    const id = this.state.layers.length;
    if (id >= LIMITS.maxLayers) {
      this.state.budgetExceeded = true;
      this.report('limit-exceeded', call.span, messages.tooManyLayers(LIMITS.maxLayers), frame);
      return this.unknownTensor(call.span);
    }
    // Only split and chunk give several tensors.
    const outputShapes: Shape[] | undefined = result?.outputs ? [...result.outputs] : undefined;
    const outputShape = outputShapes ? outputShapes[0] : (result?.output ?? null);
    // Shared results share their geometry too: it is never modified.
    const windowField = result !== null && outputShape !== null && result.field.kind === 'window' ? result.field : undefined;
    let activations = 0;
    if (outputShapes) {
      for (const shape of outputShapes) activations += numel(shape);
    } else {
      activations = numel(outputShape);
    }
    // Past an error the input is unknown, but a layer's parameters may not depend on it (see `paramsWithoutInput`).
    // A rule that reported an error gives no output; its parameters are then unknown too.
    let paramsKnown = !spec.paramFormula || (result !== null && result.output !== null);
    let params = paramsKnown ? (result?.params ?? 0) : 0;
    if (!paramsKnown && resolved.ok && inputShapes.some((shape) => shape === null)) {
      const withoutInput = this.paramsWithoutInput(spec, resolved.values);
      if (withoutInput !== null) {
        params = withoutInput;
        paramsKnown = true;
      }
    }
    const layer: Layer = {
      id,
      name,
      kind: spec.kind,
      op: spec,
      span: call.span,
      callStack: frame.callStack,
      inputs: merged ? merged.map((t) => t.producer) : [source.producer],
      inputSlots: merged ? merged.map((t) => t.slot) : source.slot === 0 ? FIRST_SLOT : [source.slot],
      inputShapes,
      outputShape,
      outputShapes,
      args: resolved.values,
      params,
      paramsUnknown: paramsKnown ? undefined : true,
      macs: result?.macs ?? 0,
      activations,
      receptiveField: field?.receptiveField ?? null,
      jump: field?.jump ?? null,
      window: windowField?.geometry,
      transposed: windowField?.transposed || undefined,
      scopePath: frame.scopePath,
    };
    this.state.layers.push(layer);
    this.state.totalParams += layer.params;
    this.state.totalMacs += layer.macs;
    if (this.recordings.length > 0) this.layerResults.set(id, result);
    const tensorLabel = label ?? spec.kind;
    if (!outputShapes) return this.newTensor(outputShape, id, 0, field, tensorLabel, call.span);
    return outputShapes.map((shape, slot) => this.newTensor(shape, id, slot, field, tensorLabel, call.span));
  }

  /** Marks the watched results among a layer's inputs as taken (see `runBody`). */
  private markTaken(inputs: TensorRef | readonly TensorRef[]): void {
    // One input (most layers) is passed as itself, not in an array made for this.
    if (!Array.isArray(inputs)) {
      const id = (inputs as TensorRef).id;
      for (let w = 0; w < this.watchedIds.length; w++) if (id === this.watchedIds[w]) this.watchedTaken[w] = true;
      return;
    }
    for (let w = 0; w < this.watchedIds.length; w++) {
      for (let i = 0; i < inputs.length; i++) if (inputs[i].id === this.watchedIds[w]) this.watchedTaken[w] = true;
    }
  }

  /**
   * The parameters of a layer whose input is unknown, where they follow from
   * its arguments: a conv or linear that declares its input size (`in=`), a
   * norm its channels (`c=`). The rule runs on a made-up input of that size
   * (spatial sizes large enough for any window), reporting nothing; null
   * when they cannot be known.
   */
  private paramsWithoutInput(spec: LayerSpec, values: Readonly<Record<string, Value>>): number | null {
    const declared = values.in ?? values.c;
    if (typeof declared !== 'number') return null;
    const rank = spec.category === 'linear' ? 1 : (spec.rank ?? this.state.modelInput?.shape?.length);
    if (!rank) return null;
    const input: number[] = [declared];
    for (let i = 1; i < rank; i++) input.push(SIZE_FOR_PARAMS);
    let failed = false;
    const context: LayerContext = {
      kind: spec.kind,
      input,
      inputs: [input],
      inputNames: ['?'],
      args: values,
      report: (code) => {
        if (CODES[code] === 'error') failed = true;
      },
    };
    const result = spec.infer(context);
    return failed || result.output === null ? null : result.params;
  }

  /** `inferLayer` for a single input and a shared argument record, run once per input shape when it reports nothing. */
  private inferShared(call: Call, spec: LayerSpec, frame: Frame, resolved: ResolvedArgs, input: TensorRef): Inferred {
    const known = this.memo.inferredFor(resolved.values, input.shape!);
    if (known) return known;
    const canonical = this.memo.canonicalShape(input.shape!);
    const reportsBefore = this.reportCount;
    const inputShapes = [canonical];
    const result = this.inferLayer(call, spec, frame, resolved, [input], inputShapes);
    if (this.reportCount !== reportsBefore || !result) return { inputShapes, result };
    return this.memo.remember(resolved.values, canonical, inputShapes, result);
  }

  private inferLayer(call: Call, spec: LayerSpec, frame: Frame, resolved: ResolvedArgs, inputs: readonly TensorRef[], shapes: KnownShape[]): LayerResult | null {
    const input = shapes[0];
    if ((spec.rank !== undefined && input.length !== spec.rank) || (spec.minRank !== undefined && input.length < spec.minRank)) {
      const expected = spec.rank !== undefined ? rankLabel(spec.rank) : 'spatial (C×L, C×H×W or C×D×H×W)';
      this.report('rank-mismatch', call.callee.span, messages.rankMismatch(spec.kind, expected, input), frame, { related: inputs.map((t) => this.origin(t)) });
      return null;
    }
    const result = spec.infer(new InferenceContext(this, call, spec, frame, resolved.values, inputs, shapes));
    if (result.output && numel(result.output) > LIMITS.maxElements) {
      this.report('limit-exceeded', call.span, messages.sizeTooLarge(result.output, LIMITS.maxElements.toLocaleString('en-US')), frame);
      return { ...result, output: null, outputs: undefined };
    }
    return result;
  }

  /** Reports a problem a layer's shape rule found, at the named argument when given (called by `InferenceContext`). */
  reportInference(code: DiagnosticCode, message: string, at: string | undefined, call: Call, spec: LayerSpec, frame: Frame, inputs: readonly TensorRef[]): void {
    const related = code === 'channel-mismatch' || code === 'shape-mismatch' || code === 'concat-mismatch' || code === 'linear-needs-flat' ? inputs.map((t) => this.origin(t)) : undefined;
    this.report(code, (at && argumentSpan(call, spec, at)) || call.callee.span, message, frame, { related });
  }

  /** The receptive field after a layer, from its first input's field and a merge's inputs' fields (null for one input). */
  private nextField(result: LayerResult, first: FieldOfView | null, merged: readonly (FieldOfView | null)[] | null): FieldOfView | null {
    if (!result.output || !first) return null;
    switch (result.field.kind) {
      case 'none':
        return null;
      case 'same':
        return merged && merged.length > 1 ? mergedField(first, merged) : first;
      case 'upsample': {
        const factor = result.field.factor;
        return { receptiveField: first.receptiveField, jump: first.jump.map((j, i) => j / factor[i]) };
      }
      case 'window':
        return growFieldOfView(first, result.field.geometry, result.field.transposed);
    }
  }

  private resolveArgs(call: Call, spec: LayerSpec, frame: Frame, scope: Scope, source: TensorRef): ResolvedArgs {
    // Arguments without names evaluate the same wherever they appear, and a record is only
    // shared after resolving without a report: a hit can skip resolving altogether.
    const textKey = literalArgsKey(this.text, call, spec);
    if (textKey !== undefined && spec.inputs === 'one') {
      const known = this.memo.knownArgs(spec, textKey);
      if (known) return known;
    }
    const lookup = argLookup(spec);
    const values: Record<string, Value> = {};
    // Tensor arguments, for merges.
    const tensors: TensorRef[] = [];
    let ok = true;
    let positionalUsed = false;
    // Bit i is set once spec.args[i] has been given.
    let given = 0;
    // Indexed loops on the per-layer path: `for…of` over the parser's mix of array kinds kept allocating iterators.
    for (let a = 0; a < call.args.length; a++) {
      const arg = call.args[a];
      if (!arg.name && spec.inputs === 'many') {
        const tensor = this.tensorArgument(arg, frame, scope);
        if (tensor) tensors.push(tensor);
        else ok = false;
        continue;
      }
      let index: number;
      if (arg.name) {
        index = lookup.byName.get(arg.name.name) ?? -1;
        if (index < 0) {
          const suggestion = closest(arg.name.name, spec.args.map((a) => a.name));
          this.report('unknown-argument', arg.name.span, messages.unknownArgument(spec.kind, arg.name.name, suggestion), frame, { suggestion });
          ok = false;
          continue;
        }
      } else {
        index = positionalUsed ? -1 : lookup.positional;
        positionalUsed = true;
        if (index < 0) {
          const max = lookup.positional >= 0 ? 1 : 0;
          this.report('too-many-arguments', arg.span, messages.tooManyArguments(spec.kind, max), frame);
          ok = false;
          continue;
        }
      }
      const argSpec = spec.args[index];
      if (given & (1 << index)) {
        this.report('duplicate-argument', (arg.name ?? arg).span, messages.duplicateArgument(argSpec.name), frame);
        ok = false;
        continue;
      }
      given |= 1 << index;
      const value = this.coerce(argSpec, spec, arg, frame, scope);
      if (value === FAILED || value === null) ok = false;
      else values[argSpec.name] = value;
    }
    if (spec.inputs === 'many' && tensors.length < 2) tensors.unshift(source);
    for (let i = 0; i < spec.args.length; i++) {
      if (given & (1 << i)) continue;
      const argSpec = spec.args[i];
      if (argSpec.required) {
        this.report('missing-argument', call.callee.span, messages.missingArgument(spec.kind, argSpec.name), frame);
        ok = false;
      } else if (lookup.defaults[i] !== undefined) {
        values[argSpec.name] = lookup.defaults[i]!;
      }
    }
    const merged = spec.inputs === 'many' ? tensors : null;
    if (!ok) return { values, tensors: merged, ok, shared: false };
    const shared = this.memo.shareArgs(call, spec, values, textKey);
    return merged ? { ...shared, tensors: merged } : shared;
  }

  private tensorArgument(arg: Argument, frame: Frame, scope: Scope): TensorRef | null {
    if (arg.value.kind !== 'name') {
      this.report('not-a-tensor', arg.value.span, messages.tensorExpected(), frame);
      return null;
    }
    const name = arg.value.name;
    const binding = scope.find(name);
    if (!binding) {
      this.reportUnknownName(name, arg.value.span, scope, frame);
      return null;
    }
    this.reference(name, arg.value.span, binding.symbol);
    if (binding.kind !== 'tensor') {
      this.report('not-a-tensor', arg.value.span, messages.notATensor(name), frame);
      return null;
    }
    return binding.tensor;
  }

  /** Evaluates an argument and checks it against its spec; null when unknown (dry run). */
  private coerce(argSpec: ArgSpec, spec: LayerSpec, arg: Argument, frame: Frame, scope: Scope): Value | null | typeof FAILED {
    const raw = this.evaluateExpr(arg.value, scope, frame);
    if (raw === FAILED) return FAILED;
    let value: Value;
    if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'string') {
      value = raw;
    } else {
      const converted = this.toArgValue(raw, argSpec, spec, arg, frame, scope);
      if (converted === FAILED || converted === null) return converted;
      value = converted;
    }
    const problem = checkArgType(argSpec, value);
    if (problem) {
      this.report('invalid-argument', arg.value.span, messages.invalidArgument(spec.kind, argSpec.name, problem), frame);
      return FAILED;
    }
    return value;
  }

  /** Turns an evaluated value into an argument value: identifiers become enum names where allowed, unknowns make it null. */
  private toArgValue(raw: EvalValue, argSpec: ArgSpec, spec: LayerSpec, arg: Argument, frame: Frame, scope: Scope): Value | null | typeof FAILED {
    const allowsIdent = (ident: string) =>
      argSpec.type === 'kernel-weights' || (argSpec.type === 'enum' && argSpec.values?.includes(ident)) || (argSpec.type === 'padding' && PADDING_WORDS.includes(ident));
    let unknown = false;
    let failed = false;
    const convert = (v: EvalValue): Value => {
      if (v === null) {
        unknown = true;
        return 0;
      }
      if (isIdent(v)) {
        if (allowsIdent(v.ident)) return v.ident;
        if (!failed) this.reportUnknownWord(v.ident, v.span, argSpec, spec, scope, frame);
        failed = true;
        return 0;
      }
      if (isTensorHandle(v)) {
        failed = true;
        this.report('invalid-argument', arg.value.span, messages.invalidArgument(spec.kind, argSpec.name, 'a value, not a tensor'), frame);
        return 0;
      }
      if (Array.isArray(v)) return v.map(convert);
      return v as Value;
    };
    const value = convert(raw);
    if (failed) return FAILED;
    if (unknown) return null;
    return value;
  }

  // ---- names and symbols ----

  private evaluateExpr(expr: Expr, scope: Scope, frame?: Frame): EvalValue | typeof FAILED {
    // Most arguments are a literal or a plain name: those are answered here, as `evaluate`
    // would, without building an `EvalScope` and its closures.
    switch (expr.kind) {
      case 'number':
        return smallInteger(expr.value);
      case 'bool':
      case 'string':
        return expr.value;
      case 'name': {
        const bound = this.lookupValue(expr.name, expr.span, scope);
        return bound === undefined ? { ident: expr.name, span: expr.span } : bound;
      }
    }
    const evalScope: EvalScope = {
      lookup: (name, span) => this.lookupValue(name, span, scope),
      report: (span, message) => this.report('invalid-expression', span, messages.invalidExpression(message), frame),
    };
    return evaluate(expr, evalScope);
  }

  /** What a name evaluates to, recording the reference; undefined when unbound. */
  private lookupValue(name: string, span: Span, scope: Scope): EvalValue | undefined {
    const binding = scope.find(name);
    if (!binding) return undefined;
    this.reference(name, span, binding.symbol);
    // A tensor's handle is the tensor as first made, which `callBlock` binds to a block parameter.
    return binding.kind === 'tensor' ? binding.tensor.original : binding.value;
  }

  private reportUnknownName(name: string, span: Span, scope: Scope, frame: Frame | undefined): void {
    const suggestion = closest(name, scope.visibleNames());
    this.report('unknown-name', span, messages.unknownName(name, suggestion), frame, { suggestion });
  }

  /**
   * An unbound identifier as an argument. Where the argument takes words
   * (`enum`, `padding`) it is most likely a misspelt value: say which values
   * are allowed, suggesting the closest (or, failing that, the closest name).
   * Elsewhere it can only have been meant as a name.
   */
  private reportUnknownWord(word: string, span: Span, argSpec: ArgSpec, spec: LayerSpec, scope: Scope, frame: Frame | undefined): void {
    const words = argSpec.type === 'enum' ? argSpec.values : argSpec.type === 'padding' ? PADDING_WORDS : undefined;
    if (!words) {
      this.reportUnknownName(word, span, scope, frame);
      return;
    }
    const suggestion = closest(word, words) ?? closest(word, scope.visibleNames());
    const expected = argSpec.type === 'enum' ? enumText(words) : PADDING_EXPECTED;
    this.report('invalid-argument', span, messages.invalidArgument(spec.kind, argSpec.name, expected, suggestion), frame, { suggestion });
  }

  private bind(scope: Scope, name: Identifier, binding: Binding, frame: Frame): void {
    const existing = scope.names.get(name.name);
    if (existing && existing.symbol && existing.symbol.definition.start !== name.span.start) {
      this.report('duplicate-name', name.span, messages.duplicateName(name.name), frame, { related: [{ span: existing.symbol.definition, message: messages.firstDefinedHere(name.name) }] });
    }
    scope.names.set(name.name, binding);
  }

  private defineSymbol(name: Identifier, kind: SymbolInfo['kind'], scope: Span): SymbolRecord {
    let symbol = this.state.symbols.get(name.span.start);
    if (!symbol) {
      symbol = { name: name.name, kind, definition: name.span, scope, references: new Map(), sharedReferences: false, isResult: false };
      this.state.symbols.set(name.span.start, symbol);
    }
    return symbol;
  }

  private defineLabel(label: Identifier, scope: Scope): void {
    const symbol = this.defineSymbol(label, 'tensor', scope.span);
    symbol.isResult = true;
  }

  private reference(name: string, span: Span, symbol?: SymbolRecord | null): void {
    const target = symbol === undefined ? this.blockSymbol(name) : symbol;
    if (!target || target.definition.start === span.start) return;
    if (target.sharedReferences) {
      // Setting a reference that is there already changes nothing.
      if (target.references.has(span.start)) return;
      target.references = new Map(target.references);
      target.sharedReferences = false;
    }
    target.references.set(span.start, span);
  }

  private blockSymbol(name: string): SymbolRecord | undefined {
    const block = this.blocks.get(name);
    return block ? this.state.symbols.get(block.name.span.start) : undefined;
  }

  private reportUnused(): void {
    for (const symbol of this.state.symbols.values()) {
      if (symbol.kind === 'tensor' && symbol.references.size === 0 && !symbol.isResult) {
        this.report('unused-name', symbol.definition, messages.unusedName(symbol.name));
      }
    }
  }

  // ---- helpers ----

  private layerName(frame: Frame, base: string): string {
    const n = (frame.counters.get(base) ?? 0) + 1;
    frame.counters.set(base, n);
    return `${frame.prefix}${base}${n}`;
  }

  private labelName(frame: Frame, label: string): string {
    let name = label;
    if (isNameTaken(frame, label)) {
      // Labels inside a repeat name one layer per iteration.
      const n = (frame.counters.get(`#${label}`) ?? 1) + 1;
      frame.counters.set(`#${label}`, n);
      name = `${label}_${n}`;
    }
    frame.labels.add(name);
    return `${frame.prefix}${name}`;
  }

  private newTensor(shape: Shape, producer: number, slot: number, field: FieldOfView | null, label: string, origin: Span): TensorRef {
    return new TensorRef(this.state.tensorCount++, shape, producer, slot, field, label, origin);
  }

  private unknownTensor(origin: Span): TensorRef {
    return this.newTensor(null, -1, 0, null, '?', origin);
  }

  private origin(tensor: TensorRef): RelatedInformation {
    return { span: tensor.origin, message: messages.tensorOrigin(tensor.label, tensor.shape) };
  }

  private reportSyntaxError(code: DiagnosticCode, span: Span, message: string): void {
    const key = `${code}@${span.start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.syntaxErrors.push({ code, severity: CODES[code], span, message });
  }

  private report(code: DiagnosticCode, span: Span, message: string, frame?: Frame, details?: ReportDetails): void {
    this.reportCount++;
    const key = `${code}@${span.start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const callSites = frame?.callStack ?? [];
    const fromCalls = callSites.length > 0 ? [{ span: callSites[callSites.length - 1], message: messages.inBlockCall() }] : [];
    const all = [...(details?.related ?? []), ...fromCalls];
    const suggestion = details?.suggestion;
    this.state.diagnostics.push({ code, severity: CODES[code], span, message, ...(all.length > 0 ? { related: all } : {}), ...(suggestion !== undefined ? { suggestion } : {}) });
  }
}

/** The weights file and input normalisation a model's statements name. */
export function modelSettings(item: ModelItem): { weightsPath?: string; normalize?: string } {
  let weightsPath: string | undefined;
  let normalize: string | undefined;
  for (const statement of item.body.statements) {
    if (statement.kind === 'weights' && statement.path.kind === 'string') weightsPath = statement.path.value;
    if (statement.kind === 'input') {
      const arg = statement.args.find((a) => a.name?.name === 'normalize');
      if (arg?.value.kind === 'name') normalize = arg.value.name;
    }
  }
  return { weightsPath, normalize };
}

/** The order of `Analysis.diagnostics` (a stable sort keeps the order reported among equal starts). */
export function byStart(a: Diagnostic, b: Diagnostic): number {
  return a.span.start - b.span.start;
}

/** What a diagnostic may carry besides its message. */
interface ReportDetails {
  readonly related?: readonly RelatedInformation[];
  /** See `Diagnostic.suggestion`. */
  readonly suggestion?: string;
}

/** The `LayerContext` a shape rule sees; its reports go to the analyzer, placed at the layer's call. */
class InferenceContext implements LayerContext {
  readonly kind: string;
  readonly input: KnownShape;

  constructor(
    private readonly analyzer: Interpreter,
    private readonly call: Call,
    private readonly spec: LayerSpec,
    private readonly frame: Frame,
    readonly args: Readonly<Record<string, Value>>,
    private readonly tensors: readonly TensorRef[],
    readonly inputs: readonly KnownShape[],
  ) {
    this.kind = spec.kind;
    this.input = inputs[0];
  }

  /** Only messages need the names, so they are gathered on demand. */
  get inputNames(): readonly string[] {
    return this.tensors.map((t) => t.label);
  }

  report(code: DiagnosticCode, message: string, at?: string): void {
    this.analyzer.reportInference(code, message, at, this.call, this.spec, this.frame, this.tensors);
  }
}

/**
 * Whether a frame already named a layer `name` (without the prefix): a label,
 * or a generated `base` + `k` with `k` up to base's counter. Deriving this
 * spares a set of every generated name, which would hold every layer's name.
 * (A dry run copies the counters but not the labels, so there names of the
 * frame it copied count as taken; names in a dry run are never seen.)
 */
function isNameTaken(frame: Frame, name: string): boolean {
  if (frame.labels.has(name)) return true;
  // Try every split into a base and a count without leading zeros: `conv12` is conv1 #2 or conv #12.
  for (let i = name.length - 1; i > 0; i--) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (c === 48) continue;
    const count = frame.counters.get(name.slice(0, i));
    if (count !== undefined && count >= Number(name.slice(i))) return true;
  }
  return false;
}

/** A merge sees the widest field of its inputs (per axis); the first input's when all are the same. */
function mergedField(first: FieldOfView, inputs: readonly (FieldOfView | null)[]): FieldOfView | null {
  let allSame = true;
  for (let i = 1; i < inputs.length; i++) {
    const field = inputs[i];
    if (!field || field.receptiveField.length !== first.receptiveField.length) return null;
    if (field.receptiveField !== first.receptiveField) allSame = false;
  }
  if (allSame) return first;
  const receptiveField = first.receptiveField.map((_, axis) => {
    let widest = first.receptiveField[axis];
    for (let i = 1; i < inputs.length; i++) widest = Math.max(widest, inputs[i]!.receptiveField[axis]);
    return widest;
  });
  return { receptiveField, jump: first.jump };
}

/** Elements in a shape; 0 when unknown. */
function numel(shape: Shape): number {
  if (!shape) return 0;
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

function rankLabel(rank: number): string {
  return rank === 2 ? '1D (C×L)' : rank === 3 ? '2D (C×H×W)' : '3D (C×D×H×W)';
}

