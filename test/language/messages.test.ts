import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/language/analyze';
import { CODES, fixTitles, messages } from '../../src/language/messages';

const SRC = join(__dirname, '../../src');

/** The top-level arguments of the call whose `(` is at `open`, as source text. */
function callArguments(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) {
        args.push(text.slice(start, i).trim());
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args;
}

/** Message text written where a diagnostic is made: a literal with words in it, not a code or an argument name. */
function inlineMessages(file: string): string[] {
  // Comments may quote messages; they build none.
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const match of text.matchAll(/\breport\(/g)) {
    for (const arg of callArguments(text, match.index + match[0].length - 1)) {
      if (/^['"`]/.test(arg) && !/^'[a-z_-]+'$/.test(arg)) found.push(arg);
    }
  }
  for (const match of text.matchAll(/\bmessage: (['"`][^\n]*)/g)) found.push(match[1]);
  return found;
}

/** Every `.ts` file under `dir`, recursively. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('messages', () => {
  it('are all written in messages.ts: no other file of the language or the server builds one', () => {
    const files = [...tsFiles(join(SRC, 'language')), ...tsFiles(join(SRC, 'server'))].filter((f) => !f.endsWith(join('language', 'messages.ts')));
    expect(files.some((f) => f.includes(join('language', 'layers')))).toBe(true);
    const inline = files.flatMap((file) => inlineMessages(file).map((m) => `${file.slice(SRC.length + 1)}: ${m}`));
    expect(inline).toEqual([]);
  });

  it('name each code in docs/language.md with its severity', () => {
    const docs = readFileSync(join(__dirname, '../../docs/language.md'), 'utf8');
    for (const [code, severity] of Object.entries(CODES)) expect(docs, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${severity} \\|`));
  });

  it('say features, not channels, for a flat input', () => {
    expect(messages.channelMismatch('linear', 1024, 2048, [2048])).toBe('`linear` declares 1024 input features, but its input `2048` has 2048');
    expect(messages.channelMismatch('conv', 8, 16, [16, 32, 32])).toBe('`conv` declares 8 input channels, but its input `16×32×32` has 16');
  });

  it('give quick-fix titles as plain text, without Markdown backticks', () => {
    const titles = [
      fixTitles.replace('batchnrm', 'batchnorm'),
      fixTitles.insertFlatten(),
      fixTitles.declareInput(3, false),
      fixTitles.samePadding(1, 'narrow'),
      fixTitles.samePadding(2, 'narrow'),
      fixTitles.projection('in', 'conv 128, k=1'),
    ];
    for (const title of titles) expect(title).not.toContain('`');
    expect(fixTitles.samePadding(1, 'narrow')).toBe('Set padding=same on the conv that makes ‘narrow’');
    expect(fixTitles.samePadding(2, 'narrow')).toBe('Set padding=same on the convs that make ‘narrow’');
  });
});

describe('codes fit their meaning', () => {
  const codes = (body: string) => analyze(`model M {\n input x: 3×8×8\n${body}\n}\n`).diagnostics.map((d) => d.code);

  it('a second input is duplicate-input', () => {
    expect(codes(' input y: 3×8×8')).toEqual(['duplicate-input']);
  });

  it('a tensor called like a layer is not-a-layer', () => {
    expect(codes(' y = relu\n y(2)')).toEqual(['not-a-layer']);
  });

  it('a number where a tensor belongs is not-a-tensor', () => {
    expect(codes(' let k = 3\n k | relu')).toEqual(['not-a-tensor']);
  });

  it('an argument given twice is duplicate-argument', () => {
    expect(codes(' conv 4, k=3, k=5')).toEqual(['duplicate-argument']);
  });

  it('a linear layer’s declared input size speaks of features', () => {
    const [d] = analyze('model M {\n input x: 2048×1×1\n flatten\n linear 10, in=1024\n}\n').diagnostics;
    expect(d.message).toBe('`linear` declares 1024 input features, but its input `2048` has 2048');
  });
});
