/**
 * Every message of the feature-map preview: between the extension host and
 * the webview, and between the webview's UI thread and its Web Worker.
 * Types only, shared by src/extension/preview.ts, webview/main.ts and
 * webview/worker.ts. Each union is discriminated by `type`.
 */
import type { RgbaImage } from '../core/image';
import type { ShapeNotation } from '../language/notation';

/** The webview panel's view type; also the serializer's key. */
export const previewViewType = 'convlens.preview';

/** What the webview keeps with `setState`: the serializer gets it back after a reload. */
export interface PreviewState {
  /** The `.cnn` document's URI. */
  readonly uri: string;
  readonly inputId?: string;
  readonly seed?: number;
  readonly normalisation?: MapNormalisation;
  readonly colormap?: ColormapChoice;
  readonly tab?: PreviewTab;
}

/**
 * What a map's colours are scaled over: each `channel`'s own range, or the
 * whole `layer`'s. (Not the input's ImageNet normalisation, which is the
 * core's `InputNormalization`.)
 */
export type MapNormalisation = 'channel' | 'layer';
/** The maps' palette: `auto` is viridis for non-negative maps and diverging for signed ones. */
export type ColormapChoice = 'auto' | 'viridis' | 'gray' | 'diverging';
export type PreviewTab = 'maps' | 'summary';

/** An image the user can feed the model. */
export interface ImageEntry {
  /** Stable id: the image's URI. */
  readonly id: string;
  readonly label: string;
  readonly group: 'sample' | 'workspace';
  /**
   * A webview URI the picker shows as a thumbnail: for the bundled samples.
   * Absent for workspace images, which the webview may not load itself
   * (localResourceRoots is the extension's dist/ and samples/images/ only):
   * it asks for their bytes (`requestImage`) and shows those.
   */
  readonly thumbnail?: string;
}

/** A generated input, made in the worker at the model's input shape. */
export type PatternName = 'checkerboard' | 'stripes' | 'gradient' | 'circle' | 'impulse' | 'noise' | 'chirp';

/** What the model is run on: an image by id, or a synthetic pattern. */
export type InputChoice = { readonly kind: 'image'; readonly id: string } | { readonly kind: 'pattern'; readonly pattern: PatternName };

export type { ShapeNotation };

/**
 * What the extension's analysis of the text found, sent with the text: the
 * page acts on it before its worker has analysed the spec.
 */
export interface SpecFacts {
  /** The model's input shape; null when there is no model or the shape is unknown. */
  readonly inputShape: readonly number[] | null;
  /** The `weights "…"` path the model names, as written; null when none. */
  readonly weightsPath: string | null;
}

export interface InitMessage {
  readonly type: 'init';
  readonly uri: string;
  readonly notation: ShapeNotation;
  readonly fileName: string;
  readonly text: string;
  readonly facts: SpecFacts;
  readonly version: number;
  readonly images: readonly ImageEntry[];
  readonly state?: PreviewState;
}

/** The document changed (sent debounced). */
export interface SpecMessage {
  readonly type: 'spec';
  readonly text: string;
  readonly facts: SpecFacts;
  readonly version: number;
}

/** The cursor moved in the editor: 0-based line. */
export interface CursorMessage {
  readonly type: 'cursor';
  readonly line: number;
}

/** Raw bytes of an image the webview asked for. */
export interface ImageDataMessage {
  readonly type: 'imageData';
  readonly id: string;
  readonly bytes?: Uint8Array;
  readonly error?: string;
}

/** Bytes of a weights file the spec names, relative to the document. */
export interface WeightsDataMessage {
  readonly type: 'weightsData';
  readonly path: string;
  readonly bytes?: Uint8Array;
  readonly error?: string;
}

export interface ImagesMessage {
  readonly type: 'images';
  readonly images: readonly ImageEntry[];
}

export type ExtensionToWebview = InitMessage | SpecMessage | CursorMessage | ImageDataMessage | WeightsDataMessage | ImagesMessage;

