import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { format, formatText } from '../../src/language/format';
import { applyChanges } from '../../src/language/text-change';
import { parse } from '../../src/language/parser';

/** The AST without spans, plus the comment texts: what formatting must not change. */
function meaning(text: string): string {
  const program = parse(text);
  const comments = program.comments.map((c) => text.slice(c.start, c.end).trimEnd());
  return JSON.stringify({ items: program.items, comments }, (key, value) => (key === 'span' ? undefined : value));
}

/** Formats and checks the invariants: no syntax errors, same meaning, idempotent. */
function fmt(text: string, indent?: number): string {
  expect(parse(text).errors).toEqual([]);
  const once = formatText(text, { indent });
  expect(parse(once).errors).toEqual([]);
  expect(meaning(once)).toBe(meaning(text));
  expect(formatText(once, { indent })).toBe(once);
  expect(format(once, { indent }).edits).toEqual([]);
  return once;
}

describe('format: canonical layout', () => {
  it('indents bodies and spaces operators, arguments and pipelines', () => {
    expect(
      fmt(`model   M{
input x:3x224x224,normalize = imagenet
conv 64,k = 3 ,padding=1|batchnorm|relu
    y=conv c*4,k=1|batchnorm
add( y ,s )
}`),
    ).toBe(`model M {
  input x: 3×224×224, normalize=imagenet
  conv 64, k=3, padding=1 | batchnorm | relu
  y = conv c * 4, k=1 | batchnorm
  add(y, s)
}
`);
  });

  it('splits `;`-joined statements and one-line bodies', () => {
    expect(fmt('model M { conv 8; relu; repeat 2 { tanh }; if a { gelu } else { relu } }')).toBe(`model M {
  conv 8
  relu
  repeat 2 {
    tanh
  }
  if a {
    gelu
  } else {
    relu
  }
}
`);
  });

  it('blocks: parameter lists, defaults, else if, repeat as', () => {
    expect(
      fmt(`block b ( c , stride = 1 , project=false ) {
  if project { conv c } else if c > 64 { conv c // 2 }
  else { relu }
  repeat n - 1 as i { conv c*(i+1), k=(1,3) }
}`),
    ).toBe(`block b(c, stride=1, project=false) {
  if project {
    conv c
  } else if c > 64 {
    conv c // 2
  } else {
    relu
  }
  repeat n - 1 as i {
    conv c * (i + 1), k=(1, 3)
  }
}
`);
  });

  it('unary minus, not, lists, tuples and bare calls with a tuple', () => {
    expect(
      fmt(`model M {
  let a = - 1
  let b = not   a and(b or c)
  conv 1, weights=[ [1,0,- 1] , [2, 0, -2] ], k = -1
  conv (1, 7)
  conv(1,7)
  a , b = split [16,48]
  stem :conv 3
}`),
    ).toBe(`model M {
  let a = -1
  let b = not a and (b or c)
  conv 1, weights=[[1, 0, -1], [2, 0, -2]], k=-1
  conv (1, 7)
  conv(1, 7)
  a, b = split [16, 48]
  stem: conv 3
}
`);
  });

  it('dims: tight between simple operands, spaced otherwise', () => {
    expect(fmt('model M {\n  input x: 3 × 224x224\n  let s = c × 4\n  let t = (c + 1)×2\n}')).toBe(
      'model M {\n  input x: 3×224×224\n  let s = c×4\n  let t = (c + 1) × 2\n}\n',
    );
  });

  it('blank lines: one between items, at most one in a body, none after `{` or before `}`', () => {
    expect(fmt('\n\nblock a() {\n\n\n  relu\n\n\n\n  tanh\n\n}\nmodel M {\n  a\n}\n\n\n\n')).toBe(
      'block a() {\n  relu\n\n  tanh\n}\n\nmodel M {\n  a\n}\n',
    );
  });

  it('continuation lines keep their breaks and get indented', () => {
    expect(
      fmt(`model M {
  y = conv 64,
k=3 |
        batchnorm
  conv 1, weights=[
[1, 0],
      [0, 1],
          ]
  add(
y,
s)
}`),
    ).toBe(`model M {
  y = conv 64,
    k=3 |
    batchnorm
  conv 1, weights=[
    [1, 0],
    [0, 1],
  ]
  add(
    y,
    s)
}
`);
  });

  it('`{` on its own line and `else` on its own line are joined', () => {
    expect(fmt('model M\n{\n  if a {\n    relu\n  }\n  else {\n    tanh\n  }\n}')).toBe(
      'model M {\n  if a {\n    relu\n  } else {\n    tanh\n  }\n}\n',
    );
  });

  it('indent option', () => {
    expect(fmt('model M { repeat 2 { relu } }', 4)).toBe('model M {\n    repeat 2 {\n        relu\n    }\n}\n');
  });

  it('trailing whitespace and the final newline', () => {
    expect(fmt('model M {   \n  relu   \n}   ')).toBe('model M {\n  relu\n}\n');
    expect(fmt('')).toBe('');
    expect(fmt('\n \n')).toBe('');
  });

  it('CRLF files keep CRLF', () => {
    expect(fmt('model M {\r\n    relu\r\n}\r\n')).toBe('model M {\r\n  relu\r\n}\r\n');
  });
});

