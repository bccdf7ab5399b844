import { TABLES, glideDateTime } from './dictionary.js';
import type { Row } from './state.js';

/**
 * Encoded queries (`sysparm_query`): `=`, `!=`, `LIKE`, `STARTSWITH`, `ENDSWITH`, `IN`, `NOT IN`,
 * comparisons, `^` (AND), `^OR`, `ORDERBY`/`ORDERBYDESC`, and the `javascript:gs.*` helpers
 * integrations use. Parts naming unknown columns are silently ignored, as on a default instance.
 */

const OPERATORS = ['NOT LIKE', 'NOT IN', 'ISNOTEMPTY', 'ISEMPTY', 'STARTSWITH', 'ENDSWITH', 'LIKE', 'IN', '!=', '>=', '<=', '>', '<', '='] as const;
type Operator = (typeof OPERATORS)[number];

interface Condition {
  readonly field: string;
  readonly op: Operator;
  readonly value: string;
}

export interface ParsedQuery {
  /** AND of OR-groups. */
  readonly groups: readonly (readonly Condition[])[];
  readonly order: readonly { field: string; desc: boolean }[];
}

export interface QueryScope {
  readonly userId: string;
  readonly userName: string;
  readonly now: Date;
}

export function parseQuery(table: string, encoded: string, scope: QueryScope): ParsedQuery {
  const columns = new Set(TABLES[table]?.columns ?? []);
  const groups: Condition[][] = [];
  const order: { field: string; desc: boolean }[] = [];
  for (const raw of encoded.split('^').filter(Boolean)) {
    const isOr = raw.startsWith('OR') && !raw.startsWith('ORDERBY') && groups.length > 0;
    const part = isOr ? raw.slice(2) : raw;
    if (part.startsWith('ORDERBYDESC')) order.push({ field: part.slice(11), desc: true });
    else if (part.startsWith('ORDERBY')) order.push({ field: part.slice(7), desc: false });
    else {
      const condition = parseCondition(part, columns, scope);
      if (!condition) continue;
      if (isOr) groups[groups.length - 1]?.push(condition);
      else groups.push([condition]);
    }
  }
  return { groups, order: order.filter((o) => columns.has(o.field)) };
}

export function matches(row: Row, query: ParsedQuery): boolean {
  return query.groups.every((group) => group.some((c) => test(row[c.field] ?? '', c)));
}

export function sortRows(rows: Row[], query: ParsedQuery): Row[] {
  if (query.order.length === 0) return rows;
  return [...rows].sort((a, b) => {
    for (const { field, desc } of query.order) {
      const diff = compare(a[field] ?? '', b[field] ?? '');
      if (diff !== 0) return desc ? -diff : diff;
    }
    return 0;
  });
}

/** Operators are glued to the column name (`valueLIKEabc`), so the column is the longest known prefix followed by one. */
function parseCondition(part: string, columns: ReadonlySet<string>, scope: QueryScope): Condition | undefined {
  for (let end = part.length - 1; end > 0; end -= 1) {
    const field = part.slice(0, end);
    if (!columns.has(field)) continue;
    const rest = part.slice(end);
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) return { field, op, value: resolveScript(rest.slice(op.length), scope) };
  }
  return undefined;
}

function resolveScript(value: string, scope: QueryScope): string {
  if (value === 'javascript:gs.getUserID()') return scope.userId;
  if (value === 'javascript:gs.getUserName()') return scope.userName;
  const ago = /^javascript:gs\.minutesAgoStart\((\d+)\)$/.exec(value);
  if (ago?.[1]) return glideDateTime(new Date(scope.now.getTime() - Number(ago[1]) * 60_000));
  return value;
}

function test(actual: string, c: Condition): boolean {
  const a = actual.toLowerCase();
  const v = c.value.toLowerCase();
  switch (c.op) {
    case '=': return a === v;
    case '!=': return a !== v;
    case 'LIKE': return a.includes(v);
    case 'NOT LIKE': return !a.includes(v);
    case 'STARTSWITH': return a.startsWith(v);
    case 'ENDSWITH': return a.endsWith(v);
    case 'IN': return v.split(',').includes(a);
    case 'NOT IN': return !v.split(',').includes(a);
    case 'ISEMPTY': return a === '';
    case 'ISNOTEMPTY': return a !== '';
    case '>': return compare(actual, c.value) > 0;
    case '>=': return compare(actual, c.value) >= 0;
    case '<': return compare(actual, c.value) < 0;
    case '<=': return compare(actual, c.value) <= 0;
  }
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
