import { describe, expect, it } from 'vitest';
import type { Argument, Body, Call, Expr, Item, Program, Statement } from '../../src/language/ast';
import { MAX_SYNTAX_ERRORS } from '../../src/language/lexer';
import { MAX_NESTING, parse } from '../../src/language/parser';
import { random, samples } from './same-analysis';

// ---- a compact printer: `(conv 64 k=3) | (batchnorm)` ----------------------

function expr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.raw;
    case 'string':
      return JSON.stringify(e.value);
    case 'bool':
      return String(e.value);
    case 'name':
      return e.name;
    case 'unary':
      return e.op === 'not' ? `(not ${expr(e.operand)})` : `(-${expr(e.operand)})`;
    case 'binary':
      return `(${expr(e.left)} ${e.op} ${expr(e.right)})`;
    case 'tuple':
      return `(tuple ${e.items.map(expr).join(' ')})`;
    case 'dims':
      return e.items.map(expr).join('×');
    case 'list':
      return `[${e.items.map(expr).join(', ')}]`;
    case 'missing':
      return '?';
  }
}

function arg(a: Argument): string {
  return a.name ? `${a.name.name}=${expr(a.value)}` : expr(a.value);
}

function call(c: Call): string {
  const args = c.args.map(arg);
  return c.parenthesized ? `${c.callee.name}(${args.join(', ')})` : `(${[c.callee.name, ...args].join(' ')})`;
}

function body(b: Body, indent: string): string[] {
  return b.statements.flatMap((s) => statement(s, indent));
}

function statement(s: Statement, indent: string): string[] {
  const inner = indent + '  ';
  switch (s.kind) {
    case 'input':
      return [`${indent}input ${s.name.name}: ${[expr(s.shape), ...s.args.map(arg)].join(' ')}`];
    case 'weights':
      return [`${indent}weights ${expr(s.path)}`];
    case 'let':
      return [`${indent}let ${s.name.name} = ${expr(s.value)}`];
    case 'layer': {
      const label = s.label ? `${s.label.name}: ` : '';
      const targets = s.targets.length > 0 ? `${s.targets.map((t) => t.name).join(', ')} = ` : '';
      return [`${indent}${label}${targets}${s.stages.map(call).join(' | ')}`];
    }
    case 'repeat':
      return [`${indent}repeat ${expr(s.count)}${s.index ? ` as ${s.index.name}` : ''}`, ...body(s.body, inner)];
    case 'if': {
      const lines = [`${indent}if ${expr(s.condition)}`, ...body(s.then, inner)];
      if (s.else) lines.push(`${indent}else`, ...body(s.else, inner));
      return lines;
    }
  }
}

function item(i: Item): string[] {
  const head =
    i.kind === 'model'
      ? `model ${i.name.name}`
      : `block ${i.name.name}(${i.params.map((p) => (p.default ? `${p.name.name}=${expr(p.default)}` : p.name.name)).join(', ')})`;
  return [head, ...body(i.body, '  ')];
}

function print(program: Program): string {
  return program.items.flatMap(item).join('\n');
}

/** Line:column (1-based) and message of each error. */
function errors(text: string, program: Program = parse(text)): string[] {
  return program.errors.map((e) => {
    const before = text.slice(0, e.span.start);
    const line = before.split('\n').length;
    const column = e.span.start - before.lastIndexOf('\n');
    return `${line}:${column} ${e.message}`;
  });
}

/** Parses `text` wrapped in `model M { … }` and prints the body statements. */
function stmts(text: string): string {
  const program = parse(`model M {\n${text}\n}`);
  expect(errors(`model M {\n${text}\n}`, program)).toEqual([]);
  return print(program).split('\n').slice(1).map((l) => l.slice(2)).join('\n');
}

function exprOf(text: string): string {
  return stmts(`let v = ${text}`).replace(/^let v = /, '');
}

// ---- constructs --------------------------------------------------------------

