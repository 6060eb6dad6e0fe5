/**
 * Checks each message between the extension and the webview before either
 * side acts on it: the right `type`, and each field of the right kind and
 * size. A message that fails is dropped (the caller logs it), so neither side
 * acts on what the other did not mean to send. Bytes are accepted however
 * they travelled (src/protocol/bytes.ts) and handed on as a Uint8Array. Pure, and
 * free of `vscode` and DOM APIs: the extension imports it too.
 */
import type { ExtensionToWebview, ImageEntry, PreviewState, SpecFacts, WebviewToExtension } from '../src/protocol/webview';
import { asBytes } from '../src/protocol/bytes';

/** Longest id, path, name or log line accepted: far above any real one. */
const MAX_STRING = 4096;
/** Longest document text accepted (the language server's own limit is lower). */
const MAX_TEXT = 64 * 1024 * 1024;
/** Most images in one list (the extension lists at most a few hundred). */
const MAX_IMAGES = 10_000;

type Fields = Record<string, unknown>;

/**
 * Every message type each side parses. A type added to the protocol without a
 * case here fails to compile, instead of being dropped at run time.
 */
export const EXTENSION_MESSAGE_TYPES = { init: true, spec: true, cursor: true, imageData: true, weightsData: true, images: true } as const satisfies Record<ExtensionToWebview['type'], true>;
export const WEBVIEW_MESSAGE_TYPES = { ready: true, reveal: true, requestImage: true, requestWeights: true, savePng: true, log: true } as const satisfies Record<WebviewToExtension['type'], true>;

function record(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

const isString = (value: unknown, max = MAX_STRING): value is string => typeof value === 'string' && value.length <= max;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const optional = <T>(value: unknown, check: (v: unknown) => v is T): boolean => value === undefined || check(value);

function imageEntry(value: unknown): ImageEntry | undefined {
  const m = record(value);
  if (!m || !isString(m.id) || !isString(m.label) || (m.group !== 'sample' && m.group !== 'workspace') || !optional(m.thumbnail, isString)) return undefined;
  return { id: m.id, label: m.label, group: m.group, ...(m.thumbnail !== undefined ? { thumbnail: m.thumbnail as string } : {}) };
}

function imageList(value: unknown): ImageEntry[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_IMAGES) return undefined;
  const entries = value.map(imageEntry);
  return entries.every((e): e is ImageEntry => e !== undefined) ? entries : undefined;
}

function previewState(value: unknown): PreviewState | undefined {
  const m = record(value);
  if (!m || !isString(m.uri)) return undefined;
  if (!optional(m.inputId, isString) || !(m.seed === undefined || (typeof m.seed === 'number' && Number.isFinite(m.seed)))) return undefined;
  if (!(m.normalisation === undefined || m.normalisation === 'channel' || m.normalisation === 'layer')) return undefined;
  if (!(m.tab === undefined || m.tab === 'maps' || m.tab === 'summary')) return undefined;
  // Its own saved state, back from the serializer: checked field by field, kept whole.
  return m as unknown as PreviewState;
}

/** Most axes in a shape (the language's inputs have 1 to 4 after the channels). */
const MAX_RANK = 16;

function specFacts(value: unknown): SpecFacts | undefined {
  const m = record(value);
  if (!m || !(m.weightsPath === null || isString(m.weightsPath))) return undefined;
  const shape = m.inputShape;
  if (!(shape === null || (Array.isArray(shape) && shape.length <= MAX_RANK && shape.every(isCount)))) return undefined;
  return { inputShape: shape === null ? null : [...(shape as number[])], weightsPath: m.weightsPath as string | null };
}

/** Bytes, or undefined when absent; null when present but not bytes. */
function optionalBytes(value: unknown): Uint8Array | undefined | null {
  return value === undefined ? undefined : asBytes(value);
}

/** A message from the extension, checked; undefined when it is not one the webview understands. */
export function parseExtensionMessage(value: unknown): ExtensionToWebview | undefined {
  const m = record(value);
  switch (m?.type) {
    case 'init': {
      if (!isString(m.uri) || (m.notation !== '×' && m.notation !== 'x') || !isString(m.fileName) || !isString(m.text, MAX_TEXT) || !isCount(m.version)) return undefined;
      const images = imageList(m.images);
      const facts = specFacts(m.facts);
      const state = m.state === undefined ? undefined : previewState(m.state);
      if (!images || !facts || (m.state !== undefined && !state)) return undefined;
      return { type: 'init', uri: m.uri, notation: m.notation, fileName: m.fileName, text: m.text, facts, version: m.version, images, ...(state ? { state } : {}) };
    }
    case 'spec': {
      const facts = specFacts(m.facts);
      return isString(m.text, MAX_TEXT) && facts && isCount(m.version) ? { type: 'spec', text: m.text, facts, version: m.version } : undefined;
    }
    case 'cursor':
      return isCount(m.line) ? { type: 'cursor', line: m.line } : undefined;
    case 'imageData':
    case 'weightsData': {
      const key = m.type === 'imageData' ? m.id : m.path;
      const bytes = optionalBytes(m.bytes);
      if (!isString(key) || bytes === null || !optional(m.error, isString) || (bytes === undefined) === (m.error === undefined)) return undefined;
      const body = bytes ? { bytes } : { error: m.error as string };
      return m.type === 'imageData' ? { type: 'imageData', id: key, ...body } : { type: 'weightsData', path: key, ...body };
    }
    case 'images': {
      const images = imageList(m.images);
      return images ? { type: 'images', images } : undefined;
    }
    default:
      return undefined;
  }
}

/** A message from the webview, checked; undefined when it is not one the extension acts on. */
export function parseWebviewMessage(value: unknown): WebviewToExtension | undefined {
  const m = record(value);
  switch (m?.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal':
      return isCount(m.offset) ? { type: 'reveal', offset: m.offset } : undefined;
    case 'requestImage':
      return isString(m.id) ? { type: 'requestImage', id: m.id } : undefined;
    case 'requestWeights':
      return isString(m.path) ? { type: 'requestWeights', path: m.path } : undefined;
    case 'savePng': {
      const bytes = asBytes(m.bytes);
      return isString(m.suggestedName, 255) && bytes ? { type: 'savePng', suggestedName: m.suggestedName, bytes } : undefined;
    }
    case 'log':
      return (m.level === 'info' || m.level === 'error') && isString(m.message, 64 * 1024) ? { type: 'log', level: m.level, message: m.message } : undefined;
    default:
      return undefined;
  }
}

/** A short description of a dropped message for the log: its type, never its content. */
export function describeDropped(value: unknown): string {
  const type = record(value)?.type;
  return typeof type === 'string' ? `a malformed or unknown '${type.slice(0, 40)}' message` : `a message without a type (${value === null ? 'null' : typeof value})`;
}
