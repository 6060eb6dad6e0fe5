/**
 * The feature-map preview, after the markdown preview: one preview follows
 * the active `.cnn` editor (switching editors retargets it, no new panel),
 * and locked previews stay on their document. A new panel opens beside the
 * editor the first time and in the previews' column after that. Panels are
 * revived after a reload by a serializer. The extension only moves text and
 * bytes; the webview's worker analyses and runs the model.
 */
import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import { messages } from '../language/messages';
import { isWithin, normalizePath, resolveWeightsPath } from '../language/weights-path';
import { plainBytes } from '../protocol/bytes';
import {
  previewViewType,
  type ExtensionToWebview,
  type ImageEntry,
  type PreviewState,
  type WebviewToExtension,
} from '../protocol/webview';
import { describeDropped, parseWebviewMessage } from '../../webview/message-guard';
import { cnnDocuments, isCnnDocument } from './config';
import { specFacts, type FactsSource } from './preview-spec';
import { debounce, imageLabel, isPickableImage, makeNonce, pngProblem, previewHtml } from './preview-html';

export const previewCommand = 'convlens.previewFeatureMaps';
export const lockedPreviewCommand = 'convlens.previewFeatureMapsLocked';
export const togglePreviewLockCommand = 'convlens.togglePreviewLock';

/** Delay after the last keystroke before the preview re-runs. */
const EDIT_DEBOUNCE_MS = 250;
const MAX_WORKSPACE_IMAGES = 200;
/** Marks a locked preview's title; a revived panel is locked when its title says so. */
const LOCKED_PREFIX = '[Locked] ';

/** Owns every preview panel, the serializer and the "Preview feature maps" code lens. */
export class PreviewPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<PreviewState>, vscode.CodeLensProvider {
  /** The preview that follows the active `.cnn` editor. */
  private dynamic: PreviewPanel | undefined;
  /** Previews locked on their document: at most one per document. */
  private readonly locked = new Map<string, PreviewPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /**
   * @param facts what the page is told about each text it is sent (the
   * server's analysis, see preview-spec.ts); by default the extension's own.
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly facts: FactsSource = async (document) => specFacts(document.getText()),
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(previewViewType, this),
      vscode.languages.registerCodeLensProvider([...cnnDocuments], this),
      vscode.window.onDidChangeActiveTextEditor((editor) => void this.follow(editor)),
    );
  }

  /**
   * The commands: preview a `.cnn` document (a URI from the lens or the title
   * button; else the active editor's). Unlocked, that is the one following
   * preview, retargeted if it shows another document; locked, a preview that
   * stays on this document.
   */
  async show(target?: unknown, options: { locked?: boolean } = {}): Promise<void> {
    const uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.parse(target) : undefined;
    const editor = vscode.window.activeTextEditor;
    const source = uri ?? (editor && isCnnDocument(editor.document) ? editor.document.uri : undefined);
    if (!source) {
      void vscode.window.showInformationMessage('Open a .cnn file to preview its feature maps.');
      return;
    }
    const existing = options.locked ? this.locked.get(source.toString()) : this.dynamic;
    if (existing) {
      if (!existing.isPreviewOf(source)) existing.retarget(await vscode.workspace.openTextDocument(source));
      existing.panel.reveal(undefined, true);
      return;
    }
    const document = await vscode.workspace.openTextDocument(source);
    const panel = vscode.window.createWebviewPanel(
      previewViewType,
      panelTitle(document.uri, options.locked === true),
      { viewColumn: this.previewColumn(), preserveFocus: true },
      { ...this.webviewOptions(), retainContextWhenHidden: true, enableFindWidget: false },
    );
    this.adopt(panel, document, { locked: options.locked === true });
  }

