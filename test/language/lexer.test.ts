import { describe, expect, it } from 'vitest';
import { MAX_SYNTAX_ERRORS, lex, tokenKindName, tokenList } from '../../src/language/lexer';

/** `NUMBER(3) DIM(x) …` without the final EOF. */
function tokens(text: string): string {
  return tokenList(lex(text))
    .slice(0, -1)
    .map((t) => (t.kind === 1 ? 'NL' : `${tokenKindName(t.kind)}(${t.text})`))
    .join(' ');
}

function errors(text: string): string[] {
  return lex(text).errors.map((e) => `${e.span.start}-${e.span.end} ${e.message}`);
}

describe('lexer: dims', () => {
  it('x between a number and a digit is the dims operator', () => {
    expect(tokens('3x224x224')).toBe('NUMBER(3) DIM(x) NUMBER(224) DIM(x) NUMBER(224)');
  });
  it('× is always the dims operator', () => {
    expect(tokens('c × 4')).toBe('IDENT(c) DIM(×) NUMBER(4)');
    expect(tokens('3×224')).toBe('NUMBER(3) DIM(×) NUMBER(224)');
  });
  it('x elsewhere is an identifier', () => {
    expect(tokens('x = relu')).toBe('IDENT(x) EQ(=) IDENT(relu)');
    expect(tokens('3 x 224')).toBe('NUMBER(3) IDENT(x) NUMBER(224)');
    expect(tokens('3x')).toBe('NUMBER(3) IDENT(x)');
    expect(tokens('3xy')).toBe('NUMBER(3) IDENT(xy)');
    expect(tokens('c x4')).toBe('IDENT(c) IDENT(x4)');
    expect(tokens('add x, x2')).toBe('IDENT(add) IDENT(x) COMMA(,) IDENT(x2)');
  });
  it('x after a float or exponent still works', () => {
    expect(tokens('1.5x2')).toBe('NUMBER(1.5) DIM(x) NUMBER(2)');
  });
});

describe('lexer: literals', () => {
  it('numbers: ints, floats, exponents', () => {
    expect(tokens('64 0.5 1e-6 2E+3 7e5')).toBe('NUMBER(64) NUMBER(0.5) NUMBER(1e-6) NUMBER(2E+3) NUMBER(7e5)');
  });
  it('a dot without digits after it is not part of the number', () => {
    expect(tokens('2.')).toBe('NUMBER(2) UNKNOWN(.)');
    expect(errors('2.')).toEqual(['1-2 unexpected character `.`']);
  });
  it('an exponent needs digits', () => {
    expect(tokens('3e')).toBe('NUMBER(3) IDENT(e)');
    expect(tokens('3e+')).toBe('NUMBER(3) IDENT(e) PLUS(+)');
  });
  it('strings with escapes', () => {
    expect(tokens('"a\\"b\\\\" x')).toBe('STRING("a\\"b\\\\") IDENT(x)');
    expect(errors('"a\\"b"')).toEqual([]);
  });
  it('an unterminated string is one error and stops at the line end', () => {
    expect(tokens('weights "abc\nrelu')).toBe('WEIGHTS(weights) STRING("abc) NL IDENT(relu)');
    expect(errors('weights "abc\nrelu')).toEqual(['8-12 unterminated string: add a closing `"`']);
    expect(errors('"abc\\')).toHaveLength(1);
  });
});

describe('lexer: words and operators', () => {
  it('keywords and identifiers', () => {
    expect(tokens('model block input weights let repeat as if else true false and or not')).toBe(
      'MODEL(model) BLOCK(block) INPUT(input) WEIGHTS(weights) LET(let) REPEAT(repeat) AS(as) IF(if) ELSE(else) ' +
        'TRUE(true) FALSE(false) AND(and) OR(or) NOT(not)',
    );
    expect(tokens('models inputs in _x a1 iff')).toBe('IDENT(models) IDENT(inputs) IDENT(in) IDENT(_x) IDENT(a1) IDENT(iff)');
  });
  it('every operator', () => {
    expect(tokens('+ - * / // % == != < <= > >= = : , ; | ( ) [ ] { }')).toBe(
      'PLUS(+) MINUS(-) STAR(*) SLASH(/) SLASH_SLASH(//) PERCENT(%) EQ_EQ(==) NOT_EQ(!=) LT(<) LT_EQ(<=) GT(>) GT_EQ(>=) ' +
        'EQ(=) COLON(:) COMMA(,) SEMI(;) PIPE(|) LPAREN(() RPAREN()) LBRACKET([) RBRACKET(]) LBRACE({) RBRACE(})',
    );
  });
  it('spans are UTF-16 offsets', () => {
    const list = tokenList(lex('  conv 64'));
    expect(list.map((t) => [t.span.start, t.span.end])).toEqual([
      [2, 6],
      [7, 9],
      [9, 9],
    ]);
  });
});