export interface ReadyMessage {
  readonly type: 'ready';
}

/** Reveal a source offset (a layer's call) in the editor. */
export interface RevealMessage {
  readonly type: 'reveal';
  readonly offset: number;
}

export interface RequestImageMessage {
  readonly type: 'requestImage';
  readonly id: string;
}

export interface RequestWeightsMessage {
  readonly type: 'requestWeights';
  readonly path: string;
}

/** Save a PNG the webview made (a layer's grid); the extension asks where. */
export interface SavePngMessage {
  readonly type: 'savePng';
  readonly suggestedName: string;
  readonly bytes: Uint8Array;
}

export interface LogMessage {
  readonly type: 'log';
  readonly level: 'info' | 'error';
  readonly message: string;
}

export type WebviewToExtension = ReadyMessage | RevealMessage | RequestImageMessage | RequestWeightsMessage | SavePngMessage | LogMessage;

/** An encoded PNG/JPEG (the worker decodes it once per id), or a pattern made at the input shape. */
export type WorkerInput =
  | {
      readonly kind: 'image';
      readonly id: string;
      readonly bytes: Uint8Array;
      /** The image already decoded (the UI decodes while the worker starts up); else the worker decodes `bytes`. */
      readonly pixels?: RgbaImage;
    }
  | { readonly kind: 'pattern'; readonly pattern: PatternName };

/** Start a run; any run in progress is cancelled. */
export interface RunRequest {
  readonly type: 'run';
  readonly runId: number;
  readonly text: string;
  readonly input: WorkerInput;
  readonly seed: number;
  /** A `.safetensors` file's bytes, when the spec names one and the extension could read it. */
  readonly weights?: { readonly path: string; readonly bytes: Uint8Array };
  /** How many channels of each layer to send at first. */
  readonly channels: number;
  /** For the summary table. */
  readonly notation: ShapeNotation;
}

export interface CancelRequest {
  readonly type: 'cancel';
  readonly runId: number;
}

/** Send more of a layer's channels ("show all"). */
export interface ChannelsRequest {
  readonly type: 'channels';
  readonly runId: number;
  readonly layer: number;
  readonly from: number;
  readonly to: number;
}

/** Analyse this text now, while the run waits for its image or weights; a run of the same text reuses the analysis. */
export interface PrepareRequest {
  readonly type: 'prepare';
  readonly text: string;
}

/** One channel's full-resolution values (for hover readouts and the enlarged view): the worker keeps them, the page asks. */
export interface ValuesRequest {
  readonly type: 'values';
  readonly runId: number;
  readonly layer: number;
  readonly channel: number;
}

export type UiToWorker = RunRequest | CancelRequest | ChannelsRequest | PrepareRequest | ValuesRequest;

/**
 * Where a layer's weights come from, as its header says: `named` or `literal`
 * hand-set kernels, the `file`, the seeded `random` init, or `none` (no
 * parameters). (What supplies the values is the core's `WeightSource`.)
 */
export type WeightOrigin = 'named' | 'literal' | 'file' | 'random' | 'none';

/** What the UI shows about one layer; plain data built from analyze(). */
export interface LayerInfo {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  /** 0-based line of the layer's call, and of each block call that led to it. */
  readonly line: number;
  readonly callLines: readonly number[];
  /** Source offset of the call, for reveal. */
  readonly offset: number;
  readonly outputShape: readonly number[] | null;
  readonly params: number;
  readonly macs: number;
  readonly receptiveField: readonly number[] | null;
  readonly jump: readonly number[] | null;
  /** Offset (in input pixels, per spatial axis) of the first output position's field start; null when unknown. */
  readonly fieldStart: readonly number[] | null;
  readonly weightOrigin: WeightOrigin;
}

/** Where a run stops early, and why. */
export interface StopInfo {
  /** Index into `layers` of the first layer not run. */
  readonly layer: number;
  /** 0-based line and column of the first error. */
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
}

