/**
 * A parser for the SOQL subset the sandbox serves: SELECT fields (incl. one parent hop such as
 * `Account.Name`) FROM object [WHERE comparisons joined by AND/OR/NOT, parenthesised] [ORDER BY field
 * [ASC|DESC] [NULLS FIRST|LAST]] [LIMIT n] [OFFSET n]. Anything else is MALFORMED_QUERY, as it would be
 * for syntax Salesforce itself rejects.
 */

export class SoqlSyntaxError extends Error {}

export type Literal =
  | { readonly kind: 'string'; readonly raw: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'date'; readonly value: string };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';

export type Condition =
  | { readonly kind: 'and'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly inner: Condition }
  | { readonly kind: 'compare'; readonly field: string; readonly op: CompareOp; readonly value: Literal };

export interface ParsedQuery {
  readonly fields: readonly string[];
  readonly object: string;
  readonly where?: Condition;
  readonly orderBy?: { readonly field: string; readonly descending: boolean; readonly nullsLast: boolean };
  readonly limit?: number;
  readonly offset?: number;
}

interface Token { readonly kind: 'ident' | 'string' | 'number' | 'date' | 'op' | 'comma' | 'lparen' | 'rparen' | 'eof'; readonly text: string }

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'ORDER', 'BY', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'LIMIT', 'OFFSET', 'LIKE', 'TRUE', 'FALSE', 'NULL']);

