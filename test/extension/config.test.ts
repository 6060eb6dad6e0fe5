import { describe, expect, it } from 'vitest';
import type { WorkspaceConfiguration } from 'vscode';
import { Config, isCnnDocument } from '../../src/extension/config';

function fakeConfiguration(values: Record<string, unknown>): WorkspaceConfiguration {
  const get = (key: string, fallback?: unknown) => (key in values ? values[key] : fallback);
  return { get, has: (key: string) => key in values, inspect: () => undefined, update: async () => {} } as unknown as WorkspaceConfiguration;
}

describe('Config', () => {
  it('passes the server its settings, defaulting what is unset', () => {
    const config = new Config(() => fakeConfiguration({ 'inlayHints.params': true, shapeNotation: 'x' }));
    expect(config.serverSettings).toEqual({ inlayHints: { outputShape: true, params: true }, shapeNotation: 'x' });
  });

  it('restarts the server only for settings read at process start', () => {
    const config = new Config(() => fakeConfiguration({}));
    const changed = (section: string) => ({ affectsConfiguration: (s: string) => s === section || section.startsWith(`${s}.`) });
    expect(config.requiresRestart(changed('convlens.server.nodeArgs'))).toBe(true);
    expect(config.requiresRestart(changed('convlens.shapeNotation'))).toBe(false);
    expect(config.requiresRestart(changed('convlens.inlayHints.params'))).toBe(false);
    expect(config.requiresRestart(changed('convlens.trace.server'))).toBe(false);
  });

  it('ignores malformed node arguments', () => {
    const config = new Config(() => fakeConfiguration({ 'server.nodeArgs': ['--inspect', 3, null] }));
    expect(config.serverNodeArgs).toEqual(['--inspect']);
  });
});

describe('isCnnDocument', () => {
  it('selects cnn files and untitled buffers, not a generated view of a model or another language', () => {
    expect(isCnnDocument({ languageId: 'cnn', uri: { scheme: 'file' } })).toBe(true);
    expect(isCnnDocument({ languageId: 'cnn', uri: { scheme: 'untitled' } })).toBe(true);
    expect(isCnnDocument({ languageId: 'cnn', uri: { scheme: 'convlens-summary' } })).toBe(false);
    expect(isCnnDocument({ languageId: 'cnn', uri: { scheme: 'git' } })).toBe(false);
    expect(isCnnDocument({ languageId: 'plaintext', uri: { scheme: 'file' } })).toBe(false);
  });
});
