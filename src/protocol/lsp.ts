/**
 * Every custom request and notification between the ConvLens client and server,
 * and the settings the client hands the server. Types only (plus method and command names):
 * the client and the server each bind these to their own vscode-jsonrpc.
 */
import type { ShapeNotation } from '../language/notation';

/** A request's method name, carrying its parameter and result types. */
export interface RequestSpec<Params, Result> {
  readonly method: string;
  /** Never set; only carries the types. */
  readonly types?: { readonly params: Params; readonly result: Result };
}

export type ParamsOf<R> = R extends RequestSpec<infer P, unknown> ? P : never;
export type ResultOf<R> = R extends RequestSpec<unknown, infer T> ? T : never;

export type { ShapeNotation };

/**
 * The `convlens.*` settings the server reads. The client sends them as
 * `initializationOptions` and again in `workspace/didChangeConfiguration`
 * (as `settings.convlens`), so the server never has to ask.
 */
export interface ServerSettings {
  readonly inlayHints: {
    readonly outputShape: boolean;
    readonly params: boolean;
  };
  readonly shapeNotation: ShapeNotation;
}

export interface SummaryParams {
  readonly textDocument: { readonly uri: string };
}

/** One row of the model summary: a layer, in execution order. */
export interface SummaryRow {
  /** `layer1.0.conv1`, or the user's label. */
  readonly name: string;
  readonly kind: string;
  /** Nesting depth: 0 at model level, +1 per block call or repeat it was expanded through. */
  readonly depth: number;
  /** Formatted with the configured notation; `?` when unknown. */
  readonly outputShape: string;
  readonly params: number;
  readonly macs: number;
  /** The layer's call in the source, as an LSP range. */
  readonly range: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
}

export interface SummaryResult {
  readonly uri: string;
  /** The document version the summary was computed from. */
  readonly version: number;
  /** The model's name, or null when the file has no model. */
  readonly model: string | null;
  readonly inputShape: string;
  readonly outputShape: string;
  readonly totalParams: number;
  readonly totalMacs: number;
  readonly rows: readonly SummaryRow[];
  /** The whole summary as a plain-text table, torchinfo style. */
  readonly text: string;
}

/** The client command that opens the model summary (the model's code lens runs it); it takes the document URI. */
export const showSummaryCommand = 'convlens.showModelSummary';

/** `convlens/summary`: the torchinfo-style table of the model in a document. */
export const summaryRequest: RequestSpec<SummaryParams, SummaryResult | null> = { method: 'convlens/summary' };

/** What the preview's page needs first from the server's analysis of a document: its model's input shape and weights file. */
export interface PreviewFactsResult {
  /** The document version the facts were read from. */
  readonly version: number;
  readonly inputShape: readonly number[] | null;
  readonly weightsPath: string | null;
}

/** `convlens/previewFacts`: the server's analysis read for the preview, so the extension host need not analyse the text again. */
export const previewFactsRequest: RequestSpec<SummaryParams, PreviewFactsResult | null> = { method: 'convlens/previewFacts' };
