/**
 * The preview page's state and what each event does to it: which document and
 * input, the user's choices (seed, normalisation, colours, tab), the image and
 * weights bytes the extension sent, and whether the next run can start or must
 * wait for them. Pure: the page (webview/main.ts) posts what the transitions
 * return and draws what they say.
 */
import type { RgbaImage } from '../src/core/image';
import type {
  ColormapChoice,
  ImageEntry,
  InitMessage,
  InputChoice,
  MapNormalisation,
  PlanMessage,
  PreviewState,
  PreviewTab,
  RunRequest,
  ShapeNotation,
  SpecMessage,
  WebviewToExtension,
} from '../src/protocol/webview';
import { isColormapChoice } from './colormap';
import { defaultInput, inputKey, parseInputKey, type InputKey } from './inputs';
import { PATTERNS } from './patterns';

/** Channels of each layer a run sends first, before "show all". */
export const FIRST_CHANNELS = 16;

/**
 * What to do to get the next run going: requests for the extension, a text
 * the worker may analyse while the run waits for them, or the run itself.
 */
export interface RunStep {
  readonly requests: readonly WebviewToExtension[];
  readonly prepare?: string;
  readonly run?: RunRequest;
}

/** A message for the status line. */
export interface StatusLine {
  readonly message: string;
  readonly kind: 'info' | 'error' | 'stopped';
}

export class PreviewSession {
  uri = '';
  text = '';
  /** The `weights "…"` path the extension's analysis of `text` found. */
  weightsPath: string | null = null;
  notation: ShapeNotation = '×';
  images: readonly ImageEntry[] = [];
  choice: InputChoice | null = null;
  seed = 1;
  normalisation: MapNormalisation = 'channel';
  colormap: ColormapChoice = 'auto';
  tab: PreviewTab = 'maps';
  /** The model's input shape as last known (the extension's analysis, then the plan's): the pattern thumbnails' aspect ratio. */
  inputShape: readonly number[] | null = null;

  /** The weights file the extension sent. */
  weights: { readonly path: string; readonly bytes: Uint8Array } | null = null;
  /** The weights path last asked for. */
  private weightsRequested: string | null = null;
  /** Weights files the extension could not or would not give, with its reason: runs go ahead on the seeded init, and the weights note keeps saying why. */
  readonly weightsFailed = new Map<string, string>();

  /** Encoded images by id, as the extension sent them. */
  private readonly imageBytes = new Map<string, Uint8Array>();
  /** Decoded images by id; null when the page could not decode one (the worker then tries). */
  private readonly imagePixels = new Map<string, RgbaImage | null>();
  /** Images asked of the extension to run on (not thumbnails only). */
  private readonly requestedImages = new Set<string>();

  private runCounter = 0;
  /** The text the worker was last asked to analyse ahead of its run. */
  private preparedText: string | null = null;

  /** The first message: the document, and the state a revived panel kept (its own, when it is of this document). */
  init(message: InitMessage, kept: PreviewState | undefined): void {
    this.uri = message.uri;
    this.text = message.text;
    this.weightsPath = message.facts.weightsPath;
    this.notation = message.notation;
    if (kept && kept.uri === message.uri) {
      this.seed = kept.seed ?? this.seed;
      this.normalisation = kept.normalisation ?? this.normalisation;
      this.colormap = isColormapChoice(kept.colormap) ? kept.colormap : this.colormap;
      this.tab = kept.tab ?? this.tab;
      this.choice = kept.inputId ? parseInputKey(kept.inputId) : null;
    }
    this.inputShape = message.facts.inputShape;
    this.images = message.images;
    if (!this.choice) this.choice = defaultInput(this.inputShape, this.images);
  }

  /** The document changed. */
  spec(message: SpecMessage): void {
    this.text = message.text;
    this.weightsPath = message.facts.weightsPath;
  }

  /** What the page keeps with `setState`. */
  saved(): PreviewState {
    const { uri, seed, normalisation, colormap, tab, choice } = this;
    return { uri, seed, normalisation, colormap, tab, ...(choice ? { inputId: inputKey(choice) } : {}) };
  }

  /** New random weights: `random` in [0, 1). */
  reseed(random: number): void {
    this.seed = (this.seed % 9973) + 1 + Math.floor(random * 1000);
  }

  /** The input dropdown's options: sample images, workspace images, then patterns. */
  inputOptions(): { readonly value: InputKey; readonly label: string }[] {
    const images = (group: ImageEntry['group'], caption: string) =>
      this.images.filter((i) => i.group === group).map((i) => ({ value: inputKey({ kind: 'image', id: i.id }), label: `${caption}: ${i.label}` }));
    return [
      ...images('sample', 'Sample'),
      ...images('workspace', 'Workspace'),
      ...PATTERNS.map((p) => ({ value: inputKey({ kind: 'pattern', pattern: p.name }), label: `Pattern: ${p.label}` })),
    ];
  }

  /** What the input row says the input is. */
  inputLabel(): string {
    const choice = this.choice;
    if (!choice) return '';
    return choice.kind === 'pattern' ? `pattern: ${choice.pattern}` : (this.images.find((i) => i.id === choice.id)?.label ?? '');
  }