  /**
   * Locks the focused preview (else the following one) on its document, or
   * unlocks a locked one, which then follows the active editor in place of
   * the preview that did.
   */
  toggleLock(): void {
    const all = [...(this.dynamic ? [this.dynamic] : []), ...this.locked.values()];
    const preview = all.find((p) => p.panel.active) ?? this.dynamic;
    if (!preview) {
      void vscode.window.showInformationMessage('No feature-map preview to lock.');
      return;
    }
    const key = preview.document.uri.toString();
    if (preview === this.dynamic) {
      this.dynamic = undefined;
      const twin = this.locked.get(key);
      if (twin) {
        preview.panel.dispose();
        twin.panel.reveal(undefined, false);
        return;
      }
      this.locked.set(key, preview);
      preview.setLocked(true);
    } else {
      this.locked.delete(key);
      const previous = this.dynamic;
      this.dynamic = preview;
      previous?.panel.dispose();
      preview.setLocked(false);
    }
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PreviewState | undefined): Promise<void> {
    if (!state || typeof state.uri !== 'string') {
      panel.dispose();
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(state.uri));
      panel.webview.options = this.webviewOptions();
      // One preview follows the editor; any other revived panel keeps its document.
      this.adopt(panel, document, { locked: panel.title.startsWith(LOCKED_PREFIX) || this.dynamic !== undefined, state });
    } catch {
      panel.dispose();
    }
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      if (/^\s*model\s+[A-Za-z_]\w*/.test(document.lineAt(line).text)) {
        lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: '$(preview) Preview feature maps', command: previewCommand, arguments: [document.uri.toString()] }));
      }
    }
    return lenses;
  }

  /**
   * What the webview may load itself: the bundles and the sample images. Not
   * the workspace: the extension reads the images and weights it allows
   * and posts their bytes, so a webview gone wrong can fetch nothing else.
   */
  private webviewOptions(): vscode.WebviewOptions {
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'samples', 'images')];
    return { enableScripts: true, localResourceRoots: roots };
  }

  /** Where a new panel goes: beside the editor for the first preview, with the others after that. */
  private previewColumn(): vscode.ViewColumn {
    const open = [...(this.dynamic ? [this.dynamic] : []), ...this.locked.values()];
    return open.find((p) => p.panel.viewColumn !== undefined)?.panel.viewColumn ?? vscode.ViewColumn.Beside;
  }

  /** The following preview shows whichever `.cnn` file the user switches to. */
  private async follow(editor: vscode.TextEditor | undefined): Promise<void> {
    const preview = this.dynamic;
    if (!preview || !editor || !isCnnDocument(editor.document) || preview.isPreviewOf(editor.document.uri)) return;
    preview.retarget(editor.document);
  }

  private adopt(panel: vscode.WebviewPanel, document: vscode.TextDocument, options: { locked: boolean; state?: PreviewState }): void {
    const key = document.uri.toString();
    const replaced = options.locked ? this.locked.get(key) : this.dynamic;
    const preview = new PreviewPanel(panel, document, this.extensionUri, this.facts, options, () => {
      if (this.dynamic === preview) this.dynamic = undefined;
      if (this.locked.get(preview.document.uri.toString()) === preview) this.locked.delete(preview.document.uri.toString());
    });
    if (options.locked) this.locked.set(key, preview);
    else this.dynamic = preview;
    replaced?.panel.dispose();
  }

  dispose(): void {
    this.dynamic?.panel.dispose();
    for (const p of [...this.locked.values()]) p.panel.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * The weights file `weights` (as written in the spec at `spec`) names, or why
 * it is not read. Roots: the workspace folders on the spec's scheme and
 * authority, or the spec's own folder when it is in none. For files on disk
 * the check is made again on the real paths, so a symlink cannot lead out.
 */
async function weightsFileUri(spec: vscode.Uri, weights: string): Promise<vscode.Uri | string> {
  const sameHost = (u: vscode.Uri) => u.scheme === spec.scheme && u.authority === spec.authority;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri).filter(sameHost);
  const roots = folders.some((f) => isWithin(normalizePath(f.path), normalizePath(spec.path))) ? folders : [vscode.Uri.joinPath(spec, '..')];
  const resolved = resolveWeightsPath(spec.path, weights, { roots: roots.map((r) => r.path) });
  if (!resolved.ok) return resolved.message;
  const uri = spec.with({ path: resolved.path });
  if (uri.scheme !== 'file') return uri;
  try {
    const [real, ...realRoots] = await Promise.all([uri, ...roots].map((u) => realpath(u.fsPath)));
    if (!realRoots.some((root) => isWithin(normalizePath(root), normalizePath(real)))) return messages.weightsPathOutside('the workspace');
  } catch {
    return `cannot read ${uri.path.split('/').pop()}`;
  }
  return uri;
}

/** A message from the webview, checked (webview/message-guard.ts); a malformed or unknown one is logged and dropped. */
function checkedMessage(raw: unknown): WebviewToExtension | undefined {
  const message = parseWebviewMessage(raw);
  if (!message) console.warn(`[ConvLens preview] dropped ${describeDropped(raw)} from the webview`);
  return message;
}

