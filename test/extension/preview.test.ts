import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A small vscode stand-in: just what preview.ts touches. */
const vs = vi.hoisted(() => {
  class Uri {
    readonly authority = '';
    constructor(readonly scheme: string, readonly path: string) {}
    get fsPath() {
      return this.path;
    }
    static file(path: string) {
      return new Uri('file', path);
    }
    static parse(value: string) {
      return new Uri(value.split(':')[0], value.replace(/^\w+:\/\//, ''));
    }
    static joinPath(base: Uri, ...parts: string[]) {
      const segments = [...base.path.split('/'), ...parts.flatMap((p) => p.split('/'))];
      const out: string[] = [];
      for (const s of segments) {
        if (s === '..') out.pop();
        else if (s !== '.' && s !== '') out.push(s);
      }
      return new Uri(base.scheme, `/${out.join('/')}`);
    }
    with(change: { path?: string }) {
      return new Uri(this.scheme, change.path ?? this.path);
    }
    toString() {
      return `${this.scheme}://${this.path}`;
    }
  }
  type Listener<T> = (e: T) => void;
  const emitter = <T>() => {
    const listeners: Listener<T>[] = [];
    const event = (l: Listener<T>) => {
      listeners.push(l);
      return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
    };
    return { event, fire: (e: T) => [...listeners].forEach((l) => l(e)) };
  };
  const state = {
    panels: [] as any[],
    serializers: new Map<string, any>(),
    lensProviders: [] as any[],
    files: new Map<string, Uint8Array>(),
    dirs: new Map<string, [string, number][]>(),
    found: [] as Uri[],
    workspaceFolders: [{ uri: Uri.file('/work') }] as { uri: Uri }[] | undefined,
    documents: new Map<string, any>(),
    visibleEditors: [] as any[],
    shown: [] as any[],
    saved: [] as [string, Uint8Array][],
    saveTarget: undefined as Uri | undefined,
    changes: emitter<any>(),
    opens: emitter<any>(),
    selections: emitter<any>(),
    activeEditors: emitter<any>(),
    info: [] as string[],
    errors: [] as string[],
    dialogs: 0,
    /** Symbolic links on the "disk" realpath sees: link path → target path. */
    links: new Map<string, string>(),
  };
  const makePanel = (viewType: string, title: string, showOptions: unknown, options: any) => {
    const received = emitter<unknown>();
    const disposed = emitter<void>();
    const panel = {
      viewType,
      title,
      showOptions,
      options,
      viewColumn: 2,
      active: false,
      iconPath: undefined as unknown,
      posted: [] as any[],
      revealed: 0,
      disposedCount: 0,
      webview: {
        html: '',
        options,
        cspSource: 'https://resource.test',
        asWebviewUri: (u: Uri) => `https://resource.test${u.path}`,
        postMessage: async (m: unknown) => {
          panel.posted.push(m);
          return true;
        },
        onDidReceiveMessage: received.event,
      },
      receive: (m: unknown) => received.fire(m),
      reveal: () => panel.revealed++,
      onDidDispose: disposed.event,
      dispose: () => {
        panel.disposedCount++;
        disposed.fire();
      },
    };
    state.panels.push(panel);
    return panel;
  };
  return { Uri, state, makePanel };
});

vi.mock('vscode', () => {
  const { Uri, state, makePanel } = vs;
  class Position {
    constructor(readonly line: number, readonly character: number) {}
  }
  class Range {
    constructor(...args: unknown[]) {
      Object.assign(this, { args });
    }
  }
  class Selection {
    constructor(readonly anchor: Position, readonly active: Position) {}
  }
  class CodeLens {
    constructor(readonly range: Range, readonly command: unknown) {}
  }
  const disposable = { dispose() {} };
  return {
    Uri,
    Position,
    Range,
    Selection,
    CodeLens,
    ViewColumn: { One: 1, Two: 2, Beside: -2 },
    FileType: { File: 1, Directory: 2 },
    TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
    window: {
      get activeTextEditor() {
        return state.visibleEditors[0];
      },
      get visibleTextEditors() {
        return state.visibleEditors;
      },
      createWebviewPanel: (viewType: string, title: string, show: unknown, options: unknown) => makePanel(viewType, title, show, options),
      registerWebviewPanelSerializer: (viewType: string, serializer: unknown) => {
        state.serializers.set(viewType, serializer);
        return disposable;
      },
      onDidChangeTextEditorSelection: state.selections.event,
      onDidChangeActiveTextEditor: state.activeEditors.event,
      showInformationMessage: (m: string) => state.info.push(m),
      showTextDocument: async (document: any, options: unknown) => {
        const editor = { document, options, selection: undefined as unknown, revealed: undefined as unknown, revealRange(r: unknown) { this.revealed = r; } };
        state.shown.push(editor);
        return editor;
      },
      showSaveDialog: async () => {
        state.dialogs++;
        return state.saveTarget;
      },
      showErrorMessage: (m: string) => state.errors.push(m),
    },
    languages: {
      registerCodeLensProvider: (selector: unknown, provider: unknown) => {
        state.lensProviders.push({ selector, provider });
        return disposable;
      },
    },
    workspace: {
      get workspaceFolders() {
        return state.workspaceFolders;
      },
      getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback }),
      openTextDocument: async (uri: InstanceType<typeof Uri>) => {
        const document = state.documents.get(uri.toString());
        if (!document) throw new Error(`no document ${uri}`);
        return document;
      },
      onDidChangeTextDocument: state.changes.event,
      onDidOpenTextDocument: state.opens.event,
      findFiles: async () => state.found,
      fs: {
        readFile: async (uri: InstanceType<typeof Uri>) => {
          const bytes = state.files.get(uri.path);
          if (!bytes) throw new Error(`ENOENT ${uri.path}`);
          return bytes;
        },
        readDirectory: async (uri: InstanceType<typeof Uri>) => {
          const entries = state.dirs.get(uri.path);
          if (!entries) throw new Error('ENOENT');
          return entries;
        },
        writeFile: async (uri: InstanceType<typeof Uri>, bytes: Uint8Array) => {
          state.saved.push([uri.path, bytes]);
        },
      },
    },
  };
});