describe('parser: constructs from docs/language.md', () => {
  it('LeNet-5', () => {
    const text = `# LeNet-5
model LeNet5 {
  input x: 1×32×32
  conv 6, k=5
  tanh
  avgpool 2
  conv 16, k=5
  tanh
  avgpool 2
  flatten
  linear 120
}
`;
    const program = parse(text);
    expect(program.errors).toEqual([]);
    expect(print(program)).toBe(`model LeNet5
  input x: 1×32×32
  (conv 6 k=5)
  (tanh)
  (avgpool 2)
  (conv 16 k=5)
  (tanh)
  (avgpool 2)
  (flatten)
  (linear 120)`);
    expect(program.comments).toEqual([{ start: 0, end: 9 }]);
  });

  it('input with arguments, weights, let', () => {
    expect(
      stmts(`input image: 3×224×224, normalize=imagenet
weights "resnet18.safetensors"
let width = 64`),
    ).toBe(`input image: 3×224×224 normalize=imagenet
weights "resnet18.safetensors"
let width = 64`);
  });

  it('x dims and tuples', () => {
    expect(stmts('input x: 3x224x224')).toBe('input x: 3×224×224');
    expect(exprOf('c × 4')).toBe('c×4');
    expect(exprOf('(k, 1)')).toBe('(tuple k 1)');
    expect(exprOf('c*4 × h//2')).toBe('(c * 4)×(h // 2)');
  });

  it('sequential stack, keyword and positional arguments', () => {
    expect(stmts('conv 64, k=3, padding=1\nbatchnorm\nrelu\nmaxpool 2')).toBe(
      '(conv 64 k=3 padding=1)\n(batchnorm)\n(relu)\n(maxpool 2)',
    );
    expect(stmts('conv(64, k=3)')).toBe('conv(64, k=3)');
    expect(stmts('conv k=3')).toBe('(conv k=3)');
  });

  it('labels and bindings', () => {
    expect(stmts('stem: conv 64, k=7, stride=2, padding=3   # a layer called "stem"')).toBe(
      'stem: (conv 64 k=7 stride=2 padding=3)',
    );
    expect(stmts('features = relu')).toBe('features = (relu)');
    expect(stmts('head: y = linear 10')).toBe('head: y = (linear 10)');
  });

  it('branches and merges', () => {
    expect(
      stmts(`x = relu
y = conv 64, k=3, padding=1 | batchnorm | relu
s = x | conv 64, k=1
add(y, s)
concat(a, b, c)
mul(features, gate)
a, b = chunk 2
a, b = split [16, 48]
shuffle 4
add x`),
    ).toBe(`x = (relu)
y = (conv 64 k=3 padding=1) | (batchnorm) | (relu)
s = (x) | (conv 64 k=1)
add(y, s)
concat(a, b, c)
mul(features, gate)
a, b = (chunk 2)
a, b = (split [16, 48])
(shuffle 4)
(add x)`);
  });

  it('blocks with parameters, defaults, if/else and repeat', () => {
    const text = `block bottleneck(c, stride=1, project=false) {
  conv c, k=1, bias=false | batchnorm | relu
  y = conv c*4, k=1, bias=false | batchnorm
  if project {
    s = in | conv c*4, k=1, stride=stride, bias=false | batchnorm
    add(y, s)
  } else {
    add(y, in)
  }
  relu
}

block stage(c, n, stride) {
  bottleneck(c, stride=stride, project=true)
  repeat n - 1 { bottleneck(c) }
}`;
    const program = parse(text);
    expect(program.errors).toEqual([]);
    expect(print(program)).toBe(`block bottleneck(c, stride=1, project=false)
  (conv c k=1 bias=false) | (batchnorm) | (relu)
  y = (conv (c * 4) k=1 bias=false) | (batchnorm)
  if project
    s = (in) | (conv (c * 4) k=1 stride=stride bias=false) | (batchnorm)
    add(y, s)
  else
    add(y, in)
  (relu)
block stage(c, n, stride)
  bottleneck(c, stride=stride, project=true)
  repeat (n - 1)
    bottleneck(c)`);
  });

  it('repeat with an index, let, empty parameter list', () => {
    const program = parse('block b() {\n  let w = 64\n  repeat 3 as i { conv w * (i + 1), k=3 }\n}');
    expect(program.errors).toEqual([]);
    expect(print(program)).toBe('block b()\n  let w = 64\n  repeat 3 as i\n    (conv (w * (i + 1)) k=3)');
  });

  it('else if chains: the else body holds one if and has its span', () => {
    const text = 'model M {\n  if a { relu } else if b { tanh } else { gelu }\n}';
    const program = parse(text);
    expect(program.errors).toEqual([]);
    expect(print(program)).toBe('model M\n  if a\n    (relu)\n  else\n    if b\n      (tanh)\n    else\n      (gelu)');
    const outer = program.items[0].body.statements[0];
    if (outer.kind !== 'if' || !outer.else) throw new Error('expected if/else');
    const inner = outer.else.statements[0];
    expect(outer.else.span).toEqual(inner.span);
    expect(text.slice(inner.span.start, inner.span.end)).toBe('if b { tanh } else { gelu }');
    expect(text.slice(outer.span.start, outer.span.end)).toBe('if a { relu } else if b { tanh } else { gelu }');
  });

  it('else may sit on the line after `}`, and `{` on the line after the header', () => {
    expect(stmts('if a {\n relu\n}\nelse {\n tanh\n}')).toBe('if a\n  (relu)\nelse\n  (tanh)');
    const program = parse('model M\n{\n  relu\n}');
    expect(program.errors).toEqual([]);
    expect(print(program)).toBe('model M\n  (relu)');
  });

  it('hand-set kernels: names, lists and nested lists; keywords as argument names', () => {
    expect(stmts('conv 2, k=3, padding=1, weights=[sobel_x, sobel_y], bias=false')).toBe(
      '(conv 2 k=3 padding=1 weights=[sobel_x, sobel_y] bias=false)',
    );
    expect(stmts('conv 1, k=3, weights=[[1, 0, -1], [1, 0, -1], [1, 0, -1]]')).toBe(
      '(conv 1 k=3 weights=[[1, 0, (-1)], [1, 0, (-1)], [1, 0, (-1)]])',
    );
    expect(stmts('conv 1, weights=[\n  [1, 0],\n  [0, 1],\n]')).toBe('(conv 1 weights=[[1, 0], [0, 1]])');
    expect(exprOf('[]')).toBe('[]');
  });

  it('a parenthesised call needs `(` right after the name', () => {
    expect(stmts('conv (1, 7)')).toBe('(conv (tuple 1 7))');
    expect(stmts('conv(1, 7)')).toBe('conv(1, 7)');
    expect(stmts('conv (3), k=1')).toBe('(conv 3 k=1)');
    expect(stmts('relu()')).toBe('relu()');
  });

  it('k=3 inside arguments is a keyword argument, not a binding', () => {
    expect(stmts('conv 64, k=3')).toBe('(conv 64 k=3)');
    expect(stmts('y = conv k=3')).toBe('y = (conv k=3)');
  });

  it('continuation after `,` and `|` and inside brackets', () => {
    expect(stmts('conv 64,\n  k=3 |\n  relu')).toBe('(conv 64 k=3) | (relu)');
    expect(stmts('add(\n  y,\n  s,\n)')).toBe('add(y, s)');
    expect(stmts('a,\n b = chunk 2')).toBe('a, b = (chunk 2)');
  });

  it('; separates statements', () => {
    expect(stmts('conv 8; relu;; tanh;')).toBe('(conv 8)\n(relu)\n(tanh)');
  });

  it('several items', () => {
    const program = parse('block a() { relu }\nmodel M { a }\nblock b(x) { tanh }');
    expect(program.errors).toEqual([]);
    expect(program.items.map((i) => `${i.kind} ${i.name.name}`)).toEqual(['block a', 'model M', 'block b']);
  });
});

