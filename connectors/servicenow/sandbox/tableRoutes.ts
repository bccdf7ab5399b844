import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import { api, type Caller, type SandboxContext } from './context.js';
import { TABLES, glideDateTime, priorityOf } from './dictionary.js';
import { matches, parseQuery, sortRows } from './query.js';
import { renderOptions, renderRow } from './render.js';
import { errors } from './responses.js';
import type { Row } from './state.js';

const DEFAULT_LIMIT = 10_000;
const PREFIXES = ['/api/now/table', '/api/now/v1/table', '/api/now/v2/table'];

/** The Table API: list, read, create (incident) and update (incident, request item comments). */
export function registerTableRoutes(server: SandboxServer, ctx: SandboxContext): void {
  for (const prefix of PREFIXES) {
    server.route('GET', `${prefix}/:table`, api(ctx, (req, caller) => list(ctx, req, caller, prefix.includes('/v1/'))));
    server.route('GET', `${prefix}/:table/:sysId`, api(ctx, (req, caller) => readOne(ctx, req, caller)));
    server.route('POST', `${prefix}/:table`, api(ctx, (req, caller) => create(ctx, req, caller)));
    for (const method of ['PATCH', 'PUT']) server.route(method, `${prefix}/:table/:sysId`, api(ctx, (req, caller) => update(ctx, req, caller)));
  }
}

function list(ctx: SandboxContext, req: SandboxRequest, caller: Caller, v1: boolean): SandboxResponse {
  const table = req.params['table'] ?? '';
  if (!TABLES[table]) return errors.invalidTable(table);
  const q = req.query;
  const limit = positiveInt(q.get('sysparm_limit')) || DEFAULT_LIMIT;
  const offset = positiveInt(q.get('sysparm_offset')) ?? 0;
  const query = parseQuery(table, q.get('sysparm_query') ?? '', { userId: caller.userId, userName: caller.user['user_name'] ?? '', now: ctx.now() });
  const matched = sortRows(ctx.state.rows(table).filter((row) => matches(row, query)), query);
  // sysparm_limit applies before ACLs, so a page may come back short while more pages remain.
  const page = matched.slice(offset, offset + limit).filter((row) => caller.acl.canRead(table, row));
  if (v1 && page.length === 0) return errors.notFound();
  const options = renderOptions(q, ctx.base());
  const headers: Record<string, string> = {};
  if (q.get('sysparm_no_count') !== 'true') headers['x-total-count'] = String(matched.length);
  if (q.get('sysparm_suppress_pagination_header') !== 'true') {
    const link = linkHeader(ctx.base() + req.path, q, offset, limit, matched.length);
    if (link) headers['link'] = link;
  }
  return { status: 200, headers, body: { result: page.map((row) => renderRow(ctx.state, table, row, options)) } };
}

function readOne(ctx: SandboxContext, req: SandboxRequest, caller: Caller): SandboxResponse {
  const table = req.params['table'] ?? '';
  if (!TABLES[table]) return errors.invalidTable(table);
  const row = ctx.state.get(table, req.params['sysId'] ?? '');
  if (!row || !caller.acl.canRead(table, row)) return errors.notFound();
  return { status: 200, body: { result: renderRow(ctx.state, table, row, renderOptions(req.query, ctx.base())) } };
}

function create(ctx: SandboxContext, req: SandboxRequest, caller: Caller): SandboxResponse {
  const table = req.params['table'] ?? '';
  if (!TABLES[table]) return errors.invalidTable(table);
  const fields = stringFields(req.body);
  if (!fields) return errors.badRequest('Exception while reading request', 'The payload is not valid JSON.');
  if (table !== 'incident') return errors.aclInsert();
  const callerId = fields['caller_id'] || caller.userId;
  if (callerId !== caller.userId && !caller.acl.isItil) return errors.aclInsert();
  if (!ctx.state.get('sys_user', callerId)) return errors.badRequest('Invalid reference', `caller_id: no sys_user ${callerId}`);
  if (!fields['short_description']) return errors.dataPolicy(['Short description']);
  const now = glideDateTime(ctx.now());
  const urgency = oneOf(fields['urgency'], ['1', '2', '3'], '3');
  const impact = oneOf(fields['impact'], ['1', '2', '3'], '3');
  const row: Row = {
    sys_id: ctx.newId(), sys_created_on: now, sys_created_by: caller.user['user_name'] ?? '', sys_updated_on: now, sys_updated_by: caller.user['user_name'] ?? '', sys_mod_count: '0',
    number: ctx.state.nextNumber('incident'), short_description: fields['short_description'], description: fields['description'] ?? '', caller_id: callerId, opened_by: caller.userId,
    opened_at: now, state: '1', incident_state: '1', urgency, impact, priority: priorityOf(impact, urgency), category: fields['category'] ?? 'inquiry', subcategory: '',
    assignment_group: '', assigned_to: '', close_code: '', close_notes: '', resolved_at: '', resolved_by: '', closed_at: '', correlation_id: fields['correlation_id'] ?? '',
    correlation_display: fields['correlation_display'] ?? '', active: 'true', contact_type: 'integration', sys_class_name: 'incident', comments: '', work_notes: '',
  };
  ctx.state.insert('incident', row);
  if (fields['comments']) addJournal(ctx, caller, 'incident', row, 'comments', fields['comments']);
  const headers = { location: `${ctx.base()}/api/now/table/incident/${row['sys_id']}` };
  if (req.headers['x-no-response-body'] === 'true') return { status: 201, headers };
  return { status: 201, headers, body: { result: renderRow(ctx.state, 'incident', row, renderOptions(req.query, ctx.base())) } };
}