/** Sent once analysis is done, before any layer runs. */
export interface PlanMessage {
  readonly type: 'plan';
  readonly runId: number;
  readonly model: string | null;
  readonly inputShape: readonly number[] | null;
  readonly layers: readonly LayerInfo[];
  readonly stop: StopInfo | null;
  /** The `convlens summary` table. */
  readonly summary: string;
  /** `weights "…"` in the spec, if any. */
  readonly weightsPath: string | null;
  /** What the run's weights are, in a sentence ("seeded random init (seed 1)"). */
  readonly weightsNote: string;
  readonly totalParams: number;
}

/** A float tensor slice: channels [from, to) of a C×… tensor, data for those channels only. */
export interface TensorSlice {
  readonly shape: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly data: Float32Array;
  /** Over the whole tensor, not just the slice. */
  readonly min: number;
  readonly max: number;
}

/**
 * Channels [from, to) of a C×H×W or C×D×H×W map, ready to draw: each map
 * shrunk in the worker to at most `width×height` (`factor` source pixels per
 * tile pixel, each box's strongest value kept) and given as colormap indices
 * (0–255) in the layer's colormap, under both normalisations. The
 * full-resolution values stay in the worker (a `values` request fetches a
 * channel): the page holds a few bytes a pixel instead of 16 full maps of
 * floats per layer.
 */
export interface MapTiles {
  readonly kind: 'tiles';
  /** The whole tensor's shape. */
  readonly shape: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly width: number;
  readonly height: number;
  readonly factor: number;
  /** Depth slices per channel (D of a C×D×H×W map, else 1). */
  readonly depths: number;
  /** [normalisation: channel, layer][channel − from][depth][height·width]. */
  readonly indices: Uint8Array;
  /** Per channel: the lo and hi of its own range (per-channel normalisation). */
  readonly ranges: Float32Array;
  /** Over the whole tensor. */
  readonly min: number;
  readonly max: number;
}

/**
 * Channels [from, to) of a layer's output as sent to the page: display tiles
 * for maps, the values themselves for vectors and 1D signals. (The runner's
 * whole result for a layer is the core's `LayerOutput`, src/core/execute.ts.)
 */
export type OutputChannels = TensorSlice | MapTiles;

/** A channel's full-resolution values ([D×]H×W), or none when the worker no longer has them. */
export interface ValuesMessage {
  readonly type: 'values';
  readonly runId: number;
  readonly index: number;
  readonly channel: number;
  readonly data?: Float32Array;
}

/** The preprocessed model input, shown as the first row. */
export interface InputMessage {
  readonly type: 'input';
  readonly runId: number;
  readonly tensor: TensorSlice;
}

export interface LayerMessage {
  readonly type: 'layer';
  readonly runId: number;
  /** Index into the plan's `layers`. */
  readonly index: number;
  readonly output: OutputChannels;
  /** Conv filters (first input channel of the first few filters), for small kernel images. */
  readonly kernels?: TensorSlice;
  readonly ms: number;
}

export interface ChannelsMessage {
  readonly type: 'channels';
  readonly runId: number;
  readonly index: number;
  readonly output: OutputChannels;
}

export interface DoneMessage {
  readonly type: 'done';
  readonly runId: number;
  readonly ms: number;
  readonly cancelled: boolean;
}

export interface WorkerErrorMessage {
  readonly type: 'error';
  readonly runId: number;
  readonly message: string;
  /** Index of the layer that failed, when a layer failed. */
  readonly layer?: number;
}

/** Something the user should know that does not stop the run (an image that would not decode, so a pattern stands in). */
export interface NoticeMessage {
  readonly type: 'notice';
  readonly runId: number;
  readonly message: string;
}

/** The worker has read a run request (and cancelled the run before it): sent before any analysis. */
export interface StartedMessage {
  readonly type: 'started';
  readonly runId: number;
}

export type WorkerToUi = StartedMessage | PlanMessage | InputMessage | LayerMessage | ChannelsMessage | DoneMessage | WorkerErrorMessage | NoticeMessage | ValuesMessage;
