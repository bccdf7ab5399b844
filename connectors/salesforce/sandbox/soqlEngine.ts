import { API_PREFIX } from '../constants.js';
import { fieldDef, objectDef, relationshipDef, type FieldDef, type FieldValue, type ObjectDef, type SfObjectName } from './model.js';
import { decodeString, likeRegExp, parseSoql, SoqlSyntaxError, type Condition, type Literal } from './soqlParser.js';
import type { SalesforceSandboxState, SfRow } from './state.js';

/** A query Salesforce would refuse, with the errorCode it would use. */
export class SoqlError extends Error {
  constructor(readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE', message: string) {
    super(message);
  }
}

interface ResolvedField {
  readonly path: string;
  readonly def: FieldDef;
  /** Set for one-hop parent fields such as `Account.Name`. */
  readonly via?: { readonly lookup: FieldDef; readonly parent: ObjectDef };
}

/** Runs SOQL as one user: sharing first (a Standard User's rows only), then WHERE, ORDER BY, OFFSET, LIMIT. */
export function runSoql(state: SalesforceSandboxState, userId: string, soql: string): Record<string, unknown>[] {
  try {
    return execute(state, userId, soql);
  } catch (error) {
    // Bad escapes surface while literals are decoded, after parsing proper; either way the query is malformed.
    if (error instanceof SoqlSyntaxError) throw new SoqlError('MALFORMED_QUERY', error.message);
    throw error;
  }
}

