import { describe, expect, it } from 'vitest';
import { URI, Utils } from 'vscode-uri';
import { analyze } from '../../src/language/analyze';
import { isWithin, normalizePath, parentPath, resolveWeightsPath, weightsPathProblem } from '../../src/language/weights-path';

describe('resolveWeightsPath', () => {
  it('resolves a relative path against the spec’s folder, with `\\` as a separator and `.` / `..` applied', () => {
    expect(resolveWeightsPath('/ws/models/m.cnn', 'weights/m.safetensors')).toEqual({ ok: true, path: '/ws/models/weights/m.safetensors' });
    expect(resolveWeightsPath('/ws/models/m.cnn', './a/../b\\m.safetensors')).toEqual({ ok: true, path: '/ws/models/b/m.safetensors' });
    expect(resolveWeightsPath('/ws/models/m.cnn', '../w/m.safetensors', { roots: ['/ws'] })).toEqual({ ok: true, path: '/ws/w/m.safetensors' });
  });

  it('refuses a path that climbs out of the roots, however it climbs', () => {
    for (const weights of ['../../outside/secret.safetensors', '..\\..\\outside\\secret.safetensors', 'a/../../../../../../etc/x.safetensors', '../ws-evil/x.safetensors']) {
      const result = resolveWeightsPath('/ws/m.cnn', weights, { roots: ['/ws'] });
      expect(result, weights).toMatchObject({ ok: false, problem: 'outside' });
    }
    expect(resolveWeightsPath('/ws/models/m.cnn', '../w/m.safetensors')).toMatchObject({ ok: false, problem: 'outside', message: expect.stringMatching(/outside the workspace/) });
    expect(resolveWeightsPath('/ws/m.cnn', '../x.safetensors', { roots: ['/ws'], rootsLabel: 'the model’s folder' })).toMatchObject({ message: expect.stringMatching(/outside the model’s folder/) });
  });

  it('refuses absolute paths, drives, home, URLs, control characters and other file types', () => {
    const problems = Object.fromEntries(
      ['/etc/x.safetensors', '\\\\server\\share\\x.safetensors', 'C:\\x.safetensors', '~/x.safetensors', 'file:///etc/shadow', 'command:workbench.action.terminal.new', 'javascript:alert(1)', 'https://example.com/x.safetensors', 'a\u0000.safetensors', '  ', 'notes.txt'].map((w) => [
        w,
        resolveWeightsPath('/ws/m.cnn', w, { roots: ['/'] }).ok ? 'ok' : weightsPathProblem(w)?.problem,
      ]),
    );
    expect(problems).toEqual({
      '/etc/x.safetensors': 'absolute',
      '\\\\server\\share\\x.safetensors': 'absolute',
      'C:\\x.safetensors': 'absolute',
      '~/x.safetensors': 'absolute',
      'file:///etc/shadow': 'url',
      'command:workbench.action.terminal.new': 'url',
      'javascript:alert(1)': 'url',
      'https://example.com/x.safetensors': 'url',
      'a\u0000.safetensors': 'control-character',
      '  ': 'empty',
      'notes.txt': 'not-safetensors',
    });
  });

  it('works on Windows-style spec paths', () => {
    expect(resolveWeightsPath('c:/ws/m.cnn', 'w\\m.safetensors', { roots: ['C:\\ws'] })).toEqual({ ok: true, path: 'c:/ws/w/m.safetensors' });
    expect(resolveWeightsPath('C:/ws/m.cnn', '..\\..\\x.safetensors', { roots: ['C:/ws'] })).toMatchObject({ ok: false, problem: 'outside' });
  });
});

describe('with vscode-uri, as the extension builds URIs', () => {
  const spec = URI.file('/home/u/ws/m.cnn');
  const weights = '../../outside/secret.safetensors';

  it('`uri.with({ path })` keeps `..`, so a prefix check on its path would pass; the normalised path does not', () => {
    const raw = spec.with({ path: `/home/u/ws/${weights}` });
    expect(raw.path).toBe('/home/u/ws/../../outside/secret.safetensors');
    expect(raw.path.startsWith('/home/u/ws/')).toBe(true);
    expect(isWithin('/home/u/ws', normalizePath(raw.path))).toBe(false);
  });

  it('a resolved path becomes a URI with the same path, encoded once', () => {
    const result = resolveWeightsPath(spec.path, 'w/lenet 5%.safetensors', { roots: ['/home/u/ws'] });
    if (!result.ok) throw new Error(result.message);
    const target = spec.with({ path: result.path });
    expect(target.toString()).toBe('file:///home/u/ws/w/lenet%205%25.safetensors');
    expect(URI.parse(target.toString()).path).toBe(result.path);
    expect(Utils.joinPath(Utils.dirname(spec), 'w/lenet 5%.safetensors').path).toBe(result.path);
  });
});

describe('path helpers', () => {
  it('normalizePath stays at the root on `..` and keeps a drive', () => {
    expect(normalizePath('/a/../../b//c/.')).toBe('/b/c');
    expect(normalizePath('C:\\a\\..\\..\\b')).toBe('C:/b');
  });

  it('isWithin compares whole segments', () => {
    expect(isWithin('/ws', '/ws')).toBe(true);
    expect(isWithin('/ws', '/ws/a')).toBe(true);
    expect(isWithin('/ws', '/ws-evil/a')).toBe(false);
    expect(isWithin('/', '/anything')).toBe(true);
    expect(isWithin('c:/ws', 'C:/ws/a')).toBe(true);
  });

  it('parentPath gives the folder, and the root for a file at the root', () => {
    expect(parentPath('/a/b.cnn')).toBe('/a');
    expect(parentPath('/b.cnn')).toBe('/');
    expect(parentPath('C:/b.cnn')).toBe('C:/');
  });
});

describe('analyze() reports a weights string that cannot be read, as a warning on the string', () => {
  const diagnose = (weights: string) => {
    const text = `model M {\n  input x: 1×8×8\n  weights ${JSON.stringify(weights)}\n  relu\n}\n`;
    return analyze(text).diagnostics.filter((d) => d.code === 'weights-path').map((d) => ({ severity: d.severity, at: text.slice(d.span.start, d.span.end), message: d.message }));
  };

  it('flags URLs and absolute paths, and leaves a relative .safetensors path alone', () => {
    expect(diagnose('command:workbench.action.terminal.new')).toEqual([
      { severity: 'warning', at: '"command:workbench.action.terminal.new"', message: expect.stringMatching(/not a URL \(`command:`\)/) },
    ]);
    expect(diagnose('/etc/x.safetensors')).toEqual([{ severity: 'warning', at: '"/etc/x.safetensors"', message: expect.stringMatching(/relative to this file’s folder/) }]);
    expect(diagnose('weights/m.safetensors')).toEqual([]);
    // Climbing out is judged where the workspace is known (the preview, the CLI), not here.
    expect(diagnose('../m.safetensors')).toEqual([]);
  });
});