describe('lexer: comments and newlines', () => {
  it('comments are collected, not tokens', () => {
    const stream = lex('conv 64 # out channels\n# own line\nrelu');
    expect(tokenList(stream).map((t) => t.text)).toEqual(['conv', '64', '\n', 'relu', '']);
    expect(stream.comments.map((c) => stream.text.slice(c.start, c.end))).toEqual(['# out channels', '# own line']);
  });
  it('runs of line breaks give one NEWLINE; none at the start', () => {
    expect(tokens('\n\na\n\n\r\n b')).toBe('IDENT(a) NL IDENT(b)');
  });
  it('CRLF and CR are line breaks', () => {
    expect(tokens('a\r\nb\rc')).toBe('IDENT(a) NL IDENT(b) NL IDENT(c)');
  });
  it('newlines inside ( ) and [ ] are suppressed', () => {
    expect(tokens('f(1,\n2)\n[3,\n4]')).toBe(
      'IDENT(f) LPAREN(() NUMBER(1) COMMA(,) NUMBER(2) RPAREN()) NL LBRACKET([) NUMBER(3) COMMA(,) NUMBER(4) RBRACKET(])',
    );
  });
  it('a `{` starts a fresh bracket count, so an unclosed `(` ends at the body', () => {
    expect(tokens('{\nf(1\n}\na')).toBe('LBRACE({) NL IDENT(f) LPAREN(() NUMBER(1) RBRACE(}) NL IDENT(a)');
  });
  it('a stray `)` does not go negative', () => {
    expect(tokens(')\na')).toBe('RPAREN()) NL IDENT(a)');
  });
});

describe('lexer: bad characters', () => {
  it('one error per run of bad characters', () => {
    expect(tokens('conv @$ 64 ?')).toBe('IDENT(conv) UNKNOWN(@$) NUMBER(64) UNKNOWN(?)');
    expect(errors('conv @$ 64 ?')).toEqual(['5-7 unexpected characters `@$`', '11-12 unexpected character `?`']);
  });
  it('a lone `!` is bad, `!=` is not', () => {
    expect(tokens('a ! b != c')).toBe('IDENT(a) UNKNOWN(!) IDENT(b) NOT_EQ(!=) IDENT(c)');
  });
  it('NUL bytes and control characters', () => {
    expect(errors('a\u0000\u0000\u0001b')).toEqual(['1-4 3 unexpected characters, starting with U+0000']);
  });
  it('lone surrogates', () => {
    expect(errors('a \ud800 b')).toEqual(['2-3 unexpected character U+D800']);
    expect(errors('a \udc00\ud800 b')).toHaveLength(1);
  });
  it('NBSP and a byte-order mark are whitespace', () => {
    expect(tokens('\ufeffa\u00a0b')).toBe('IDENT(a) IDENT(b)');
  });
  it('non-ASCII letters are not identifiers', () => {
    expect(errors('café')).toEqual(['3-4 unexpected character `é`']);
  });
  it('errors are capped', () => {
    const text = Array.from({ length: 500 }, () => '@ a').join(' ');
    const list = lex(text).errors;
    expect(list).toHaveLength(MAX_SYNTAX_ERRORS + 1);
    expect(list[MAX_SYNTAX_ERRORS].code).toBe('limit-exceeded');
  });
  it('random UTF-16 never throws and ends with EOF', () => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const chars: string[] = [];
    for (let i = 0; i < 200_000; i++) chars.push(String.fromCharCode(random() & 0xffff));
    const stream = lex(chars.join(''));
    expect(stream.kinds[stream.count - 1]).toBe(0);
    expect(stream.errors.length).toBeLessThanOrEqual(MAX_SYNTAX_ERRORS + 1);
  });
});