describe('parser: expressions', () => {
  it('precedence: or < and < not < compare < dims < sum < term < unary', () => {
    expect(exprOf('a + b * c')).toBe('(a + (b * c))');
    expect(exprOf('a - b - c')).toBe('((a - b) - c)');
    expect(exprOf('a // 2 % 3 / 4')).toBe('(((a // 2) % 3) / 4)');
    expect(exprOf('-a * -2')).toBe('((-a) * (-2))');
    expect(exprOf('not a and b or c')).toBe('(((not a) and b) or c)');
    expect(exprOf('not a == b')).toBe('(not (a == b))');
    expect(exprOf('a + 1 >= 2 and c != d')).toBe('(((a + 1) >= 2) and (c != d))');
    expect(exprOf('a < b')).toBe('(a < b)');
    expect(exprOf('a <= b')).toBe('(a <= b)');
    expect(exprOf('a > b')).toBe('(a > b)');
    expect(exprOf('n + 1 × 2')).toBe('(n + 1)×2');
    expect(exprOf('(a + b) * c')).toBe('((a + b) * c)');
  });
  it('literals', () => {
    expect(exprOf('true')).toBe('true');
    expect(exprOf('false')).toBe('false');
    expect(exprOf('1e-6')).toBe('1e-6');
    expect(exprOf('"a\\"b\\\\c\\n"')).toBe(JSON.stringify('a"b\\c\\n'));
    expect(exprOf('((1))')).toBe('1');
  });
  it('number values', () => {
    const program = parse('model M { let a = [64, 0.5, 1e-6, 007, 12345678901] }');
    const s = program.items[0].body.statements[0];
    if (s.kind !== 'let' || s.value.kind !== 'list') throw new Error('expected a list');
    expect(s.value.items.map((e) => (e.kind === 'number' ? e.value : null))).toEqual([64, 0.5, 1e-6, 7, 12345678901]);
  });
  it('spans cover the source of each node', () => {
    const text = 'model M {\n  y = conv c * 4, k=(1, 3) | relu\n}';
    const s = parse(text).items[0].body.statements[0];
    if (s.kind !== 'layer') throw new Error('expected a layer');
    const slice = (span: { start: number; end: number }) => text.slice(span.start, span.end);
    expect(slice(s.span)).toBe('y = conv c * 4, k=(1, 3) | relu');
    expect(s.stages.map((c) => slice(c.span))).toEqual(['conv c * 4, k=(1, 3)', 'relu']);
    expect(s.stages[0].args.map((a) => slice(a.span))).toEqual(['c * 4', 'k=(1, 3)']);
    expect(slice(parse(text).items[0].body.span)).toBe('{\n  y = conv c * 4, k=(1, 3) | relu\n}');
  });
});

