import { beforeEach, describe, expect, it, vi } from 'vitest';
import serverLaunch from '../../src/protocol/launch.json';

const state = vi.hoisted(() => ({
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  providers: new Map<string, unknown>(),
  configListeners: [] as ((e: { affectsConfiguration(s: string): boolean }) => void)[],
  settings: {} as Record<string, unknown>,
  clients: [] as { id: string; serverOptions: any; clientOptions: any; started: number; stopped: number; requests: [string, unknown][] }[],
  opened: [] as string[],
  shown: [] as string[],
  messages: [] as string[],
  activeEditor: undefined as undefined | { document: { languageId: string; uri: { toString(): string; path: string } } },
}));

vi.mock('vscode', () => {
  class Uri {
    constructor(readonly scheme: string, readonly path: string, readonly query: string) {}
    static from(parts: { scheme: string; path: string; query: string }) {
      return new Uri(parts.scheme, parts.path, parts.query);
    }
    static parse(value: string) {
      return new Uri('file', value.replace(/^file:\/\//, ''), '');
    }
    toString() {
      return this.scheme === 'file' ? `file://${this.path}` : `${this.scheme}:${this.path}?${this.query}`;
    }
  }
  class EventEmitter {
    event = () => ({ dispose() {} });
    fire() {}
    dispose() {}
  }
  const disposable = { dispose() {} };
  return {
    Uri,
    EventEmitter,
    ViewColumn: { Beside: -2 },
    window: {
      get activeTextEditor() {
        return state.activeEditor;
      },
      createOutputChannel: () => ({ dispose() {}, appendLine() {} }),
      showInformationMessage: (m: string) => state.messages.push(m),
      showTextDocument: async (d: { uri: Uri; languageId: string }) => state.shown.push(`${d.uri.toString()} (${d.languageId})`),
      registerWebviewPanelSerializer: () => disposable,
      onDidChangeActiveTextEditor: () => disposable,
    },
    workspace: {
      getConfiguration: () => ({ get: (key: string, fallback?: unknown) => (key in state.settings ? state.settings[key] : fallback) }),
      onDidChangeConfiguration: (listener: (e: { affectsConfiguration(s: string): boolean }) => void) => {
        state.configListeners.push(listener);
        return disposable;
      },
      onDidChangeTextDocument: () => disposable,
      registerTextDocumentContentProvider: (scheme: string, provider: unknown) => {
        state.providers.set(scheme, provider);
        return disposable;
      },
      openTextDocument: async (uri: Uri) => {
        state.opened.push(uri.toString());
        // As VS Code picks a language: by the path's extension.
        return { uri, languageId: uri.path.endsWith('.cnn') ? 'cnn' : 'plaintext' };
      },
      textDocuments: [],
    },
    languages: {
      registerCodeLensProvider: () => disposable,
      setTextDocumentLanguage: async (d: { uri: Uri }, languageId: string) => ({ ...d, languageId }),
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        state.commands.set(id, handler);
        return disposable;
      },
    },
  };
});

vi.mock('vscode-languageclient/node', () => ({
  TransportKind: { stdio: 0, ipc: 1 },
  LanguageClient: class {
    record: (typeof state.clients)[number];
    constructor(id: string, _name: string, serverOptions: unknown, clientOptions: unknown) {
      this.record = { id, serverOptions, clientOptions, started: 0, stopped: 0, requests: [] };
      state.clients.push(this.record);
    }
    async start() {
      this.record.started++;
    }
    async stop() {
      this.record.stopped++;
    }
    needsStop() {
      return this.record.started > this.record.stopped;
    }
    isRunning() {
      return this.needsStop();
    }
    async sendRequest(method: string, params: unknown) {
      this.record.requests.push([method, params]);
      return { text: 'LeNet5 table' };
    }
  },
}));

const context = { subscriptions: [] as { dispose(): void }[], asAbsolutePath: (p: string) => `/ext/${p}` };

describe('extension activation (vscode and the language client stubbed)', () => {
  beforeEach(async () => {
    vi.resetModules();
    state.commands.clear();
    state.providers.clear();
    state.configListeners.length = 0;
    state.clients.length = 0;
    state.opened.length = 0;
    state.shown.length = 0;
    state.messages.length = 0;
    state.settings = { 'inlayHints.params': true };
    state.activeEditor = undefined;
    const main = await import('../../src/extension/main');
    await main.activate(context as never);
  });

  it('starts the server bundle over stdio for cnn documents, handing it the settings', () => {
    const [client] = state.clients;
    expect(client.id).toBe('convlens');
    expect(client.started).toBe(1);
    expect(client.serverOptions.run).toMatchObject({ module: '/ext/dist/server.js', transport: 0 });
    // Files and untitled buffers only: a generated view (the summary, a diff's other side) is never diagnosed.
    expect(client.clientOptions.documentSelector).toEqual([
      { scheme: 'file', language: 'cnn' },
      { scheme: 'untitled', language: 'cnn' },
    ]);
    expect(client.clientOptions.synchronize).toEqual({ configurationSection: 'convlens' });
    expect(client.clientOptions.initializationOptions).toEqual({ inlayHints: { outputShape: true, params: true }, shapeNotation: '×' });
  });

  it('registers its commands and the summary document provider', () => {
    expect([...state.commands.keys()].sort()).toEqual([
      'convlens.previewFeatureMaps',
      'convlens.previewFeatureMapsLocked',
      'convlens.restartServer',
      'convlens.showModelSummary',
      'convlens.togglePreviewLock',
    ]);
    expect([...state.providers.keys()]).toEqual(['convlens-summary']);
  });

  it('restarts with a new client when a restart-only setting changes, not otherwise', async () => {
    state.configListeners[0]({ affectsConfiguration: (s) => s === 'convlens.shapeNotation' });
    expect(state.clients).toHaveLength(1);
    state.settings['server.nodeArgs'] = ['--max-old-space-size=4096'];
    state.configListeners[0]({ affectsConfiguration: (s) => s === 'convlens.server.nodeArgs' });
    await vi.waitFor(() => expect(state.clients).toHaveLength(2));
    expect(state.clients[0].stopped).toBe(1);
    // The server's own arguments (src/protocol/launch.json) first, the user's last so they win.
    expect(state.clients[1].serverOptions.run.options.execArgv).toEqual([...serverLaunch.execArgv, '--max-old-space-size=4096']);
  });

  it('shows the summary of the active cnn editor in a plain-text virtual document, asking the server', async () => {
    state.activeEditor = { document: { languageId: 'cnn', uri: { toString: () => 'file:///m/lenet5.cnn', path: '/m/lenet5.cnn' } } };
    await state.commands.get('convlens.showModelSummary')!();
    expect(state.opened).toEqual(['convlens-summary:lenet5.cnn (summary)?file:///m/lenet5.cnn']);
    expect(state.shown).toEqual(['convlens-summary:lenet5.cnn (summary)?file:///m/lenet5.cnn (plaintext)']);
    const provider = state.providers.get('convlens-summary') as { provideTextDocumentContent(uri: unknown, token: unknown): Promise<string> };
    const text = await provider.provideTextDocumentContent({ query: 'file:///m/lenet5.cnn' }, undefined);
    expect(text).toBe('LeNet5 table');
    expect(state.clients[0].requests).toEqual([['convlens/summary', { textDocument: { uri: 'file:///m/lenet5.cnn' } }]]);
  });

  it('explains itself when no cnn file is open', async () => {
    await state.commands.get('convlens.showModelSummary')!();
    expect(state.messages).toEqual(['Open a .cnn file to see its model summary.']);
  });
});