describe('format: comments', () => {
  it('keeps own-line and end-of-line comments', () => {
    expect(
      fmt(`# header

# about M
model M {   # opening
      # first
  conv 64,   # channels
     k=3      # kernel
  relu # trailing   \t
  # last
}
# footer`),
    ).toBe(`# header

# about M
model M {   # opening
  # first
  conv 64,   # channels
    k=3      # kernel
  relu # trailing
  # last
}

# footer
`);
  });

  it('a comment right above an item stays attached to it', () => {
    expect(fmt('model M {\n  relu\n}\n\n# about b\nblock b() {\n  tanh\n}\n# about c\nblock c() {\n  gelu\n}')).toBe(
      'model M {\n  relu\n}\n\n# about b\nblock b() {\n  tanh\n}\n\n# about c\nblock c() {\n  gelu\n}\n',
    );
  });

  it('comments inside brackets, before else, at the end of nested bodies', () => {
    expect(
      fmt(`model M {
  conv 1, weights=[
    # row one
    [1, 0],
    [0, 1], # row two
  ]
  if a {
    relu
      # end of then
  }
  # between
  else {
    tanh
  }
}`),
    ).toBe(`model M {
  conv 1, weights=[
    # row one
    [1, 0],
    [0, 1], # row two
  ]
  if a {
    relu
    # end of then
  }
  # between
  else {
    tanh
  }
}
`);
  });

  it('a comment after `;` stays on its line', () => {
    expect(fmt('model M {\n  conv 8; # eight\n  relu\n}')).toBe('model M {\n  conv 8 # eight\n  relu\n}\n');
  });
});

describe('format: safety', () => {
  it('returns no edits for a file with syntax errors', () => {
    for (const text of ['model M {\n  conv 64, k=\n}', 'model M {\n conv 8  @', 'model M {', 'block b(c {\n}']) {
      expect(format(text).edits).toEqual([]);
    }
  });

  it('edits are non-overlapping and in order', () => {
    const text = 'model M{conv 64,k=3;relu}';
    const { edits } = format(text);
    for (let i = 1; i < edits.length; i++) expect(edits[i].span.start).toBeGreaterThanOrEqual(edits[i - 1].span.end);
    expect(applyChanges(text, edits)).toBe('model M {\n  conv 64, k=3\n  relu\n}\n');
  });

  const snippets = [
    'model M { input x: 1x28x28; conv 8, k=3; relu; flatten; linear 10 }',
    'block up(c, skip=none) { x = in | upsample 2; concat(x, skip); conv c, k=3, padding=1 }',
    'model M {\n  let w = 64\n  repeat 3 as i {\n    conv w * 2 ** 1\n  }\n}'.replace(' ** 1', ''),
    'model M {\n  if a and not b or c == 2 { relu }\n  else if x != 1 { tanh } else { gelu }\n}',
    'model M {\n  a, b, c = split [1, 2, 3]\n  out: y = add(a, b) | relu\n}',
    'model M {\n  conv 2, k=3, weights=[sobel_x, sobel_y], bias=false\n  weights "w.safetensors"\n}',
    'model M {\n  let a = -(-1) - -2 * - - 3\n  let b = (1, (2, 3))\n  let c = []\n  let d = ((a))\n}',
    'model M {\n  let a = 1e-6\n  let b = 0.5 // 2 % 3 / 4\n  let s = "a\\"b"\n}',
    'model M {\n  conv 8,\n    # explain\n    k=3\n}',
    'model M { relu }\n\n\n# between\n\n\nblock b() { tanh }  # tail',
    'model M{}\nblock b(){}',
    'model M {\n  x = relu\n  add x\n  s = x | conv 64, k=1\n}',
  ];
  it.each(snippets.map((s) => [s]))('idempotent and meaning-preserving: %s', (text) => {
    fmt(text);
  });
});