vi.mock('node:fs/promises', () => ({
  realpath: async (path: string) => {
    for (const [link, target] of vs.state.links) if (path === link || path.startsWith(`${link}/`)) return target + path.slice(link.length);
    return path;
  },
}));

import { PreviewPanels } from '../../src/extension/preview';

const { Uri, state } = vs;
const text = 'model M {\n  input x: 1×8×8\n  weights "w.safetensors"\n  conv 2, k=3\n}\n';

function documentAt(path: string, content = text) {
  const uri = Uri.file(path);
  const document = {
    uri,
    languageId: 'cnn',
    version: 1,
    content,
    getText() {
      return this.content;
    },
    get lineCount() {
      return this.content.split('\n').length;
    },
    lineAt(line: number) {
      return { text: this.content.split('\n')[line] };
    },
    positionAt(offset: number) {
      const before = this.content.slice(0, offset).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length };
    },
  };
  state.documents.set(uri.toString(), document);
  return document;
}

const flush = () => new Promise((r) => setTimeout(r, 0));
/** A PNG's signature and the start of its IHDR chunk. */
const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1]);
const extensionUri = Uri.file('/ext');

beforeEach(() => {
  state.panels.length = 0;
  state.serializers.clear();
  state.lensProviders.length = 0;
  state.files.clear();
  state.dirs.clear();
  state.found = [];
  state.workspaceFolders = [{ uri: Uri.file('/work') }];
  state.documents.clear();
  state.visibleEditors = [];
  state.shown.length = 0;
  state.saved.length = 0;
  state.info.length = 0;
  state.errors.length = 0;
  state.dialogs = 0;
  state.links.clear();
});

/** What a panel's webview was last told to show, once it says `ready`. */
async function initOf(panel: any): Promise<any> {
  panel.posted.length = 0;
  panel.receive({ type: 'ready' });
  await flush();
  await flush();
  return panel.posted.find((m: any) => m.type === 'init');
}