function execute(state: SalesforceSandboxState, userId: string, soql: string): Record<string, unknown>[] {
  const parsed = parseSoql(soql);
  const object = objectDef(parsed.object);
  if (!object) {
    throw new SoqlError('INVALID_TYPE', `sObject type '${parsed.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  }
  const select = parsed.fields.map((f) => resolve(object, f));
  const order = parsed.orderBy ? { ...parsed.orderBy, field: resolve(object, parsed.orderBy.field) } : undefined;
  const where = parsed.where;
  if (where) check(object, where);
  if (parsed.offset !== undefined && parsed.offset > 2000) throw new SoqlError('MALFORMED_QUERY', 'Maximum SOQL offset allowed is 2000');

  const value = (row: SfRow, field: ResolvedField): FieldValue => {
    if (!field.via) return row[field.def.name] ?? null;
    const parentId = row[field.via.lookup.name];
    const parent = typeof parentId === 'string' ? state.find(field.via.parent.name, parentId) : undefined;
    return parent?.[field.def.name] ?? null;
  };
  const matches = (row: SfRow, condition: Condition): boolean => {
    if (condition.kind === 'and') return matches(row, condition.left) && matches(row, condition.right);
    if (condition.kind === 'or') return matches(row, condition.left) || matches(row, condition.right);
    if (condition.kind === 'not') return !matches(row, condition.inner);
    return compare(value(row, resolve(object, condition.field)), condition.op, condition.value);
  };

  let rows = state.rows(object.name).filter((row) => state.canSee(userId, object.name, row));
  if (where) rows = rows.filter((row) => matches(row, where));
  if (order) {
    const direction = order.descending ? -1 : 1;
    rows.sort((a, b) => {
      const x = value(a, order.field);
      const y = value(b, order.field);
      if (x === null || y === null) return x === y ? 0 : (x === null) === order.nullsLast ? 1 : -1;
      return (typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y, 'en', { sensitivity: 'base' }) : x < y ? -1 : x > y ? 1 : 0) * direction;
    });
  }
  rows = rows.slice(parsed.offset ?? 0, parsed.limit === undefined ? undefined : (parsed.offset ?? 0) + parsed.limit);
  return rows.map((row) => project(state, object.name, row, select));
}

/** The REST shape of one row: `attributes`, then the selected fields; parent fields nest under the relationship name. */
export function project(state: SalesforceSandboxState, objectName: SfObjectName, row: SfRow, fields: readonly ResolvedField[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(objectName, String(row['Id'])) };
  for (const field of fields) {
    if (!field.via) {
      out[field.def.name] = row[field.def.name] ?? null;
      continue;
    }
    const relationship = field.via.lookup.relationshipName ?? field.via.lookup.name;
    const parentId = row[field.via.lookup.name];
    const parent = typeof parentId === 'string' ? state.find(field.via.parent.name, parentId) : undefined;
    if (!parent) {
      out[relationship] = null;
      continue;
    }
    const nested = (out[relationship] as Record<string, unknown> | null | undefined) ?? { attributes: attributes(field.via.parent.name, String(parent['Id'])) };
    nested[field.def.name] = parent[field.def.name] ?? null;
    out[relationship] = nested;
  }
  return out;
}

export function attributes(object: SfObjectName, id: string): { type: string; url: string } {
  return { type: object, url: `${API_PREFIX}/sobjects/${object}/${id}` };
}

export function resolve(object: ObjectDef, path: string): ResolvedField {
  const parts = path.split('.');
  const noColumn = (name: string, on: string): SoqlError =>
    new SoqlError('INVALID_FIELD', `No such column '${name}' on entity '${on}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
  if (parts.length === 1) {
    const def = fieldDef(object, path);
    if (!def) throw noColumn(path, object.name);
    return { path, def };
  }
  const [relationship = '', name = ''] = parts;
  const lookup = parts.length === 2 ? relationshipDef(object, relationship) : undefined;
  const parent = lookup?.referenceTo ? objectDef(lookup.referenceTo) : undefined;
  if (!lookup || !parent) throw new SoqlError('INVALID_FIELD', `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`);
  const def = fieldDef(parent, name);
  if (!def) throw noColumn(name, parent.name);
  return { path, def, via: { lookup, parent } };
}

/** Type checks every comparison up front, as Salesforce does before running anything. */
function check(object: ObjectDef, condition: Condition): void {
  if (condition.kind === 'and' || condition.kind === 'or') {
    check(object, condition.left);
    check(object, condition.right);
    return;
  }
  if (condition.kind === 'not') return check(object, condition.inner);
  const { def } = resolve(object, condition.field);
  const literal = condition.value;
  const textual = !['boolean', 'currency', 'percent', 'date', 'datetime'].includes(def.type);
  const mismatch = (expected: string): SoqlError =>
    new SoqlError('INVALID_FIELD', `value of filter criterion for field '${def.name}' must be of type ${expected} and should not be enclosed in quotes`);
  if (condition.op === 'LIKE') {
    if (!textual || literal.kind !== 'string') throw new SoqlError('INVALID_FIELD', `invalid operator on field ${def.name}: LIKE`);
    likeRegExp(literal.raw);
    return;
  }
  if (literal.kind === 'null') return;
  if (def.type === 'boolean' && literal.kind !== 'boolean') throw mismatch('boolean');
  if ((def.type === 'currency' || def.type === 'percent') && literal.kind !== 'number') throw mismatch('double');
  if ((def.type === 'date' || def.type === 'datetime') && literal.kind !== 'date') throw mismatch(def.type);
  if (textual && literal.kind !== 'string') throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${def.name}' must be of type string and should be enclosed in quotes`);
  if (literal.kind === 'string') decodeString(literal.raw);
}

function compare(actual: FieldValue, op: string, literal: Literal): boolean {
  if (literal.kind === 'null') return op === '=' ? actual === null : op === '!=' ? actual !== null : false;
  if (actual === null) return op === '!=';
  if (op === 'LIKE') return literal.kind === 'string' && likeRegExp(literal.raw).test(String(actual));
  let expected: string | number | boolean;
  if (literal.kind === 'string') expected = decodeString(literal.raw).toLowerCase();
  else if (literal.kind === 'date') expected = literal.value;
  else expected = literal.value;
  const left = typeof actual === 'string' ? actual.toLowerCase() : actual;
  switch (op) {
    case '=': return left === expected;
    case '!=': return left !== expected;
    case '<': return left < expected;
    case '<=': return left <= expected;
    case '>': return left > expected;
    case '>=': return left >= expected;
    default: return false;
  }
}

export type { ResolvedField };
export { SoqlSyntaxError };
