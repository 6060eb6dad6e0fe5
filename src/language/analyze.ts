/**
 * `analyze(text)`: the one pure entry point. Parses, resolves names, expands
 * blocks and repeats into a flat layer graph, and infers every layer's shape,
 * parameters, MACs and receptive field, collecting diagnostics on the way.
 *
 * After an error a tensor's shape becomes unknown (`null`) and every rule
 * downstream stays silent about it, so one mistake gives one diagnostic.
 */
import { growFieldOfView, type FieldOfView } from '../core/geometry';
import type { Argument, Body, Call, Expr, Identifier, Item, Program, Span, Statement } from './ast';
import { closest, getLayerSpec, layerSpecs, type ArgSpec, type KnownShape, type LayerContext, type LayerResult, type LayerSpec } from './catalogue';
import { evaluate, FAILED, isIdent, isTensorHandle, type EvalScope, type EvalValue } from './evaluate';
import { CODES, messages, type DiagnosticCode } from './messages';
import { parse } from './parser';
import type { Analysis, CallSummary, Diagnostic, Layer, ModelSummary, RelatedInformation, Shape, SymbolInfo, Value } from './types';

/** Explicit bounds, so no input can make analysis run away. */
export const LIMITS = {
  /** Layers after expanding blocks and repeats. */
  maxLayers: 200_000,
  /** A single `repeat` count. */
  maxRepeat: 10_000,
  /** Nested block calls. */
  maxCallDepth: 64,
  /** Elements in one tensor (2^31, beyond which no framework would allocate it anyway). */
  maxElements: 2 ** 31,
  /** Statements executed, counting every repeat iteration: bounds work that emits no layers. */
  maxSteps: 2_000_000,
} as const;

const KNOWN_ENUMS = new Set(['same', 'valid']);

interface TensorRef {
  readonly id: number;
  readonly shape: Shape;
  /** Layer id, or -1 for the model input. */
  readonly producer: number;
  readonly slot: number;
  readonly field: FieldOfView | null;
  /** How messages refer to it: a name, or the layer kind that made it. */
  readonly label: string;
  /** Where it was made or bound, for related information. */
  readonly origin: Span;
}

interface SymbolRecord {
  readonly name: string;
  readonly kind: SymbolInfo['kind'];
  readonly definition: Span;
  readonly scope: Span;
  readonly references: Map<number, Span>;
  shape?: Shape;
  /** The binding's value flows out as the body's result, so it counts as used. */
  isResult: boolean;
}

type Binding =
  | { readonly kind: 'tensor'; readonly tensor: TensorRef; readonly symbol: SymbolRecord | null }
  | { readonly kind: 'value'; readonly value: EvalValue; readonly symbol: SymbolRecord | null };

