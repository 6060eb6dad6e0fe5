import type { ServerSettings, ShapeNotation } from '../protocol/lsp';

export const defaultSettings: ServerSettings = {
  inlayHints: { outputShape: true, params: false },
  shapeNotation: '×',
};

/**
 * Reads `convlens.*` settings as the client sends them, keeping a default for
 * anything missing or malformed: settings come from user JSON, so trust nothing.
 */
export function readSettings(raw: unknown): ServerSettings {
  const root = isRecord(raw) ? raw : {};
  const inlayHints = isRecord(root.inlayHints) ? root.inlayHints : {};
  return {
    inlayHints: {
      outputShape: bool(inlayHints.outputShape, defaultSettings.inlayHints.outputShape),
      params: bool(inlayHints.params, defaultSettings.inlayHints.params),
    },
    shapeNotation: notation(root.shapeNotation),
  };
}

function notation(value: unknown): ShapeNotation {
  return value === 'x' || value === '×' ? value : defaultSettings.shapeNotation;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