  /** Whether the page asked for this image to run on (else it is a thumbnail's bytes only). */
  wantsImage(id: string): boolean {
    return this.requestedImages.has(id);
  }

  /** An image's bytes arrived; it is decoded next. */
  imageArrived(id: string, bytes: Uint8Array): void {
    this.imageBytes.set(id, bytes);
  }

  /** An image was decoded (null: the page could not); true when the run was waiting for it. */
  imageDecoded(id: string, pixels: RgbaImage | null): boolean {
    this.imagePixels.set(id, pixels);
    return this.choice?.kind === 'image' && this.choice.id === id;
  }

  /** The extension could not give an image: it may be asked again. */
  imageFailed(id: string): void {
    this.requestedImages.delete(id);
  }

  weightsArrived(path: string, bytes: Uint8Array): void {
    this.weights = { path, bytes };
  }

  /** The extension could not or would not read the weights file: runs go ahead without it. Returns the weights note. */
  weightsRefused(path: string, error: string): string {
    this.weightsFailed.set(path, error);
    return `Weights: ${path}: ${error}; RANDOM init`;
  }

  /**
   * The next run, if everything it needs is here; else what to ask for. The
   * weights file and the image are asked for together, each once, and the run
   * starts when both are here (or the weights were refused).
   */
  nextRun(): RunStep {
    const choice = this.choice;
    if (!this.uri || !choice) return { requests: [] };
    const requests: WebviewToExtension[] = [];
    let waiting = false;
    const wanted = this.weightsPath;
    if (wanted && this.weights?.path !== wanted && !this.weightsFailed.has(wanted)) {
      waiting = true;
      if (this.weightsRequested !== wanted) {
        this.weightsRequested = wanted;
        requests.push({ type: 'requestWeights', path: wanted });
      }
    }
    let input: RunRequest['input'] | null = null;
    if (choice.kind === 'image') {
      const bytes = this.imageBytes.get(choice.id);
      const pixels = this.imagePixels.get(choice.id);
      // `null`: the page could not decode it; the worker tries, and says so if it cannot either.
      if (bytes && pixels !== undefined) input = { kind: 'image', id: choice.id, bytes, ...(pixels ? { pixels } : {}) };
      else if (bytes) waiting = true;
      else if (!this.requestedImages.has(choice.id)) {
        this.requestedImages.add(choice.id);
        requests.push({ type: 'requestImage', id: choice.id });
      }
    } else {
      input = { kind: 'pattern', pattern: choice.pattern };
    }
    if (waiting || !input) {
      if (this.preparedText === this.text) return { requests };
      this.preparedText = this.text;
      return { requests, prepare: this.text };
    }
    const run: RunRequest = {
      type: 'run',
      runId: ++this.runCounter,
      text: this.text,
      input,
      seed: this.seed,
      channels: FIRST_CHANNELS,
      notation: this.notation,
      ...(this.weights ? { weights: this.weights } : {}),
    };
    return { requests, run };
  }

  /**
   * A run's plan arrived: the input shape it found, the weights note, and the
   * weights file to ask for when the text names one the page has not asked for.
   */
  planArrived(plan: PlanMessage): { readonly weightsNote: string; readonly random: boolean; readonly request?: WebviewToExtension } {
    if (plan.inputShape) this.inputShape = plan.inputShape;
    const path = plan.weightsPath;
    const refused = path ? this.weightsFailed.get(path) : undefined;
    const weightsNote = refused ? `Weights: ${path}: ${refused}; RANDOM init` : `Weights: ${plan.weightsNote}`;
    const random = plan.layers.some((l) => l.weightOrigin === 'random');
    if (path && this.weights?.path !== path && this.weightsRequested !== path && !this.weightsFailed.has(path)) {
      this.weightsRequested = path;
      return { weightsNote, random, request: { type: 'requestWeights', path } };
    }
    return { weightsNote, random };
  }
}

/** What the status line says when a plan arrives: where the run stops, or that there is nothing to run. */
export function planStatus(plan: PlanMessage): StatusLine {
  if (plan.stop) {
    const stopped = plan.layers[plan.stop.layer];
    const where = stopped ? `before layer \`${stopped.name}\`` : 'after the last layer';
    return { message: `Stopped ${where}: line ${plan.stop.line + 1}, column ${plan.stop.column + 1}: ${plan.stop.message} [${plan.stop.code}]`, kind: 'stopped' };
  }
  if (!plan.model) return { message: 'This file has no model to preview.', kind: 'info' };
  return { message: '', kind: 'info' };
}

/** The banner in place of the layers a stopped run did not reach. */
export function stopBanner(plan: PlanMessage): string | null {
  if (!plan.stop) return null;
  const stopped = plan.layers[plan.stop.layer];
  return `Stopped ${stopped ? `before \`${stopped.name}\` (line ${stopped.line + 1})` : 'here'}: ${plan.stop.message}`;
}

/** What the status line says when a run reports an error: the whole run failed, or one layer could not run. */
export function errorStatus(plan: PlanMessage | null, message: string, layer: number | undefined): StatusLine {
  if (layer === undefined) return { message: `The run failed: ${message}`, kind: 'error' };
  const name = plan?.layers[layer]?.name ?? `#${layer}`;
  return { message: `Stopped at layer \`${name}\`: ${message}`, kind: 'error' };
}