class Scope {
  readonly names = new Map<string, Binding>();
  constructor(
    readonly parent: Scope | null,
    readonly span: Span,
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
  readonly counters: Map<string, number>;
  readonly usedNames: Set<string>;
  readonly callStack: readonly Span[];
  readonly blockChain: readonly string[];
  /** A dry run checks names in code that did not run (uncalled blocks, untaken branches) without emitting layers. */
  readonly dry: boolean;
}

type BlockItem = Extract<Item, { kind: 'block' }>;
type ModelItem = Extract<Item, { kind: 'model' }>;

/** Analyses a whole `.cnn` file. Never throws on user input. */
export function analyze(text: string): Analysis {
  return new Analyzer(text, parse(text)).run();
}

/** Analyses an already parsed program (the server parses once and reuses the tree). */
export function analyzeProgram(text: string, program: Program): Analysis {
  return new Analyzer(text, program).run();
}

class Analyzer {
  private readonly layers: Layer[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<string>();
  private readonly symbols = new Map<number, SymbolRecord>();
  private readonly calls = new Map<number, { summary: CallSummary; count: number }>();
  private readonly blocks = new Map<string, BlockItem>();
  private readonly calledBlocks = new Set<string>();
  private readonly dryRunSpans = new Set<number>();
  private tensorCount = 0;
  private tensors = new Map<number, TensorRef>();
  private budgetExceeded = false;
  private steps = 0;
  private modelInput: TensorRef | null = null;

  constructor(
    private readonly text: string,
    private readonly program: Program,
  ) {}

  run(): Analysis {
    for (const error of this.program.errors) this.report(error.code, error.span, error.message);

    const models: ModelItem[] = [];
    for (const item of this.program.items) {
      if (item.kind === 'model') {
        if (models.length > 0) this.report('duplicate-model', item.name.span, messages.duplicateModel(item.name.name));
        models.push(item);
        this.defineSymbol(item.name, 'model', item.span);
      } else if (this.blocks.has(item.name.name)) {
        this.report('duplicate-block', item.name.span, messages.duplicateBlock(item.name.name));
      } else if (getLayerSpec(item.name.name)) {
        this.report('duplicate-block', item.name.span, `block \`${item.name.name}\` has the name of a built-in layer; pick another`);
      } else {
        this.blocks.set(item.name.name, item);
        this.defineSymbol(item.name, 'block', item.span);
      }
    }

    let model: ModelSummary | null = null;
    const modelItem = models[0];
    if (modelItem) {
      model = this.runModel(modelItem);
    } else if (this.program.errors.length === 0 && this.text.trim().length > 0) {
      this.report('no-model', { start: 0, end: 0 }, messages.noModel());
    }

    for (const block of this.blocks.values()) {
      if (!this.calledBlocks.has(block.name.name)) this.dryRunBlock(block);
    }
    this.reportUnused();

    const symbols: SymbolInfo[] = [...this.symbols.values()].map((s) => ({
      name: s.name,
      kind: s.kind,
      definition: s.definition,
      references: [...s.references.values()],
      scope: s.scope,
      shape: s.shape,
    }));
    this.diagnostics.sort((a, b) => a.span.start - b.span.start);
    return {
      text: this.text,
      program: this.program,
      model,
      layers: this.layers,
      diagnostics: this.diagnostics,
      symbols,
      calls: [...this.calls.values()].map((c) => ({ ...c.summary, expansions: c.count })),
    };
  }

  // ---- model and blocks ----

  private runModel(item: ModelItem): ModelSummary {
    const frame: Frame = { prefix: '', counters: new Map(), usedNames: new Set(), callStack: [], blockChain: [], dry: false };
    const scope = new Scope(null, item.body.span);
    const output = this.runBody(item.body, frame, scope, null, { isModel: true });
    if (!this.modelInput && !this.budgetExceeded) this.report('missing-input', item.name.span, messages.missingInput(item.name.name));
    let totalParams = 0;
    let totalMacs = 0;
    for (const layer of this.layers) {
      totalParams += layer.params;
      totalMacs += layer.macs;
    }
    let weightsPath: string | undefined;
    let normalize: string | undefined;
    for (const statement of item.body.statements) {
      if (statement.kind === 'weights' && statement.path.kind === 'string') weightsPath = statement.path.value;
      if (statement.kind === 'input') {
        const arg = statement.args.find((a) => a.name?.name === 'normalize');
        if (arg?.value.kind === 'name') normalize = arg.value.name;
      }
    }
    return {
      name: item.name.name,
      nameSpan: item.name.span,
      span: item.span,
      inputName: this.modelInput?.label ?? '',
      inputShape: this.modelInput?.shape ?? null,
      outputShape: output?.shape ?? null,
      totalParams,
      totalMacs,
      weightsPath,
      normalize,
    };
  }

  private dryRunBlock(block: BlockItem): void {
    const frame: Frame = { prefix: '', counters: new Map(), usedNames: new Set(), callStack: [], blockChain: [block.name.name], dry: true };
    const scope = new Scope(null, block.body.span);
    for (const param of block.params) {
      const symbol = this.defineSymbol(param.name, 'parameter', block.body.span);
      scope.names.set(param.name.name, { kind: 'value', value: null, symbol });
      if (param.default) this.evaluateExpr(param.default, new Scope(null, block.body.span));
    }
    const input = this.newTensor({ shape: null, producer: -1, slot: 0, field: null, label: 'in', origin: block.name.span });
    scope.names.set('in', { kind: 'tensor', tensor: input, symbol: null });
    this.runBody(block.body, frame, scope, input, { isModel: false });
  }

  private callBlock(call: Call, block: BlockItem, frame: Frame, scope: Scope, source: TensorRef, label: string | undefined): TensorRef {
    this.calledBlocks.add(block.name.name);
    this.reference(block.name.name, call.callee.span);
    const unknownOut = () => this.newTensor({ shape: null, producer: -1, slot: 0, field: null, label: block.name.name, origin: call.span });
    if (frame.blockChain.includes(block.name.name)) {
      this.report('recursive-block', call.callee.span, messages.recursiveBlock([...frame.blockChain, block.name.name]), frame);
      return unknownOut();
    }
    if (frame.callStack.length >= LIMITS.maxCallDepth) {
      this.report('limit-exceeded', call.callee.span, messages.depthExceeded(LIMITS.maxCallDepth), frame);
      return unknownOut();
    }

    const inner = new Scope(null, block.body.span);
    inner.names.set('in', { kind: 'tensor', tensor: source, symbol: null });
    const given = new Map<string, { value: EvalValue; span: Span }>();
    let positional = 0;
    let failed = false;
    for (const arg of call.args) {
      let param: string | undefined;
      if (arg.name) {
        param = block.params.find((p) => p.name.name === arg.name!.name)?.name.name;
        if (!param) {
          const suggestion = closest(arg.name.name, block.params.map((p) => p.name.name));
          this.report('unknown-argument', arg.name.span, messages.unknownArgument(block.name.name, arg.name.name, suggestion), frame);
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

    const blockFrame: Frame = {
      prefix: `${label ? this.labelName(frame, label) : this.layerName(frame, block.name.name)}.`,
      counters: new Map(),
      usedNames: new Set(),
      callStack: [...frame.callStack, call.span],
      blockChain: [...frame.blockChain, block.name.name],
      dry: frame.dry || failed,
    };
    for (const param of block.params) {
      const symbol = this.defineSymbol(param.name, 'parameter', block.body.span);
      const arg = given.get(param.name.name);
      let value: EvalValue | undefined = arg?.value;
      if (value === undefined && param.default) {
        const v = this.evaluateExpr(param.default, new Scope(null, block.body.span), blockFrame);
        value = v === FAILED || isIdent(v) ? null : v;
      }
      if (value === undefined) {
        this.report('missing-argument', call.callee.span, messages.missingArgument(block.name.name, param.name.name), frame);
        value = null;
        failed = true;
      }
      if (isTensorHandle(value)) {
        inner.names.set(param.name.name, { kind: 'tensor', tensor: this.tensors.get(value.id)!, symbol });
      } else {
        inner.names.set(param.name.name, { kind: 'value', value, symbol });
      }
    }

    const firstLayer = this.layers.length;
    const output = this.runBody(block.body, failed ? { ...blockFrame, dry: true } : blockFrame, inner, source, { isModel: false }) ?? source;
    if (!frame.dry) this.recordCall(call, block, source, output, firstLayer);
    return output;
  }

  private recordCall(call: Call, block: BlockItem, source: TensorRef, output: TensorRef, firstLayer: number): void {
    const existing = this.calls.get(call.span.start);
    if (existing) {
      existing.count++;
      return;
    }
    let params = 0;
    let macs = 0;
    for (let i = firstLayer; i < this.layers.length; i++) {
      params += this.layers[i].params;
      macs += this.layers[i].macs;
    }
    this.calls.set(call.span.start, {
      summary: { span: call.span, block: block.name.name, inputShape: source.shape, outputShape: output.shape, params, macs, expansions: 1 },
      count: 1,
    });
  }

  // ---- statements ----

  private runBody(body: Body, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }): TensorRef | null {
    const statements = body.statements;
    for (let i = 0; i < statements.length; i++) {
      if (this.budgetExceeded) return current;
      if (++this.steps > LIMITS.maxSteps) {
        this.budgetExceeded = true;
        this.report('limit-exceeded', statements[i].span, messages.tooMuchWork(LIMITS.maxSteps), frame);
        return current;
      }
      current = this.runStatement(statements[i], frame, scope, current, where, i === statements.length - 1);
    }
    return current;
  }

  private runStatement(statement: Statement, frame: Frame, scope: Scope, current: TensorRef | null, where: { isModel: boolean }, isLast: boolean): TensorRef | null {
    switch (statement.kind) {
      case 'input':
        return this.runInput(statement, frame, scope, current, where);
      case 'weights':
        if (!where.isModel) this.report('misplaced-statement', statement.span, messages.misplaced('weights', 'in the model, not in a block'), frame);
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
    if (this.modelInput) {
      this.report('duplicate-name', statement.span, 'a model has one `input`', frame);
      return current;
    }
    for (const arg of statement.args) {
      const key = arg.name?.name;
      if (key !== 'normalize') {
        this.report('unknown-argument', (arg.name ?? arg).span, messages.unknownArgument('input', key ?? 'positional', key ? closest(key, ['normalize']) : undefined), frame);
      } else if (arg.value.kind !== 'name' || (arg.value.name !== 'imagenet' && arg.value.name !== 'none')) {
        this.report('invalid-argument', arg.value.span, messages.invalidArgument('input', 'normalize', '`imagenet` or `none`'), frame);
      }
    }
    const value = this.evaluateExpr(statement.shape, scope, frame);
    const shape = value === FAILED ? null : this.checkInputShape(value, statement.shape.span, frame);
    const spatial = shape ? shape.length - 1 : 0;
    const field: FieldOfView | null = shape ? { receptiveField: Array(spatial).fill(1), jump: Array(spatial).fill(1) } : null;
    const input = this.newTensor({ shape, producer: -1, slot: 0, field, label: statement.name.name, origin: statement.name.span });
    this.modelInput = input;
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
    for (let i = 0; i < n && !this.budgetExceeded; i++) {
      if (statement.body.statements.length === 0 && ++this.steps > LIMITS.maxSteps) break;
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
    if (this.dryRunSpans.has(body.span.start)) return;
    this.dryRunSpans.add(body.span.start);
    const unknownCurrent = current ? this.newTensor({ ...current, shape: null, field: null }) : null;
    this.runBody(body, { ...frame, dry: true, counters: new Map(frame.counters), usedNames: new Set() }, new Scope(scope, body.span), unknownCurrent, where);
  }

  private runLayerStatement(statement: Extract<Statement, { kind: 'layer' }>, frame: Frame, scope: Scope, current: TensorRef | null, isLast: boolean): TensorRef | null {
    let stages = statement.stages;
    let source = current;
    const head = stages[0];
    if (head && !head.parenthesized && head.args.length === 0) {
      const binding = scope.find(head.callee.name);
      if (binding) {
        this.reference(head.callee.name, head.callee.span, binding.symbol);
        if (binding.kind === 'tensor') {
          source = binding.tensor;
          stages = stages.slice(1);
        } else {
          this.report('not-a-tensor', head.callee.span, messages.notATensor(head.callee.name), frame);
          return this.unknownTensor(head.span);
        }
      }
    }
    if (!source) {
      source = this.unknownTensor(statement.span);
      if (!frame.dry && frame.blockChain.length === 0 && !this.modelInput) {
        // Reported once, at the end of the model, as missing-input.
      }
    }

    let outputs: TensorRef[] = [source];
    for (let i = 0; i < stages.length; i++) {
      const call = stages[i];
      // A label names the first layer; a single bound name also names a block call (`enc1 = double(16)`).
      const isBlockCall = !getLayerSpec(call.callee.name) && this.blocks.has(call.callee.name);
      const label =
        i === 0 && statement.label ? statement.label.name : i === stages.length - 1 && statement.targets.length === 1 && isBlockCall ? statement.targets[0].name : undefined;
      outputs = this.runCall(call, frame, scope, outputs[0], label);
      if (this.budgetExceeded) return outputs[0];
    }

    if (statement.targets.length > 0) {
      const wanted = statement.targets.length;
      if (wanted > 1 && outputs.length !== wanted) {
        if (outputs[0].shape !== null) this.report('arity-mismatch', statement.targets[0].span, messages.arityMismatch(wanted, outputs.length), frame);
        outputs = statement.targets.map((t) => this.unknownTensor(t.span));
      }
      statement.targets.forEach((target, i) => {
        const tensor = { ...outputs[wanted === 1 ? 0 : i], label: target.name, origin: target.span };
        const symbol = this.defineSymbol(target, 'tensor', scope.span);
        if (symbol.shape === undefined && !frame.dry) symbol.shape = tensor.shape;
        if (isLast) symbol.isResult = true;
        this.bind(scope, target, { kind: 'tensor', tensor, symbol }, frame);
      });
      return { ...outputs[0], label: statement.targets[0].name, origin: statement.targets[0].span };
    }
    if (statement.label) {
      const symbol = this.symbols.get(statement.label.span.start);
      if (!symbol) this.defineLabel(statement.label, scope);
    }
    return outputs[0];
  }

  private runCall(call: Call, frame: Frame, scope: Scope, source: TensorRef, label: string | undefined): TensorRef[] {
    const name = call.callee.name;
    const spec = getLayerSpec(name);
    if (spec) return this.runLayer(call, spec, frame, scope, source, label);
    const block = this.blocks.get(name);
    if (block) return [this.callBlock(call, block, frame, scope, source, label)];
    const binding = scope.find(name);
    if (binding) {
      this.reference(name, call.callee.span, binding.symbol);
      this.report(binding.kind === 'tensor' ? 'not-a-tensor' : 'unknown-layer', call.callee.span,
        binding.kind === 'tensor' ? `\`${name}\` is a tensor; start a pipeline with it (\`${name} | …\`) rather than calling it` : messages.unknownLayer(name), frame);
      return [this.unknownTensor(call.span)];
    }
    const suggestion = closest(name, [...layerSpecs().map((s) => s.kind), ...this.blocks.keys()]);
    this.report('unknown-layer', call.callee.span, messages.unknownLayer(name, suggestion), frame);
    return [this.unknownTensor(call.span)];
  }

  // ---- layers ----

  private runLayer(call: Call, spec: LayerSpec, frame: Frame, scope: Scope, source: TensorRef, label: string | undefined): TensorRef[] {
    const resolved = this.resolveArgs(call, spec, frame, scope, source);
    const inputs = resolved.tensors;
    const inputShapes = inputs.map((t) => t.shape);
    let result: LayerResult | null = null;
    const known = inputShapes.every((s): s is KnownShape => s !== null);
    if (resolved.ok && known && !frame.dry) {
      result = this.inferLayer(call, spec, frame, resolved, inputs, inputShapes as KnownShape[]);
    }
    const name = label ? this.labelName(frame, label) : this.layerName(frame, spec.kind);
    const outputShapes: Shape[] = result?.outputs ? [...result.outputs] : [result?.output ?? null];
    const field = result ? this.nextField(result, inputs) : null;

    if (frame.dry) return outputShapes.map((shape, slot) => this.newTensor({ shape: null, producer: -1, slot, field: null, label: spec.kind, origin: call.span }));

    const id = this.layers.length;
    if (id >= LIMITS.maxLayers) {
      this.budgetExceeded = true;
      this.report('limit-exceeded', call.span, messages.tooManyLayers(LIMITS.maxLayers), frame);
      return [this.unknownTensor(call.span)];
    }
    const outputShape = outputShapes[0];
    const layer: Layer = {
      id,
      name,
      kind: spec.kind,
      span: call.span,
      callStack: frame.callStack,
      inputs: inputs.map((t) => t.producer),
      inputSlots: inputs.map((t) => t.slot),
      inputShapes,
      outputShape,
      outputShapes: result?.outputs ? outputShapes : undefined,
      args: resolved.values,
      params: result?.params ?? 0,
      macs: result?.macs ?? 0,
      activations: outputShapes.reduce((sum: number, s) => sum + (s ? s.reduce((a, b) => a * b, 1) : 0), 0),
      receptiveField: field?.receptiveField ?? null,
      jump: field?.jump ?? null,
      scopePath: frame.prefix.replace(/\.$/, ''),
    };
    this.layers.push(layer);
    return outputShapes.map((shape, slot) => this.newTensor({ shape, producer: id, slot, field, label: label ?? spec.kind, origin: call.span }));
  }

  private inferLayer(call: Call, spec: LayerSpec, frame: Frame, resolved: ResolvedArgs, inputs: TensorRef[], shapes: KnownShape[]): LayerResult | null {
    const input = shapes[0];
    if ((spec.rank !== undefined && input.length !== spec.rank) || (spec.minRank !== undefined && input.length < spec.minRank)) {
      const expected = spec.rank !== undefined ? rankLabel(spec.rank) : 'spatial (C×L, C×H×W or C×D×H×W)';
      this.report('rank-mismatch', call.callee.span, messages.rankMismatch(spec.kind, expected, input), frame, inputs.map((t) => this.origin(t)));
      return null;
    }
    let failed = false;
    const ctx: LayerContext = {
      kind: spec.kind,
      input,
      inputs: shapes,
      inputNames: inputs.map((t) => t.label),
      args: resolved.values,
      report: (code, message, at) => {
        failed = true;
        const related = code === 'channel-mismatch' || code === 'shape-mismatch' || code === 'concat-mismatch' || code === 'linear-needs-flat' ? inputs.map((t) => this.origin(t)) : undefined;
        const severity = CODES[code];
        if (severity === 'warning') failed = false;
        this.report(code, (at && resolved.spans.get(at)) || call.callee.span, message, frame, related);
      },
    };
    const result = spec.infer(ctx);
    if (result.output && result.output.reduce((a, b) => a * b, 1) > LIMITS.maxElements) {
      this.report('limit-exceeded', call.span, messages.sizeTooLarge(result.output, LIMITS.maxElements.toLocaleString('en-US')), frame);
      return { ...result, output: null, outputs: undefined };
    }
    return failed && result.output === null ? result : result;
  }

  private nextField(result: LayerResult, inputs: TensorRef[]): FieldOfView | null {
    const first = inputs[0]?.field ?? null;
    if (!result.output || !first) return null;
    switch (result.field.kind) {
      case 'none':
        return null;
      case 'same': {
        if (inputs.length === 1) return first;
        const fields = inputs.map((t) => t.field);
        if (fields.some((f) => !f || f.receptiveField.length !== first.receptiveField.length)) return null;
        return { receptiveField: first.receptiveField.map((_, i) => Math.max(...fields.map((f) => f!.receptiveField[i]))), jump: first.jump };
      }
      case 'upsample': {
        const factor = result.field.factor;
        return { receptiveField: first.receptiveField, jump: first.jump.map((j, i) => j / factor[i]) };
      }
      case 'window':
        return growFieldOfView(first, result.field.geometry, result.field.transposed);
    }
  }

  private resolveArgs(call: Call, spec: LayerSpec, frame: Frame, scope: Scope, source: TensorRef): ResolvedArgs {
    const values: Record<string, Value> = {};
    const spans = new Map<string, Span>();
    const tensors: TensorRef[] = [];
    let ok = true;
    let positionalUsed = false;
    for (const arg of call.args) {
      if (!arg.name && spec.inputs === 'many') {
        const tensor = this.tensorArgument(arg, frame, scope);
        if (tensor) tensors.push(tensor);
        else ok = false;
        continue;
      }
      let argSpec: ArgSpec | undefined;
      if (arg.name) {
        argSpec = spec.args.find((a) => a.name === arg.name!.name);
        if (!argSpec) {
          this.report('unknown-argument', arg.name.span, messages.unknownArgument(spec.kind, arg.name.name, closest(arg.name.name, spec.args.map((a) => a.name))), frame);
          ok = false;
          continue;
        }
      } else {
        argSpec = positionalUsed ? undefined : spec.args.find((a) => a.positional);
        positionalUsed = true;
        if (!argSpec) {
          const max = spec.args.some((a) => a.positional) ? 1 : 0;
          this.report('too-many-arguments', arg.span, messages.tooManyArguments(spec.kind, max), frame);
          ok = false;
          continue;
        }
      }
      if (spans.has(argSpec.name)) {
        this.report('duplicate-name', (arg.name ?? arg).span, `\`${argSpec.name}\` is given twice`, frame);
        ok = false;
        continue;
      }
      spans.set(argSpec.name, arg.value.span);
      const value = this.coerce(argSpec, spec, arg, frame, scope);
      if (value === FAILED) ok = false;
      else if (value === null) ok = false;
      else values[argSpec.name] = value;
    }
    if (spec.inputs === 'many') {
      if (tensors.length < 2) tensors.unshift(source);
    } else {
      tensors.push(source);
    }
    for (const argSpec of spec.args) {
      if (argSpec.name in values || spans.has(argSpec.name)) continue;
      if (argSpec.required) {
        this.report('missing-argument', call.callee.span, messages.missingArgument(spec.kind, argSpec.name), frame);
        ok = false;
      } else if (argSpec.default !== undefined) {
        values[argSpec.name] = argSpec.default;
      }
    }
    return { values, spans, tensors, ok };
  }

  private tensorArgument(arg: Argument, frame: Frame, scope: Scope): TensorRef | null {
    if (arg.value.kind !== 'name') {
      this.report('not-a-tensor', arg.value.span, 'expected the name of a tensor here', frame);
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
    const allowsIdent = (ident: string) =>
      argSpec.type === 'kernel-weights' || (argSpec.type === 'enum' && argSpec.values?.includes(ident)) || (argSpec.type === 'padding' && KNOWN_ENUMS.has(ident));
    let unknown = false;
    let failed = false;
    const convert = (v: EvalValue): Value => {
      if (v === null) {
        unknown = true;
        return 0;
      }
      if (isIdent(v)) {
        if (allowsIdent(v.ident)) return v.ident;
        if (!failed) this.reportUnknownName(v.ident, v.span, scope, frame, argSpec.values);
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
    const problem = checkArgType(argSpec, value);
    if (problem) {
      this.report('invalid-argument', arg.value.span, messages.invalidArgument(spec.kind, argSpec.name, problem), frame);
      return FAILED;
    }
    return value;
  }

  // ---- names and symbols ----

  private evaluateExpr(expr: Expr, scope: Scope, frame?: Frame): EvalValue | typeof FAILED {
    const evalScope: EvalScope = {
      lookup: (name, span) => {
        const binding = scope.find(name);
        if (!binding) return undefined;
        this.reference(name, span, binding.symbol);
        return binding.kind === 'tensor' ? { tensor: true, id: binding.tensor.id } : binding.value;
      },
      report: (span, message) => this.report('invalid-expression', span, messages.invalidExpression(message), frame),
    };
    return evaluate(expr, evalScope);
  }

  private reportUnknownName(name: string, span: Span, scope: Scope, frame: Frame | undefined, extra: readonly string[] = []): void {
    this.report('unknown-name', span, messages.unknownName(name, closest(name, [...scope.visibleNames(), ...extra])), frame);
  }

  private bind(scope: Scope, name: Identifier, binding: Binding, frame: Frame): void {
    const existing = scope.names.get(name.name);
    if (existing && existing.symbol && existing.symbol.definition.start !== name.span.start) {
      this.report('duplicate-name', name.span, messages.duplicateName(name.name), frame, [{ span: existing.symbol.definition, message: `\`${name.name}\` is first defined here` }]);
    }
    scope.names.set(name.name, binding);
  }

  private defineSymbol(name: Identifier, kind: SymbolInfo['kind'], scope: Span): SymbolRecord {
    let symbol = this.symbols.get(name.span.start);
    if (!symbol) {
      symbol = { name: name.name, kind, definition: name.span, scope, references: new Map(), isResult: false };
      this.symbols.set(name.span.start, symbol);
    }
    return symbol;
  }

  private defineLabel(label: Identifier, scope: Scope): void {
    const symbol = this.defineSymbol(label, 'tensor', scope.span);
    symbol.isResult = true;
  }

  private reference(name: string, span: Span, symbol?: SymbolRecord | null): void {
    const target = symbol === undefined ? this.blockSymbol(name) : symbol;
    if (target && target.definition.start !== span.start) target.references.set(span.start, span);
  }

  private blockSymbol(name: string): SymbolRecord | undefined {
    const block = this.blocks.get(name);
    return block ? this.symbols.get(block.name.span.start) : undefined;
  }

  private reportUnused(): void {
    for (const symbol of this.symbols.values()) {
      if (symbol.kind === 'tensor' && symbol.references.size === 0 && !symbol.isResult) {
        this.report('unused-name', symbol.definition, messages.unusedName(symbol.name));
      }
    }
  }

  // ---- helpers ----

  private layerName(frame: Frame, base: string): string {
    const n = (frame.counters.get(base) ?? 0) + 1;
    frame.counters.set(base, n);
    const name = `${frame.prefix}${base}${n}`;
    frame.usedNames.add(name);
    return name;
  }

  private labelName(frame: Frame, label: string): string {
    let name = `${frame.prefix}${label}`;
    if (frame.usedNames.has(name)) {
      // Labels inside a repeat name one layer per iteration.
      const n = (frame.counters.get(`#${label}`) ?? 1) + 1;
      frame.counters.set(`#${label}`, n);
      name = `${frame.prefix}${label}_${n}`;
    }
    frame.usedNames.add(name);
    return name;
  }

  private newTensor(fields: Omit<TensorRef, 'id'>): TensorRef {
    const tensor: TensorRef = { ...fields, id: this.tensorCount++ };
    this.tensors.set(tensor.id, tensor);
    return tensor;
  }

  private unknownTensor(origin: Span): TensorRef {
    return this.newTensor({ shape: null, producer: -1, slot: 0, field: null, label: '?', origin });
  }

  private origin(tensor: TensorRef): RelatedInformation {
    return { span: tensor.origin, message: `\`${tensor.label}\` is ${tensor.shape ? tensor.shape.join('×') : 'unknown'} here` };
  }

  private report(code: DiagnosticCode, span: Span, message: string, frame?: Frame, related?: RelatedInformation[]): void {
    const key = `${code}@${span.start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const callSites = frame?.callStack ?? [];
    const fromCalls = callSites.length > 0 ? [{ span: callSites[callSites.length - 1], message: 'in this block call' }] : [];
    const all = [...(related ?? []), ...fromCalls];
    this.diagnostics.push({ code, severity: CODES[code], span, message, ...(all.length > 0 ? { related: all } : {}) });
  }
}

interface ResolvedArgs {
  readonly values: Record<string, Value>;
  readonly spans: Map<string, Span>;
  readonly tensors: TensorRef[];
  readonly ok: boolean;
}

function rankLabel(rank: number): string {
  return rank === 2 ? '1D (C×L)' : rank === 3 ? '2D (C×H×W)' : '3D (C×D×H×W)';
}

/** Why a value does not fit its argument type, or undefined when it does. */
function checkArgType(spec: ArgSpec, value: Value): string | undefined {
  const isInt = (v: Value): v is number => typeof v === 'number' && Number.isInteger(v);
  const inRange = (v: number) => (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max);
  const range = spec.min !== undefined && spec.max !== undefined ? ` between ${spec.min} and ${spec.max}` : spec.min !== undefined ? ` ≥ ${spec.min}` : '';
  switch (spec.type) {
    case 'int':
      return isInt(value) && inRange(value) ? undefined : `a whole number${range}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inRange(value) ? undefined : `a number${range}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : '`true` or `false`';
    case 'enum':
      return typeof value === 'string' && spec.values?.includes(value) ? undefined : `one of ${spec.values?.map((v) => `\`${v}\``).join(', ')}`;
    case 'sizes':
    case 'int-list': {
      const items = Array.isArray(value) ? value : [value];
      return items.length > 0 && items.every((v) => isInt(v) && inRange(v)) ? undefined : `whole numbers${range}`;
    }
    case 'padding': {
      if (value === 'same' || value === 'valid') return undefined;
      const items = Array.isArray(value) ? value : [value];
      return items.length > 0 && items.every((v) => isInt(v) && v >= 0) ? undefined : 'whole numbers ≥ 0, `same` or `valid`';
    }
    case 'kernel-weights':
      return typeof value === 'string' || Array.isArray(value) ? undefined : 'a kernel name or a matrix';
  }
}