// ---- recovery ----------------------------------------------------------------

describe('parser: error recovery', () => {
  it('half-typed keyword argument gives a missing value', () => {
    const text = 'model M {\n  conv 64, k=\n  relu\n}';
    expect(errors(text)).toEqual(['2:14 expected an expression after `=`']);
    expect(print(parse(text))).toBe('model M\n  (conv 64 k=?)\n  (relu)');
  });

  it('a dangling operator at the end of a line', () => {
    const text = 'model M {\n  conv 8, padding=1 +\n  relu\n}';
    expect(errors(text)).toEqual(['2:22 expected an expression after `+`']);
    expect(print(parse(text))).toBe('model M\n  (conv 8 padding=(1 + ?))\n  (relu)');
  });

  it('a missing comma: one error, the argument after it and the next line still parse', () => {
    const text = 'model M {\n  conv 64 k=3\n  relu\n}';
    expect(errors(text)).toEqual(['2:11 expected `,` between the arguments of `conv`, found `k`']);
    expect(print(parse(text))).toBe('model M\n  (conv 64 k=3)\n  (relu)');
  });

  it('an unclosed body at the end of the file keeps its statements', () => {
    const text = 'model M {\n  conv 64\n  relu\n';
    expect(errors(text)).toEqual(['3:7 expected `}` to close the model `M` opened at line 1']);
    expect(print(parse(text))).toBe('model M\n  (conv 64)\n  (relu)');
  });

  it('an unclosed block before the next item: one error, both items parse', () => {
    const text = 'block bottleneck(c) {\n  conv c\n\nmodel M {\n  bottleneck(64)\n}';
    expect(errors(text)).toEqual(['2:9 expected `}` to close the block `bottleneck` opened at line 1']);
    expect(print(parse(text))).toBe('block bottleneck(c)\n  (conv c)\nmodel M\n  bottleneck(64)');
  });

  it('nested unclosed bodies at the end of the file: one error', () => {
    const text = 'model M {\n  repeat 2 {\n    if a {\n      relu\n';
    expect(errors(text)).toEqual(['4:11 expected `}` to close the `if` opened at line 3']);
    expect(print(parse(text))).toBe('model M\n  repeat 2\n    if a\n      (relu)');
  });

  it('an unclosed call parenthesis ends at the body', () => {
    const text = 'model M {\n  conv(64, k=3\n  relu\n}\nmodel N { tanh }';
    expect(errors(text)).toEqual(['3:3 expected `,` or `)` in the arguments of `conv`, found `relu`']);
    expect(print(parse(text))).toBe('model M\n  conv(64, k=3)\nmodel N\n  (tanh)');
  });

  it('an unclosed tuple', () => {
    const text = 'model M {\n  conv 8, k=(1, 3\n}';
    expect(errors(text)).toEqual(['2:18 expected `)` to close the `(` opened at line 2']);
  });

  it('an unclosed list at the end of the file', () => {
    expect(errors('model M {\n  split [16, 48')).toEqual(['2:16 expected `]` to close the `[` opened at line 2']);
  });

  it('a bad character: one error from the lexer, none from the parser', () => {
    const text = 'model M {\n  conv 64 @ 3\n  relu\n}';
    expect(errors(text)).toEqual(['2:11 unexpected character `@`']);
    expect(print(parse(text))).toBe('model M\n  (conv 64)\n  (relu)');
    expect(errors('model M {\n  conv @@@\n}')).toEqual(['2:8 unexpected characters `@@@`']);
  });

  it('an unterminated string: one error, the rest parses', () => {
    const text = 'model M {\n  weights "a.safetensors\n  relu\n}';
    expect(errors(text)).toEqual(['2:11 unterminated string: add a closing `"`']);
    expect(print(parse(text))).toBe('model M\n  weights "a.safetensors"\n  (relu)');
  });

  it('statements outside an item', () => {
    const text = 'conv 64\nrelu\nmodel M { relu }';
    expect(errors(text)).toEqual(['1:1 statements must be inside a `model Name { … }` or `block name(…) { … }`']);
    expect(print(parse(text))).toBe('model M\n  (relu)');
  });

  it('a stray `}` at the top level', () => {
    expect(errors('model M { relu }\n}\nmodel N { relu }')).toEqual(['2:1 unexpected `}`: there is no open `{` to close']);
  });

  it('other top-level junk', () => {
    expect(errors('42\nmodel M { relu }')).toEqual(['1:1 expected `model` or `block`, found `42`']);
  });

  it('`else` without `if`', () => {
    const text = 'model M {\n  relu\n  else { tanh }\n  gelu\n}';
    expect(errors(text)).toEqual(['3:3 `else` without an `if`: it must follow the `}` of an `if` body']);
    expect(print(parse(text))).toBe('model M\n  (relu)\n  (gelu)');
  });

  it('statement keyword mistakes: one error each', () => {
    expect(errors('model M {\n  let = 3\n}')).toEqual(['2:7 expected a name after `let`, found `=`']);
    expect(errors('model M {\n  let w 3\n}')).toEqual(['2:9 expected `=` after `let w`, found `3`']);
    expect(errors('model M {\n  input x 3×224\n}')).toEqual(['2:11 expected `:` and a shape after the input name, found `3`']);
    expect(errors('model M {\n  input: 3\n}')).toEqual(['2:8 expected the input name after `input`, found `:`']);
    expect(errors('model M {\n  weights\n}')).toEqual(['2:10 expected a file path string after `weights`']);
  });

  it('repeat and if without their expression still parse the body', () => {
    const text = 'model M {\n  repeat {\n    relu\n  }\n  if { tanh }\n}';
    expect(errors(text)).toEqual([
      '2:10 expected a repeat count after `repeat`, found `{`',
      '5:6 expected a condition after `if`, found `{`',
    ]);
    expect(print(parse(text))).toBe('model M\n  repeat ?\n    (relu)\n  if ?\n    (tanh)');
  });

  it('a missing `{` after repeat', () => {
    const text = 'model M {\n  repeat 3 relu\n  tanh\n}';
    expect(errors(text)).toEqual(['2:12 expected `{` after the repeat count, found `relu`']);
    expect(print(parse(text))).toBe('model M\n  repeat 3\n  (tanh)');
  });

  it('block mistakes', () => {
    const noParens = 'block b { relu }';
    expect(errors(noParens)).toEqual(['1:9 expected a parameter list after the block name `b`, even if empty: `()`']);
    expect(print(parse(noParens))).toBe('block b()\n  (relu)');
    const doubleComma = 'block b(c,, d) { relu }';
    expect(errors(doubleComma)).toEqual(['1:11 expected a parameter name, found `,`']);
    expect(print(parse(doubleComma))).toBe('block b(c)\n  (relu)');
    expect(errors('block b(c d) { relu }')).toEqual(['1:11 expected `,` or `)` in the parameters of `b`, found `d`']);
    const noName = 'model { relu }';
    expect(errors(noName)).toEqual(['1:7 expected a model name after `model`, found `{`']);
    expect(print(parse(noName))).toBe('model \n  (relu)');
  });

  it('pipelines with a missing call', () => {
    expect(errors('model M {\n  y =\n  relu\n}')).toEqual(['2:6 expected a layer call after `=`']);
    expect(errors('model M {\n  conv 8 |\n}')).toEqual(['2:11 expected a layer call after `|`']);
    expect(errors('model M {\n  stem: 3\n}')).toEqual(['2:9 expected a layer call after the label `stem:`, found `3`']);
  });

  it('chained comparisons are not allowed', () => {
    expect(errors('model M {\n  let a = 1 < 2 < 3\n}')).toEqual([
      '2:17 expected a new line or `;` after the statement, found `<`',
    ]);
  });

  it('a statement that is not one', () => {
    expect(errors('model M {\n  ) relu\n  tanh\n}')).toEqual(['2:3 expected a statement, found `)`']);
  });

  it('independent typos on separate lines give one error each', () => {
    const text = 'model M {\n  conv 64 k=3\n  relu\n  let = 2\n  pool 2,\n}';
    expect(errors(text)).toEqual([
      '2:11 expected `,` between the arguments of `conv`, found `k`',
      '4:7 expected a name after `let`, found `=`',
      '5:10 expected an expression after `,`',
    ]);
    expect(print(parse(text))).toBe('model M\n  (conv 64 k=3)\n  (relu)\n  let  = 2\n  (pool 2 ?)');
  });

  it('broken.cnn style: a syntax error between valid lines', () => {
    const text = 'model Broken {\n  stem | conv 8, k=3, padding=1 +         # syntax-error\n  stem | conv 8, k=3, padding=1\n  gap\n}';
    expect(errors(text)).toHaveLength(1);
    expect(print(parse(text))).toBe(
      'model Broken\n  (stem) | (conv 8 k=3 padding=(1 + ?))\n  (stem) | (conv 8 k=3 padding=1)\n  (gap)',
    );
  });

  it('a missing `{` after a header: its `}` closes the item early, the rest is not re-reported', () => {
    const text = 'model M {\n  repeat n - 1\n    relu\n  }\n  conv 8\n}\nmodel N { tanh }';
    expect(errors(text)).toEqual(['2:15 expected `{` after the repeat count']);
    expect(print(parse(text))).toBe('model M\n  repeat (n - 1)\n  (relu)\nmodel N\n  (tanh)');
  });

  it('a stray `}` inside a call closes the body early: one error', () => {
    const text = 'model M {\n  if a {\n    add(y, }in)\n    relu\n  }\n  conv 8\n}\nmodel N { tanh }';
    expect(errors(text)).toEqual(['3:11 expected an expression after `,`']);
    expect(print(parse(text)).split('\n').at(-2)).toBe('model N');
  });

  it('a stray `{` inside a call pairs with a body\'s `}`: one error', () => {
    const text = 'block b() {\n  if p {\n    relu\n  } else {\n    add({y, in)\n  }\n  relu\n}\n\nmodel M { b() }';
    expect(errors(text)).toEqual(['5:9 expected an expression after `(`, found `{`']);
    expect(print(parse(text)).split('\n').slice(-2)).toEqual(['model M', '  b()']);
  });

  it('a stray `{` as a statement at the end of a body: one error', () => {
    const text = 'model M {\n  relu\n  {\n}\n';
    expect(errors(text)).toEqual(['3:3 expected a statement, found `{`']);
  });

  it('an unclosed `(` ends at the body; a stray `{` inside it does not revive it', () => {
    const text = 'model M {\n  conv(64, {k=3\n  relu\n}\nmodel N { tanh }';
    expect(errors(text)).toHaveLength(1);
    expect(print(parse(text)).split('\n').slice(-2)).toEqual(['model N', '  (tanh)']);
  });

  it('a broken parameter list recovers at `) {`', () => {
    const text = 'block convs({c, n) {\n  conv c\n}';
    expect(errors(text)).toEqual(['1:13 expected a parameter name, found `{`']);
    expect(print(parse(text))).toBe('block convs()\n  (conv c)');
  });

  it('never two errors at one offset', () => {
    const program = parse('model M {\n  conv ( [ {\n');
    const starts = program.errors.map((e) => e.span.start);
    expect(new Set(starts).size).toBe(starts.length);
    expect(program.errors).toHaveLength(1);
  });
});