/** Order matters: a date must win over the number it starts with. */
const LEXEMES: readonly (readonly [Token['kind'], RegExp])[] = [
  ['date', /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))?/],
  ['number', /^-?\d+(?:\.\d+)?/],
  ['op', /^(?:!=|<>|<=|>=|=|<|>)/],
  ['ident', /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*/],
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const c = source.charAt(i);
    if (c === "'") {
      let j = i + 1;
      while (j < source.length && source.charAt(j) !== "'") j += source.charAt(j) === '\\' ? 2 : 1;
      if (j >= source.length) throw new SoqlSyntaxError('unterminated string literal');
      tokens.push({ kind: 'string', text: source.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const lexeme = LEXEMES.map(([kind, re]) => ({ kind, text: re.exec(rest)?.[0] })).find((m) => m.text !== undefined);
    if (lexeme?.text !== undefined) {
      tokens.push({ kind: lexeme.kind, text: lexeme.kind === 'op' && lexeme.text === '<>' ? '!=' : lexeme.text });
      i += lexeme.text.length;
      continue;
    }
    if (c === ',') tokens.push({ kind: 'comma', text: c });
    else if (c === '(') tokens.push({ kind: 'lparen', text: c });
    else if (c === ')') tokens.push({ kind: 'rparen', text: c });
    else throw new SoqlSyntaxError(`unexpected token: '${c}'`);
    i += 1;
  }
  tokens.push({ kind: 'eof', text: '' });
  return tokens;
}

export function parseSoql(source: string): ParsedQuery {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'eof', text: '' };
  const next = (): Token => {
    const token = peek();
    pos += 1;
    return token;
  };
  const isKeyword = (word: string): boolean => peek().kind === 'ident' && peek().text.toUpperCase() === word;
  const expectKeyword = (word: string): void => {
    if (!isKeyword(word)) throw new SoqlSyntaxError(`unexpected token: '${peek().text || '<EOF>'}', expected ${word}`);
    pos += 1;
  };
  const identifier = (): string => {
    const token = next();
    if (token.kind !== 'ident' || KEYWORDS.has(token.text.toUpperCase())) throw new SoqlSyntaxError(`unexpected token: '${token.text || '<EOF>'}'`);
    return token.text;
  };
  const integer = (): number => {
    const token = next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw new SoqlSyntaxError(`unexpected token: '${token.text || '<EOF>'}', expected an integer`);
    return Number(token.text);
  };

  const literal = (): Literal => {
    const token = next();
    if (token.kind === 'string') return { kind: 'string', raw: token.text };
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text) };
    if (token.kind === 'date') return { kind: 'date', value: token.text };
    const word = token.text.toUpperCase();
    if (token.kind === 'ident' && (word === 'TRUE' || word === 'FALSE')) return { kind: 'boolean', value: word === 'TRUE' };
    if (token.kind === 'ident' && word === 'NULL') return { kind: 'null' };
    throw new SoqlSyntaxError(`unexpected token: '${token.text || '<EOF>'}'`);
  };

  const factor = (): Condition => {
    if (peek().kind === 'lparen') {
      pos += 1;
      const inner = disjunction();
      if (next().kind !== 'rparen') throw new SoqlSyntaxError('expecting a right parentheses');
      return inner;
    }
    if (isKeyword('NOT')) {
      pos += 1;
      return { kind: 'not', inner: factor() };
    }
    const field = identifier();
    let op: CompareOp;
    if (isKeyword('LIKE')) {
      pos += 1;
      op = 'LIKE';
    } else {
      const token = next();
      if (token.kind !== 'op') throw new SoqlSyntaxError(`unexpected token: '${token.text || '<EOF>'}'`);
      op = token.text as CompareOp;
    }
    return { kind: 'compare', field, op, value: literal() };
  };
  const conjunction = (): Condition => {
    let left = factor();
    while (isKeyword('AND')) {
      pos += 1;
      left = { kind: 'and', left, right: factor() };
    }
    return left;
  };
  function disjunction(): Condition {
    let left = conjunction();
    while (isKeyword('OR')) {
      pos += 1;
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  }

  expectKeyword('SELECT');
  const fields = [identifier()];
  while (peek().kind === 'comma') {
    pos += 1;
    fields.push(identifier());
  }
  expectKeyword('FROM');
  const object = identifier();
  const query: { -readonly [K in keyof ParsedQuery]: ParsedQuery[K] } = { fields, object };
  if (isKeyword('WHERE')) {
    pos += 1;
    query.where = disjunction();
  }
  if (isKeyword('ORDER')) {
    pos += 1;
    expectKeyword('BY');
    const field = identifier();
    let descending = false;
    if (isKeyword('ASC') || isKeyword('DESC')) descending = next().text.toUpperCase() === 'DESC';
    let nullsLast = descending;
    if (isKeyword('NULLS')) {
      pos += 1;
      const which = next().text.toUpperCase();
      if (which !== 'FIRST' && which !== 'LAST') throw new SoqlSyntaxError(`unexpected token: '${which}'`);
      nullsLast = which === 'LAST';
    }
    query.orderBy = { field, descending, nullsLast };
  }
  if (isKeyword('LIMIT')) {
    pos += 1;
    query.limit = integer();
  }
  if (isKeyword('OFFSET')) {
    pos += 1;
    query.offset = integer();
  }
  if (peek().kind !== 'eof') throw new SoqlSyntaxError(`unexpected token: '${peek().text}'`);
  return query;
}

/** Decodes a literal for `=`: `\%` and `\_` are only legal inside LIKE. */
export function decodeString(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    i += 1;
    out += escapeChar(raw, i, false);
    if (raw.charAt(i) === 'u') i += 4;
  }
  return out;
}

/** Compiles a LIKE pattern (case-insensitive; `%` any run, `_` one character; `\%`/`\_` literal). */
export function likeRegExp(raw: string): RegExp {
  let source = '';
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charAt(i);
    if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else if (c === '\\') {
      i += 1;
      source += escapeRegExp(escapeChar(raw, i, true));
      if (raw.charAt(i) === 'u') i += 4;
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'i');
}

function escapeChar(raw: string, i: number, inLike: boolean): string {
  const c = raw.charAt(i);
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };
  if (c in simple) return simple[c] ?? c;
  if (inLike && (c === '%' || c === '_')) return c;
  if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) return String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
  throw new SoqlSyntaxError(`Invalid string literal '${raw}'. Illegal character sequence '\\${c}' in string literal.`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
