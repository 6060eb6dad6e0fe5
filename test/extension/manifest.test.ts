import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as lspProtocol from '../../src/protocol/lsp';
import { repoRoot } from '../server/lsp-client';

interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited' } };
  devDependencies: Record<string, string>;
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string; icon: { light: string; dark: string } }[];
    grammars: { language: string; scopeName: string; path: string }[];
    commands: { command: string }[];
    configuration: { properties: Record<string, unknown> };
    configurationDefaults: Record<string, Record<string, unknown>>;
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const extensionSource = readFileSync(join(repoRoot, 'src/extension/main.ts'), 'utf8');

describe('package.json contributions', () => {
  it('contributes the cnn language with files that exist', () => {
    const [language] = manifest.contributes.languages;
    expect(language.id).toBe('cnn');
    expect(language.extensions).toEqual(['.cnn']);
    for (const path of [language.configuration, language.icon.light, language.icon.dark, manifest.icon, ...manifest.contributes.grammars.map((g) => g.path)]) {
      expect(existsSync(join(repoRoot, path)), path).toBe(true);
    }
    const grammar = JSON.parse(readFileSync(join(repoRoot, manifest.contributes.grammars[0].path), 'utf8')) as { scopeName: string };
    expect(grammar.scopeName).toBe(manifest.contributes.grammars[0].scopeName);
  });

  it('registers every contributed command, and activates only on cnn files and those commands', () => {
    const commands = manifest.contributes.commands.map((c) => c.command);
    for (const command of commands) {
      // By its literal id, or by the protocol's constant for it (a command the server names too).
      const constants = Object.entries(lspProtocol).filter(([, value]) => value === command).map(([name]) => name);
      const registered = extensionSource.includes(`registerCommand('${command}'`) || constants.some((name) => extensionSource.includes(`registerCommand(${name},`));
      expect(registered, command).toBe(true);
    }
    expect(manifest.activationEvents.sort()).toEqual(['onLanguage:cnn', 'onWebviewPanel:convlens.preview', ...commands.map((c) => `onCommand:${c}`)].sort());
  });

  it('contributes the command the model’s code lens runs', () => {
    expect(manifest.contributes.commands.map((c) => c.command)).toContain(lspProtocol.showSummaryCommand);
  });

  it('declares the settings the server and client read', () => {
    expect(Object.keys(manifest.contributes.configuration.properties).sort()).toEqual(
      ['convlens.inlayHints.outputShape', 'convlens.inlayHints.params', 'convlens.server.nodeArgs', 'convlens.shapeNotation', 'convlens.trace.server'].sort(),
    );
  });

  it('works in an untrusted workspace (it reads files and runs none), and no workspace setting can change how the server starts', () => {
    expect(manifest.capabilities?.untrustedWorkspaces?.supported).toBe(true);
    const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string }>;
    expect(properties['convlens.server.nodeArgs'].scope).toBe('machine');
  });

  it('indents .cnn files with 2 spaces, as every sample is, unless a file is already indented otherwise', () => {
    const defaults = manifest.contributes.configurationDefaults['[cnn]'];
    expect(defaults['editor.tabSize']).toBe(2);
    expect(defaults['editor.insertSpaces']).toBe(true);
    // Detection stays on (VS Code's default): an existing 4-space or tab file keeps its own style.
    expect(defaults['editor.detectIndentation'] ?? true).toBe(true);
    const samples = readdirSync(join(repoRoot, 'samples')).filter((f) => f.endsWith('.cnn'));
    for (const sample of samples) {
      const indents = readFileSync(join(repoRoot, 'samples', sample), 'utf8')
        .split('\n')
        .map((line) => /^( *)\S/.exec(line)?.[1].length ?? 0)
        .filter((n) => n > 0);
      expect(Math.min(...indents), sample).toBe(2);
    }
  });

  it('types the extension against the oldest VS Code it claims to support', () => {
    const engine = manifest.engines.vscode.replace(/^\^/, '');
    const types = manifest.devDependencies['@types/vscode'].replace(/^[~^]/, '');
    expect(types).toBe(engine);
  });
});