// ---- bounds ------------------------------------------------------------------

describe('parser: bounds', () => {
  const codes = (program: Program) => program.errors.map((e) => e.code);

  it('nesting deeper than the limit: one limit-exceeded error, the rest still parses', () => {
    const depth = 100;
    const text = `model M {\n${'repeat 1 {\n'.repeat(depth)}relu\n${'}\n'.repeat(depth)}conv 8\n}\nmodel N { relu }`;
    const program = parse(text);
    expect(codes(program)).toEqual(['limit-exceeded']);
    expect(program.errors[0].message).toBe(`nesting is deeper than ${MAX_NESTING} levels`);
    expect(program.items.map((i) => i.name.name)).toEqual(['M', 'N']);
    const last = program.items[0].body.statements.at(-1);
    expect(last?.kind === 'layer' && last.stages[0].callee.name).toBe('conv');
  });

  it('nesting just under the limit is fine', () => {
    const text = `model M {\n  let a = ${'('.repeat(60)}1${')'.repeat(60)}\n}`;
    expect(parse(text).errors).toEqual([]);
  });

  it('1,000,000 `(` in an expression', () => {
    const program = parse(`model M {\n  conv ${'('.repeat(1_000_000)}`);
    expect(codes(program)).toEqual(['limit-exceeded']);
  });

  it('1,000,000 `(` at the top level', () => {
    expect(codes(parse('('.repeat(1_000_000)))).toEqual(['syntax-error']);
  });

  it('1,000,000 `{`', () => {
    expect(codes(parse('{'.repeat(1_000_000)))).toEqual(['syntax-error']);
    expect(codes(parse(`model M {${'{'.repeat(1_000_000)}`))).toEqual(['syntax-error']);
    expect(codes(parse(`model M {\n${'if a {'.repeat(1_000_000)}`))).toEqual(['limit-exceeded']);
  });

  it('1,000,000 `[` and unary operators', () => {
    expect(codes(parse(`model M {\n  let a = ${'['.repeat(1_000_000)}`))).toEqual(['limit-exceeded']);
    expect(codes(parse(`model M {\n  let a = ${'-'.repeat(1_000_000)}1\n}`))).toEqual(['limit-exceeded']);
    expect(codes(parse(`model M {\n  let a = ${'not '.repeat(200_000)}1\n}`))).toEqual(['limit-exceeded']);
  });

  it('a long else-if chain costs no nesting', () => {
    const text = `model M {\n  if a { relu }${' else if b { relu }'.repeat(5_000)} else { tanh }\n}`;
    const program = parse(text);
    expect(program.errors).toEqual([]);
  });

  it('long flat expressions and argument lists', () => {
    const sum = Array.from({ length: 100_000 }, (_, i) => i).join(' + ');
    expect(parse(`model M {\n  let a = ${sum}\n}`).errors).toEqual([]);
    const list = Array.from({ length: 100_000 }, (_, i) => i).join(', ');
    expect(parse(`model M {\n  split [${list}]\n  conv ${list}\n}`).errors).toEqual([]);
  });

  it('many strings in a big file (string values are read locally)', () => {
    const list = Array.from({ length: 200_000 }, (_, i) => `"s${i}"`).join(', ');
    const program = parse(`model M {\n  let a = [${list}, "a\\"b"]\n}`);
    expect(program.errors).toEqual([]);
  });

  it('10 MB of random UTF-16 (NUL, lone surrogates, …) never throws', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const parts: string[] = [];
    for (let i = 0; i < 10 * 1024 * 1024; i += 4096) {
      const chunk = new Array<string>(4096);
      for (let j = 0; j < 4096; j++) chunk[j] = String.fromCharCode(random() >>> 16);
      parts.push(chunk.join(''));
    }
    const program = parse(parts.join(''));
    expect(program.errors.length).toBe(MAX_SYNTAX_ERRORS + 1);
    expect(program.errors.at(-1)?.code).toBe('limit-exceeded');
  });

  it('10 MB of random ASCII bytes never throws', () => {
    let seed = 99;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const bytes = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (random() >>> 16) & 0x7f;
    const program = parse(new TextDecoder('latin1').decode(bytes));
    expect(program.errors.length).toBeLessThanOrEqual(MAX_SYNTAX_ERRORS + 1);
  });

  it('random token soup never throws', () => {
    const words = ['model', 'block', 'M', '{', '}', '(', ')', '[', ']', ',', '|', '=', ':', '\n', 'repeat', 'if', 'else', '1', 'x', '-', 'not', ';', '"s', 'k=', '×'];
    let seed = 3;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 200; round++) {
      const parts: string[] = [];
      for (let i = 0; i < 200; i++) parts.push(words[(random() >>> 16) % words.length]);
      const text = parts.join(' ');
      const program = parse(text);
      const starts = program.errors.map((e) => e.span.start);
      expect(new Set(starts).size).toBe(starts.length);
    }
  });

  it('10 MB of valid statements', () => {
    const line = '  y = conv 64, k=3, stride=2, padding=1, bias=false | batchnorm | relu   # a comment\n';
    const count = Math.ceil((10 * 1024 * 1024) / line.length);
    const program = parse(`model M {\n  input x: 3×224×224\n${line.repeat(count)}}\n`);
    expect(program.errors).toEqual([]);
    expect(program.items[0].body.statements).toHaveLength(count + 1);
    expect(program.comments).toHaveLength(count);
  });
});