function update(ctx: SandboxContext, req: SandboxRequest, caller: Caller): SandboxResponse {
  const table = req.params['table'] ?? '';
  if (!TABLES[table]) return errors.invalidTable(table);
  const row = ctx.state.get(table, req.params['sysId'] ?? '');
  if (!row || !caller.acl.canRead(table, row)) return errors.notFound();
  const body = stringFields(req.body);
  if (!body) return errors.badRequest('Exception while reading request', 'The payload is not valid JSON.');
  // Columns the table does not have are ignored, as the instance does.
  const fields = Object.fromEntries(Object.entries(body).filter(([k]) => TABLES[table]?.columns.includes(k) && !k.startsWith('sys_')));
  if (caller.acl.deniedFields(table, row, fields).length > 0) return errors.aclUpdate();
  if (table === 'incident') {
    const problem = applyIncidentState(ctx, caller, row, fields);
    if (problem) return problem;
  }
  const journal = TABLES[table]?.journal ?? [];
  for (const [field, value] of Object.entries(fields)) {
    if (journal.includes(field)) {
      if (value) addJournal(ctx, caller, table, row, field, value);
    } else row[field] = value;
  }
  if (table === 'incident' && (fields['urgency'] || fields['impact'])) row['priority'] = priorityOf(row['impact'] ?? '3', row['urgency'] ?? '3');
  touch(ctx, caller, row);
  if (req.headers['x-no-response-body'] === 'true') return { status: 200 };
  return { status: 200, body: { result: renderRow(ctx.state, table, row, renderOptions(req.query, ctx.base())) } };
}

/** Resolve needs a resolution code and notes (data policy); close and cancel end the record's life. */
function applyIncidentState(ctx: SandboxContext, caller: Caller, row: Row, fields: Record<string, string>): SandboxResponse | undefined {
  // Closed and canceled incidents are read-only except for admins (default ITSM ACL).
  if (['7', '8'].includes(row['state'] ?? '') && !caller.acl.has('admin')) return errors.aclUpdate();
  const state = fields['state'];
  if (state === undefined) return undefined;
  if (!['1', '2', '3', '6', '7', '8'].includes(state)) return errors.badRequest('Invalid state', `state: ${state} is not a valid choice`);
  if (state === '6' || state === '7') {
    const missing = [['close_code', 'Resolution code'], ['close_notes', 'Resolution notes']].filter(([f]) => !(fields[f ?? ''] ?? row[f ?? ''])).map(([, label]) => label ?? '');
    if (missing.length > 0) return errors.dataPolicy(missing);
  }
  const now = glideDateTime(ctx.now());
  fields['incident_state'] = state;
  if (state === '6' && row['state'] !== '6') Object.assign(fields, { resolved_at: now, resolved_by: caller.userId });
  // Reopening clears the resolution stamps (the resolution code and notes stay as history).
  if (['1', '2', '3'].includes(state) && row['state'] === '6') Object.assign(fields, { resolved_at: '', resolved_by: '' });
  if (state === '7' || state === '8') Object.assign(fields, { closed_at: now, active: 'false' });
  return undefined;
}

function addJournal(ctx: SandboxContext, caller: Caller, table: string, row: Row, element: string, value: string): void {
  const now = glideDateTime(ctx.now());
  const by = caller.user['user_name'] ?? '';
  ctx.state.insert('sys_journal_field', { sys_id: ctx.newId(), sys_created_on: now, sys_created_by: by, sys_updated_on: now, sys_updated_by: by, sys_mod_count: '0', element_id: row['sys_id'] ?? '', element, name: table, value });
}

function touch(ctx: SandboxContext, caller: Caller, row: Row): void {
  row['sys_updated_on'] = glideDateTime(ctx.now());
  row['sys_updated_by'] = caller.user['user_name'] ?? '';
  row['sys_mod_count'] = String(Number(row['sys_mod_count'] ?? '0') + 1);
}

function linkHeader(path: string, q: URLSearchParams, offset: number, limit: number, total: number): string | undefined {
  if (total === 0) return undefined;
  const at = (o: number): string => {
    const params = new URLSearchParams(q);
    params.set('sysparm_limit', String(limit));
    params.set('sysparm_offset', String(o));
    return `<${path}?${params.toString()}>`;
  };
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  const parts = [`${at(0)};rel="first"`];
  if (offset > 0) parts.push(`${at(Math.max(0, offset - limit))};rel="prev"`);
  if (offset + limit < total) parts.push(`${at(offset + limit)};rel="next"`);
  parts.push(`${at(last)};rel="last"`);
  return parts.join(',');
}

/** Table API bodies are flat objects; numbers and booleans are taken as their string forms. */
export function stringFields(body: unknown): Record<string, string> | undefined {
  if (body === undefined) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return out;
}

function positiveInt(raw: string | null): number | undefined {
  const value = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

function oneOf(value: string | undefined, allowed: readonly string[], fallback: string): string {
  return value !== undefined && allowed.includes(value) ? value : fallback;
}