describe('format: range', () => {
  const text = 'model M {\n  conv   8\n    relu\n  repeat 2 {\n      tanh\n  gelu\n  }\n}\nmodel   N {\nelu\n}\n';

  it('formats only the statements that intersect the range', () => {
    const start = text.indexOf('relu');
    const result = applyChanges(text, format(text, { range: { start, end: start + 2 } }).edits);
    expect(result).toBe(text.replace('    relu', '  relu'));
  });

  it('formats a statement inside a nested body', () => {
    const start = text.indexOf('tanh');
    const result = applyChanges(text, format(text, { range: { start, end: start } }).edits);
    expect(result).toBe(text.replace('      tanh', '    tanh'));
  });

  it('a range spanning items formats those items', () => {
    const start = text.indexOf('gelu');
    const end = text.indexOf('elu\n}\n', text.indexOf('model   N'));
    const result = applyChanges(text, format(text, { range: { start, end } }).edits);
    expect(result).toBe(formatText(text));
  });

  it('a range over nothing formats nothing', () => {
    const text = 'model M {\n  relu\n}\n\n\n\nmodel N { relu }';
    const at = text.indexOf('\n\n\n') + 2;
    expect(format(text, { range: { start: at, end: at + 1 } }).edits).toEqual([]);
  });

  it('trailing whitespace after the last statement in range is trimmed, the next line is left alone', () => {
    const text = 'model M {\n  conv 8   \n      relu\n}\n';
    const at = text.indexOf('conv');
    expect(formatText(text, { range: { start: at, end: at } })).toBe('model M {\n  conv 8\n      relu\n}\n');
  });
});

// ---- realistic files ----------------------------------------------------------

const fixtures: Record<string, string> = {
  'resnet-ish': `# A small ResNet, written carelessly.
block basic(c, stride=1, project=false) {
    conv c,k=3,stride=stride,padding=1,bias=false|batchnorm|relu
    y = conv c, k=3, padding=1, bias=false | batchnorm   # second conv
    if project { s = in | conv c, k=1, stride=stride, bias=false | batchnorm; add(y, s) }
    else { add(y, in) }
    relu
}
block stage(c, n, stride=1) {
  basic(c, stride=stride, project=stride>1)
  repeat n-1 { basic(c) }
}



model ResNet10 {
  input image: 3x224x224, normalize=imagenet
  weights "resnet10.safetensors"
  stem: conv 64, k=7, stride=2, padding=3 | batchnorm | relu
  maxpool 3, stride=2, padding=1
  stage(64, 1); stage(128, 1, stride=2)
  gap
  flatten
  linear 1000   # classes
}`,
  edges: `model Edges {
  input image: 1×128×128
  # Sobel filters, one per output channel
  conv 2, k=3, padding=1, bias=false, weights=[
      [[1, 0, -1], [2, 0, -2], [1, 0, -1]],   # x
      [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],   # y
  ]
  abs
}
`,
  unet: `block down(c) { maxpool 2; conv c, k=3, padding=1 | relu; conv c, k=3, padding=1 | relu }
block up(c, skip) {
  x = in | upsample 2 | conv c, k=1
  concat(x,
         skip)
  conv c, k=3, padding=1 | relu
}
model UNet {
  input x: 1x64x64
  e1 = conv 16, k=3, padding=1 | relu
  e2 = e1 | down(32)
  b = e2 | down(64)
  d2 = b | up(32, skip=e2)
  d1 = d2 | up(16, skip=e1)
  conv 2, k=1
}
`,
};

describe('format: realistic files', () => {
  it.each(Object.keys(fixtures).map((k) => [k]))('%s', (name) => {
    const out = fmt(fixtures[name]);
    expect(out.split('\n').every((line) => line === line.trimEnd())).toBe(true);
  });

  it('resnet-ish fixture, exactly', () => {
    expect(fmt(fixtures['resnet-ish'])).toBe(`# A small ResNet, written carelessly.
block basic(c, stride=1, project=false) {
  conv c, k=3, stride=stride, padding=1, bias=false | batchnorm | relu
  y = conv c, k=3, padding=1, bias=false | batchnorm   # second conv
  if project {
    s = in | conv c, k=1, stride=stride, bias=false | batchnorm
    add(y, s)
  } else {
    add(y, in)
  }
  relu
}

block stage(c, n, stride=1) {
  basic(c, stride=stride, project=stride > 1)
  repeat n - 1 {
    basic(c)
  }
}

model ResNet10 {
  input image: 3×224×224, normalize=imagenet
  weights "resnet10.safetensors"
  stem: conv 64, k=7, stride=2, padding=3 | batchnorm | relu
  maxpool 3, stride=2, padding=1
  stage(64, 1)
  stage(128, 1, stride=2)
  gap
  flatten
  linear 1000   # classes
}
`);
  });
});

describe('format: samples/**/*.cnn', () => {
  const root = join(__dirname, '../../samples');
  let files: string[] = [];
  try {
    files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.cnn')).sort();
  } catch {
    files = [];
  }

  it('the samples folder is optional', () => {
    expect(Array.isArray(files)).toBe(true);
  });

  it.each(files.map((f) => [f]))('%s', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    if (parse(text).errors.length > 0) {
      expect(format(text).edits).toEqual([]);
      return;
    }
    fmt(text);
  });
});

describe('format on hostile input', () => {
  it('formats a list of 150,000 numbers without overflowing the stack', () => {
    const text = `model M {\n  input x: 150000×2×2\n  p = split [${Array(150_000).fill('1').join(',')}]\n}\n`;
    const formatted = applyChanges(text, format(text).edits);
    expect(formatted).toContain(`[${Array(150_000).fill('1').join(', ')}]`);
  });
});
