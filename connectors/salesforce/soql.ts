/**
 * SOQL is assembled only here. Field and object names come from code, never from the employee; every
 * value the employee typed goes through `quote`/`likePattern`, so text such as `O'Brien \ 100%_Co`
 * stays a literal and cannot widen or break the query.
 */

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?$/;

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
};

/** A quoted SOQL string literal for `=` comparisons. */
export function quote(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

/** A quoted LIKE pattern: the employee's `%` and `_` match only themselves. */
export function likePattern(value: string, mode: 'contains' | 'prefix' | 'exact' = 'contains'): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f%_]/g, (c) => (c === '%' || c === '_' ? `\\${c}` : ESCAPES[c] ?? c));
  const before = mode === 'contains' ? '%' : '';
  const after = mode === 'exact' ? '' : '%';
  return `'${before}${escaped}${after}'`;
}

export type SoqlCondition =
  | { readonly field: string; readonly op: '='; readonly value: string | boolean }
  | { readonly field: string; readonly op: 'LIKE'; readonly value: string; readonly mode?: 'contains' | 'prefix' | 'exact' };

export interface SoqlQuery {
  readonly select: readonly string[];
  readonly from: string;
  readonly where?: readonly SoqlCondition[];
  readonly orderBy?: { readonly field: string; readonly direction?: 'ASC' | 'DESC' };
  readonly limit?: number;
}

export function buildSoql(query: SoqlQuery): string {
  const ident = (name: string): string => {
    if (!IDENTIFIER.test(name)) throw new Error(`not a SOQL identifier: ${name}`);
    return name;
  };
  const parts = [`SELECT ${query.select.map(ident).join(', ')}`, `FROM ${ident(query.from)}`];
  const where = (query.where ?? []).map((c) => {
    if (c.op === 'LIKE') return `${ident(c.field)} LIKE ${likePattern(c.value, c.mode)}`;
    return `${ident(c.field)} = ${typeof c.value === 'boolean' ? String(c.value) : quote(c.value)}`;
  });
  if (where.length > 0) parts.push(`WHERE ${where.join(' AND ')}`);
  if (query.orderBy) parts.push(`ORDER BY ${ident(query.orderBy.field)} ${query.orderBy.direction ?? 'ASC'}`);
  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < 1) throw new Error(`bad SOQL limit ${query.limit}`);
    parts.push(`LIMIT ${query.limit}`);
  }
  return parts.join(' ');
}