function panelTitle(uri: vscode.Uri, locked: boolean): string {
  return `${locked ? LOCKED_PREFIX : ''}Feature maps: ${uri.path.split('/').pop() ?? 'model'}`;
}

/** One panel: keeps its webview in step with its document and answers the webview's requests. */
class PreviewPanel {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Image ids the webview may ask for: only what we listed. */
  private readonly allowedImages = new Map<string, vscode.Uri>();
  private readonly sendSpec: ReturnType<typeof debounce>;
  /** The `init` and `spec` messages, each posted once its facts are read, in the order their texts were taken. */
  private sending: Promise<void> = Promise.resolve();

  private locked: boolean;
  /** The state a revived panel came back with; a retargeted panel starts afresh. */
  private state: PreviewState | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private current: vscode.TextDocument,
    private readonly extensionUri: vscode.Uri,
    private readonly facts: FactsSource,
    options: { locked: boolean; state?: PreviewState },
    onDispose: () => void,
  ) {
    const webview = panel.webview;
    this.locked = options.locked;
    this.state = options.state;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'images', 'cnn.svg');
    panel.title = panelTitle(this.document.uri, this.locked);
    this.render();
    this.sendSpec = debounce(() => {
      const { uri, version } = this.document;
      const text = this.document.getText();
      void this.inOrder(async () => {
        const facts = await this.facts({ uri: uri.toString(), version, getText: () => text });
        // Retargeted meanwhile: the page now shows another document.
        if (this.isPreviewOf(uri)) this.post({ type: 'spec', text, facts, version });
      });
    }, EDIT_DEBOUNCE_MS);
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = checkedMessage(raw);
        if (message) void this.onMessage(message);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() !== this.document.uri.toString()) return;
        this.current = event.document;
        this.sendSpec();
      }),
      // Closing and reopening the file makes a new TextDocument: follow it.
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (document.uri.toString() !== this.document.uri.toString() || document === this.document) return;
        this.current = document;
        this.sendSpec();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document.uri.toString() !== this.document.uri.toString()) return;
        this.post({ type: 'cursor', line: event.selections[0]?.active.line ?? 0 });
      }),
      panel.onDidDispose(() => {
        this.sendSpec.cancel();
        for (const s of this.subscriptions) s.dispose();
        onDispose();
      }),
    );
  }

  /** The document shown; it changes when a following preview is retargeted. */
  get document(): vscode.TextDocument {
    return this.current;
  }

  isPreviewOf(uri: vscode.Uri): boolean {
    return this.document.uri.toString() === uri.toString();
  }

  /** Shows another document: the page is reloaded, so nothing of the previous model (input, weights, maps) carries over. */
  retarget(document: vscode.TextDocument): void {
    this.sendSpec.cancel();
    this.current = document;
    this.state = undefined;
    this.panel.title = panelTitle(document.uri, this.locked);
    this.render();
  }

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.panel.title = panelTitle(this.document.uri, locked);
  }

  /** Sets the page (a new nonce each time, so setting it again reloads the webview, which then says `ready`). */
  private render(): void {
    const webview = this.panel.webview;
    const asset = (path: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', path)).toString();
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((bytes) => globalThis.crypto.getRandomValues(bytes)),
      scriptUri: asset('webview.js'),
      styleUri: asset('webview.css'),
      workerUri: asset('worker.js'),
      toolkitUri: asset('toolkit.js'),
      title: panelTitle(this.document.uri, this.locked),
    });
  }

  private post(message: ExtensionToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private inOrder(send: () => Promise<void>): Promise<void> {
    this.sending = this.sending.then(send).catch((error: unknown) => console.error(`[ConvLens preview] ${String(error)}`));
    return this.sending;
  }

  private async onMessage(message: WebviewToExtension): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const document = this.document;
        const text = document.getText();
        await this.inOrder(async () => {
          const [facts, images] = await Promise.all([this.facts({ uri: document.uri.toString(), version: document.version, getText: () => text }), this.sampleImages()]);
          this.post({
            type: 'init',
            uri: document.uri.toString(),
            notation: vscode.workspace.getConfiguration('convlens').get<string>('shapeNotation', '×') === 'x' ? 'x' : '×',
            fileName: document.uri.path.split('/').pop() ?? '',
            text,
            facts,
            version: document.version,
            images,
            ...(this.state ? { state: this.state } : {}),
          });
        });
        // Searching the workspace can take a while: the picker gets those images after the first run has started.
        void this.workspaceImages().then((found) => found.length > 0 && this.post({ type: 'images', images: this.listed }));
        const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.document.uri.toString());
        if (editor) this.post({ type: 'cursor', line: editor.selection.active.line });
        break;
      }
      case 'reveal':
        await this.reveal(message.offset);
        break;
      case 'requestImage': {
        const uri = this.allowedImages.get(message.id);
        if (!uri) {
          this.post({ type: 'imageData', id: message.id, error: 'not an image this preview listed' });
          break;
        }
        try {
          this.post({ type: 'imageData', id: message.id, bytes: plainBytes(await vscode.workspace.fs.readFile(uri)) });
        } catch (error) {
          this.post({ type: 'imageData', id: message.id, error: String(error) });
        }
        break;
      }
      case 'requestWeights':
        this.post(await this.readWeights(message.path));
        break;
      case 'savePng':
        await this.savePng(message.suggestedName, message.bytes);
        break;
      case 'log':
        if (message.level === 'error') console.error(`[ConvLens preview] ${message.message}`);
        break;
    }
  }

  /** Every image listed so far: samples first, then the workspace's. */
  private readonly listed: ImageEntry[] = [];

  private addImage(uri: vscode.Uri, group: ImageEntry['group']): boolean {
    const id = uri.toString();
    if (this.allowedImages.has(id)) return false;
    this.allowedImages.set(id, uri);
    const thumbnail = group === 'sample' ? { thumbnail: this.panel.webview.asWebviewUri(uri).toString() } : {};
    this.listed.push({ id, label: imageLabel(uri.path), group, ...thumbnail });
    return true;
  }

  /** The sample images shipped with the extension. */
  private async sampleImages(): Promise<ImageEntry[]> {
    const samples = vscode.Uri.joinPath(this.extensionUri, 'samples', 'images');
    try {
      const files = await vscode.workspace.fs.readDirectory(samples);
      for (const [name, type] of files.sort(([a], [b]) => a.localeCompare(b))) {
        if (type === vscode.FileType.File && isPickableImage(name)) this.addImage(vscode.Uri.joinPath(samples, name), 'sample');
      }
    } catch {
      // No bundled samples: the picker still has workspace images and patterns.
    }
    return [...this.listed];
  }

  /** PNG and JPEG files in the workspace (not the bundled samples again); the ones newly listed. */
  private async workspaceImages(): Promise<ImageEntry[]> {
    try {
      const found = await vscode.workspace.findFiles('**/*.{png,jpg,jpeg,PNG,JPG,JPEG}', '**/{node_modules,.git,dist,out,.e2e-harness}/**', MAX_WORKSPACE_IMAGES);
      const added = found.sort((a, b) => a.path.localeCompare(b.path)).filter((uri) => this.addImage(uri, 'workspace'));
      return this.listed.filter((e) => added.some((uri) => uri.toString() === e.id));
    } catch {
      return [];
    }
  }

  /** The `.safetensors` file the spec names (the rule in src/language/weights-path.ts), read only inside the workspace. */
  private async readWeights(path: string): Promise<ExtensionToWebview> {
    const uri = await weightsFileUri(this.document.uri, path);
    if (typeof uri === 'string') return { type: 'weightsData', path, error: uri };
    try {
      return { type: 'weightsData', path, bytes: plainBytes(await vscode.workspace.fs.readFile(uri)) };
    } catch {
      return { type: 'weightsData', path, error: `cannot read ${uri.path.split('/').pop()}` };
    }
  }

  private async reveal(offset: number): Promise<void> {
    const position = this.document.positionAt(offset);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.document.uri.toString());
    const column = visible?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(this.document, { viewColumn: column, preserveFocus: false });
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async savePng(suggestedName: string, bytes: Uint8Array): Promise<void> {
    const problem = pngProblem(bytes);
    if (problem) {
      void vscode.window.showErrorMessage(`ConvLens: the exported image was not saved: ${problem}.`);
      return;
    }
    const safeName = suggestedName.replace(/[^\w.-]+/g, '_');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(this.document.uri, '..', safeName),
      filters: { 'PNG image': ['png'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved ${target.path.split('/').pop()}.`);
  }
}
