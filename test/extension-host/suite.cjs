// Runs inside the extension host that @vscode/test-electron starts (see
// run.mjs), with a copy of samples/ as the workspace. It talks to ConvLens
// through VS Code's own provider commands, as the editor would.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

async function waitFor(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last.ok) return last.value;
    if (Date.now() > deadline) throw new Error(`expected ${what}; saw ${JSON.stringify(last.value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function open(name) {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder (samples/)');
  const uri = vscode.Uri.file(path.join(folder.uri.fsPath, name));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

function text(contents) {
  return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

const tests = {
  async 'broken.cnn has 10 errors and 2 warnings'() {
    const document = await open('broken.cnn');
    const diagnostics = await waitFor('12 diagnostics', async () => {
      const value = vscode.languages.getDiagnostics(document.uri);
      return { ok: value.length === 12, value: value.map((d) => d.message) };
    });
    const all = vscode.languages.getDiagnostics(document.uri);
    assert.equal(all.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 10, JSON.stringify(diagnostics));
    assert.equal(all.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length, 2);
  },

  async 'hover on a conv layer shows its output shape and params'() {
    const document = await open('resnet18.cnn');
    const line = document.getText().split('\n').findIndex((l) => l.trim().startsWith('conv 64, k=7'));
    const hovers = await waitFor('a hover', async () => {
      const value = await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, new vscode.Position(line, 3));
      return { ok: value.length > 0, value };
    });
    const shown = hovers.map((h) => text(h.contents)).join('\n');
    assert.match(shown, /64×112×112/);
    assert.match(shown, /9,408/);
  },

  async 'inlay hints end layer lines with output shapes'() {
    const document = await open('resnet18.cnn');
    const range = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', document.uri, range);
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.ok(labels.some((l) => l.includes('64×112×112')), JSON.stringify(labels.slice(0, 10)));
  },

  async 'completion offers layer kinds'() {
    const document = await open('resnet18.cnn');
    const line = document.getText().split('\n').findIndex((l) => l.trim() === 'gap');
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(line, 2));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const kind of ['conv', 'batchnorm', 'maxpool', 'linear']) assert.ok(labels.includes(kind), kind);
  },

  async 'a quick fix renames an unknown layer'() {
    const document = await open('broken.cnn');
    const line = document.getText().split('\n').findIndex((l) => l.includes('batchnrm'));
    const column = document.lineAt(line).text.indexOf('batchnrm');
    const range = new vscode.Range(line, column, line, column + 'batchnrm'.length);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.some((a) => a.title === 'Change `batchnrm` to `batchnorm`'), JSON.stringify(actions.map((a) => a.title)));
  },

  async 'document symbols list the blocks and the model'() {
    const document = await open('resnet18.cnn');
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', document.uri);
    const names = symbols.map((s) => s.name);
    for (const name of ['basic', 'stage', 'ResNet18']) assert.ok(names.some((n) => n === name || n.startsWith(`${name}(`)), JSON.stringify(names));
  },
};

exports.run = async function run() {
  const failures = [];
  for (const [name, test] of Object.entries(tests)) {
    try {
      await test();
      console.log(`  ✓ ${name}`);
    } catch (error) {
      console.log(`  ✗ ${name}: ${error instanceof Error ? error.message : String(error)}`);
      failures.push(name);
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} extension-host test(s) failed: ${failures.join(', ')}`);
};