describe('PreviewPanels', () => {
  it('registers the serializer and a code lens above each model', () => {
    new PreviewPanels(extensionUri as never);
    expect([...state.serializers.keys()]).toEqual(['convlens.preview']);
    const { selector, provider } = state.lensProviders[0];
    expect(selector).toEqual([
      { scheme: 'file', language: 'cnn' },
      { scheme: 'untitled', language: 'cnn' },
    ]);
    const lenses = provider.provideCodeLenses(documentAt('/work/m.cnn'));
    expect(lenses).toHaveLength(1);
    expect(lenses[0].command).toMatchObject({ command: 'convlens.previewFeatureMaps', arguments: ['file:///work/m.cnn'] });
  });

  it('opens the first preview beside the editor, with scripts, a nonce CSP and roots limited to the extension’s bundles and sample images', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    documentAt('/work/m.cnn');
    await previews.show('file:///work/m.cnn');
    await previews.show('file:///work/m.cnn');
    expect(state.panels).toHaveLength(1);
    const panel = state.panels[0];
    expect(panel.revealed).toBe(1);
    expect(panel.viewType).toBe('convlens.preview');
    expect(panel.title).toBe('Feature maps: m.cnn');
    expect(panel.showOptions).toEqual({ viewColumn: -2, preserveFocus: true });
    expect(panel.options.enableScripts).toBe(true);
    // The bundles and the sample images only: the workspace's files reach the webview as bytes the extension chose to send.
    expect(panel.options.localResourceRoots.map(String)).toEqual(['file:///ext/dist', 'file:///ext/samples/images']);
    const nonce = /'nonce-([A-Za-z0-9]+)'/.exec(panel.webview.html)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(panel.webview.html).toContain(`<script nonce="${nonce}" src="https://resource.test/ext/dist/webview.js">`);
  });

  it('keeps one following preview: another document retargets it in its own column, and so does switching to a .cnn editor', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    const first = documentAt('/work/a.cnn');
    const second = documentAt('/work/b.cnn', text.replace('model M', 'model B'));
    await previews.show('file:///work/a.cnn');
    const panel = state.panels[0];
    const firstHtml = panel.webview.html;
    await previews.show('file:///work/b.cnn');
    expect(state.panels).toHaveLength(1);
    expect(panel.revealed).toBe(1);
    expect(panel.title).toBe('Feature maps: b.cnn');
    // The page is reloaded for the new document: nothing of a.cnn's run carries over.
    expect(panel.webview.html).not.toBe(firstHtml);
    expect(await initOf(panel)).toMatchObject({ uri: 'file:///work/b.cnn', fileName: 'b.cnn', text: second.content });

    state.activeEditors.fire({ document: first });
    expect(panel.title).toBe('Feature maps: a.cnn');
    expect(await initOf(panel)).toMatchObject({ uri: 'file:///work/a.cnn' });
    // Edits follow the new document only.
    vi.useFakeTimers();
    try {
      state.changes.fire({ document: second });
      state.changes.fire({ document: first });
      await vi.advanceTimersByTimeAsync(300);
      expect(panel.posted.filter((m: any) => m.type === 'spec')).toEqual([{ type: 'spec', text: first.content, facts: { inputShape: [1, 8, 8], weightsPath: 'w.safetensors' }, version: 1 }]);
    } finally {
      vi.useRealTimers();
    }

    // Neither a generated view of a model nor another language, nor no editor, moves it.
    state.activeEditors.fire({ document: { ...second, uri: new Uri('convlens-summary', 'b.cnn (summary)') } });
    state.activeEditors.fire({ document: { ...second, languageId: 'markdown' } });
    state.activeEditors.fire(undefined);
    expect(panel.title).toBe('Feature maps: a.cnn');
    expect(state.panels).toHaveLength(1);
  });

  it('opens a locked preview in the previews’ column; it stays on its document, and the lock toggles', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    const a = documentAt('/work/a.cnn');
    documentAt('/work/b.cnn');
    await previews.show('file:///work/a.cnn');
    await previews.show('file:///work/a.cnn', { locked: true });
    await previews.show('file:///work/a.cnn', { locked: true });
    expect(state.panels).toHaveLength(2);
    const [following, locked] = state.panels;
    expect(locked.showOptions).toEqual({ viewColumn: 2, preserveFocus: true });
    expect(locked.title).toBe('[Locked] Feature maps: a.cnn');
    expect(locked.revealed).toBe(1);

    await previews.show('file:///work/b.cnn');
    expect([following.title, locked.title]).toEqual(['Feature maps: b.cnn', '[Locked] Feature maps: a.cnn']);
    state.activeEditors.fire({ document: documentAt('/work/c.cnn') });
    expect(locked.title).toBe('[Locked] Feature maps: a.cnn');

    // Unlocking the focused locked preview makes it the following one, in place of the one that was.
    locked.active = true;
    previews.toggleLock();
    expect(following.disposedCount).toBe(1);
    expect(locked.title).toBe('Feature maps: a.cnn');
    state.activeEditors.fire({ document: documentAt('/work/d.cnn') });
    expect(locked.title).toBe('Feature maps: d.cnn');
    // Locking it again: it stays, and the next unlocked preview is a new panel.
    previews.toggleLock();
    expect(locked.title).toBe('[Locked] Feature maps: d.cnn');
    state.activeEditors.fire({ document: a });
    expect(locked.title).toBe('[Locked] Feature maps: d.cnn');
    await previews.show('file:///work/a.cnn');
    expect(state.panels).toHaveLength(3);
    expect(state.panels[2].title).toBe('Feature maps: a.cnn');
  });

  it('without a .cnn editor, says what to do', async () => {
    await new PreviewPanels(extensionUri as never).show();
    expect(state.panels).toHaveLength(0);
    expect(state.info[0]).toMatch(/Open a \.cnn file/);
  });

  it('answers ready with the text and the sample images, then the workspace images; serves only listed images', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    documentAt('/work/m.cnn');
    state.dirs.set('/ext/samples/images', [
      ['digit-7.png', 1],
      ['README.md', 1],
      ['cat.jpg', 1],
    ]);
    state.found = [Uri.file('/work/photos/dog.jpeg')];
    state.files.set('/ext/samples/images/digit-7.png', new Uint8Array([1, 2, 3]));
    state.files.set('/etc/passwd', new Uint8Array([9]));
    await previews.show('file:///work/m.cnn');
    const panel = state.panels[0];
    panel.receive({ type: 'ready' });
    await flush();
    await flush();
    const init = panel.posted.find((m: any) => m.type === 'init');
    expect(init).toMatchObject({ uri: 'file:///work/m.cnn', text, notation: '×', fileName: 'm.cnn' });
    // What the extension's analysis found, so the page need not read the text itself.
    expect(init.facts).toEqual({ inputShape: [1, 8, 8], weightsPath: 'w.safetensors' });
    expect(init.images.map((i: any) => [i.label, i.group])).toEqual([
      ['cat', 'sample'],
      ['digit-7', 'sample'],
    ]);
    const images = panel.posted.find((m: any) => m.type === 'images');
    expect(images.images.map((i: any) => i.label)).toEqual(['cat', 'digit-7', 'dog']);
    expect(images.images[0]).toMatchObject({ group: 'sample', thumbnail: 'https://resource.test/ext/samples/images/cat.jpg' });
    expect(images.images[2]).toEqual({ id: 'file:///work/photos/dog.jpeg', label: 'dog', group: 'workspace' });

    panel.receive({ type: 'requestImage', id: 'file:///ext/samples/images/digit-7.png' });
    panel.receive({ type: 'requestImage', id: 'file:///etc/passwd' });
    await flush();
    const reply = (id: string) => panel.posted.find((m: any) => m.type === 'imageData' && m.id === id);
    expect(reply('file:///ext/samples/images/digit-7.png')).toMatchObject({ bytes: new Uint8Array([1, 2, 3]) });
    expect(reply('file:///etc/passwd')).toMatchObject({ error: 'not an image this preview listed' });
  });

  it('reads a .safetensors file beside the spec, and nothing outside the workspace or of another type', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    documentAt('/work/m.cnn');
    state.files.set('/work/w.safetensors', new Uint8Array([7]));
    await previews.show('file:///work/m.cnn');
    const panel = state.panels[0];
    for (const path of ['w.safetensors', '../../etc/x.safetensors', 'notes.txt', 'missing.safetensors']) panel.receive({ type: 'requestWeights', path });
    await flush();
    const replies = panel.posted.filter((m: any) => m.type === 'weightsData').sort((a: any, b: any) => (a.bytes ? -1 : b.bytes ? 1 : 0));
    expect(replies).toEqual([
      { type: 'weightsData', path: 'w.safetensors', bytes: new Uint8Array([7]) },
      { type: 'weightsData', path: '../../etc/x.safetensors', error: 'the weights file is outside the workspace, so it is not read' },
      { type: 'weightsData', path: 'notes.txt', error: 'the weights file must be a `.safetensors` file, so this one is not read' },
      { type: 'weightsData', path: 'missing.safetensors', error: 'cannot read missing.safetensors' },
    ]);
  });

  it('never reads a weights file outside the workspace: `..` in absolute paths, prefix look-alikes, URLs, symlinks', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    documentAt('/work/m.cnn');
    state.files.set('/outside/secret.safetensors', new Uint8Array([66]));
    state.files.set('/work-evil/x.safetensors', new Uint8Array([66]));
    state.files.set('/work/link/x.safetensors', new Uint8Array([66]));
    state.links.set('/work/link', '/outside');
    state.files.set('/work/ok/w.safetensors', new Uint8Array([7]));
    await previews.show('file:///work/m.cnn');
    const panel = state.panels[0];
    const paths = ['/work/../outside/secret.safetensors', '../work-evil/x.safetensors', 'file:///outside/secret.safetensors', 'link/x.safetensors', 'ok/./w.safetensors'];
    for (const path of paths) panel.receive({ type: 'requestWeights', path });
    await flush();
    await flush();
    const replies = new Map<string, any>(panel.posted.filter((m: any) => m.type === 'weightsData').map((m: any) => [m.path, m]));
    expect([...replies.values()].filter((m: any) => m.bytes).map((m: any) => [m.path, [...m.bytes]])).toEqual([['ok/./w.safetensors', [7]]]);
    expect(replies.get('/work/../outside/secret.safetensors').error).toMatch(/relative to this file’s folder/);
    expect(replies.get('../work-evil/x.safetensors').error).toMatch(/outside the workspace/);
    expect(replies.get('file:///outside/secret.safetensors').error).toMatch(/not a URL/);
    expect(replies.get('link/x.safetensors').error).toMatch(/outside the workspace/);
  });

  it("tells the page its facts source's answer for each text, in order, though an earlier answer comes later", async () => {
    const pending: { text: string; resolve: (facts: { inputShape: number[]; weightsPath: string | null }) => void }[] = [];
    const facts = (document: { getText(): string }) => new Promise<{ inputShape: number[]; weightsPath: string | null }>((resolve) => pending.push({ text: document.getText(), resolve }));
    const previews = new PreviewPanels(extensionUri as never, facts as never);
    const document = documentAt('/work/m.cnn');
    await previews.show('file:///work/m.cnn');
    const panel = state.panels[0];
    panel.receive({ type: 'ready' });
    await flush();
    vi.useFakeTimers();
    try {
      document.content = `${text}# edited`;
      state.changes.fire({ document });
      await vi.advanceTimersByTimeAsync(300);
    } finally {
      vi.useRealTimers();
    }
    await flush();
    // The init's facts are still being read: the edit's are asked for only after it is posted, so nothing is sent yet.
    expect(pending.map((p) => p.text)).toEqual([text]);
    expect(panel.posted.filter((m: any) => m.type === 'init' || m.type === 'spec')).toEqual([]);
    pending[0].resolve({ inputShape: [1, 8, 8], weightsPath: 'first.safetensors' });
    await flush();
    await flush();
    pending[1].resolve({ inputShape: [1, 8, 8], weightsPath: 'second.safetensors' });
    await flush();
    const sent = panel.posted.filter((m: any) => m.type === 'init' || m.type === 'spec');
    expect(sent.map((m: any) => [m.type, m.text, m.facts.weightsPath])).toEqual([
      ['init', text, 'first.safetensors'],
      ['spec', `${text}# edited`, 'second.safetensors'],
    ]);
  });

  it('sends edits debounced, and the cursor line of its own document only', async () => {
    vi.useFakeTimers();
    try {
      const previews = new PreviewPanels(extensionUri as never);
      const document = documentAt('/work/m.cnn');
      const other = documentAt('/work/other.cnn');
      await previews.show('file:///work/m.cnn');
      const panel = state.panels[0];
      document.content = `${text}# 1`;
      state.changes.fire({ document });
      document.content = `${text}# 2`;
      state.changes.fire({ document });
      state.changes.fire({ document: other });
      expect(panel.posted.filter((m: any) => m.type === 'spec')).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(300);
      expect(panel.posted.filter((m: any) => m.type === 'spec')).toEqual([{ type: 'spec', text: `${text}# 2`, facts: { inputShape: [1, 8, 8], weightsPath: 'w.safetensors' }, version: 1 }]);
      state.selections.fire({ textEditor: { document }, selections: [{ active: { line: 3 } }] });
      state.selections.fire({ textEditor: { document: other }, selections: [{ active: { line: 1 } }] });
      expect(panel.posted.filter((m: any) => m.type === 'cursor')).toEqual([{ type: 'cursor', line: 3 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reveals a layer’s line in the editor, and saves an exported PNG where the user says', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    const document = documentAt('/work/m.cnn');
    state.visibleEditors = [{ document, viewColumn: 1 }];
    await previews.show('file:///work/m.cnn');
    const panel = state.panels[0];
    panel.receive({ type: 'reveal', offset: text.indexOf('conv') });
    await flush();
    const editor = state.shown[0];
    expect(editor.options).toEqual({ viewColumn: 1, preserveFocus: false });
    expect(editor.selection.active).toEqual({ line: 3, character: 2 });
    state.saveTarget = Uri.file('/work/out/conv1.png');
    panel.receive({ type: 'savePng', suggestedName: 'conv1.png', bytes: png });
    await flush();
    await flush();
    expect(state.saved).toEqual([['/work/out/conv1.png', png]]);
  });

  it('saves only PNG bytes: anything else is refused before the save dialog, with a message', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    documentAt('/work/m.cnn');
    await previews.show('file:///work/m.cnn');
    const panel = state.panels[0];
    state.saveTarget = Uri.file('/work/out/x.png');
    panel.receive({ type: 'savePng', suggestedName: 'x.png', bytes: new TextEncoder().encode('#!/bin/sh\nrm -rf ~\n') });
    panel.receive({ type: 'savePng', suggestedName: 'x.png', bytes: new Uint8Array([137, 80]) });
    await flush();
    await flush();
    expect(state.dialogs).toBe(0);
    expect(state.saved).toEqual([]);
    expect(state.errors).toEqual([expect.stringMatching(/not a PNG image/), expect.stringMatching(/not a PNG image/)]);
  });

  it('drops and logs a malformed or unknown message from the webview, and never acts on it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const previews = new PreviewPanels(extensionUri as never);
      documentAt('/work/m.cnn');
      await previews.show('file:///work/m.cnn');
      const panel = state.panels[0];
      panel.receive({ type: 'requestImage', id: 42 });
      panel.receive({ type: 'requestWeights', path: { endsWith: () => true } });
      panel.receive({ type: 'reveal', offset: 'x' });
      panel.receive({ type: 'openTerminal' });
      await flush();
      await flush();
      expect(panel.posted).toEqual([]);
      expect(state.shown).toEqual([]);
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/dropped a malformed or unknown 'requestImage' message/),
        expect.stringMatching(/'requestWeights'/),
        expect.stringMatching(/'reveal'/),
        expect.stringMatching(/'openTerminal'/),
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('revives a panel from its saved state after a reload, and drops one without state', async () => {
    const previews = new PreviewPanels(extensionUri as never);
    documentAt('/work/m.cnn');
    const serializer = state.serializers.get('convlens.preview');
    const { makePanel } = vs;
    const revived = makePanel('convlens.preview', 'Feature maps: m.cnn', {}, {});
    await serializer.deserializeWebviewPanel(revived, { uri: 'file:///work/m.cnn', seed: 5, inputId: 'pattern:stripes' });
    expect(revived.webview.options).toMatchObject({ enableScripts: true });
    expect(revived.webview.html).toContain('Content-Security-Policy');
    revived.receive({ type: 'ready' });
    await flush();
    await flush();
    expect(revived.posted.find((m: any) => m.type === 'init').state).toEqual({ uri: 'file:///work/m.cnn', seed: 5, inputId: 'pattern:stripes' });
    await previews.show('file:///work/m.cnn');
    expect(state.panels.filter((p) => p.viewType === 'convlens.preview' && p !== revived)).toHaveLength(0);
    // A panel revived with a locked title stays locked; the revived following one keeps following.
    const lockedRevived = makePanel('convlens.preview', '[Locked] Feature maps: m.cnn', {}, {});
    await serializer.deserializeWebviewPanel(lockedRevived, { uri: 'file:///work/m.cnn' });
    state.activeEditors.fire({ document: documentAt('/work/n.cnn') });
    expect([revived.title, lockedRevived.title]).toEqual(['Feature maps: n.cnn', '[Locked] Feature maps: m.cnn']);

    const orphan = makePanel('convlens.preview', '', {}, {});
    await serializer.deserializeWebviewPanel(orphan, undefined);
    expect(orphan.disposedCount).toBe(1);
  });
});
