import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import { api, type Caller, type SandboxContext } from './context.js';
import { glideDateTime } from './dictionary.js';
import { errors, snError } from './responses.js';
import type { CatalogVariable, Row } from './state.js';

const PREFIXES = ['/api/sn_sc/servicecatalog', '/api/sn_sc/v1/servicecatalog'];
const CATALOG = { sys_id: 'e0d08b13c3330100c8b837659bba8fb4', title: 'Service Catalog' };
const FRIENDLY: Record<number, string> = { 2: 'multi_line_text', 5: 'select_box', 6: 'single_line_text', 7: 'checkbox' };

/** Service Catalog API: item search, item detail with variables, and `order_now`. */
export function registerCatalogRoutes(server: SandboxServer, ctx: SandboxContext): void {
  for (const prefix of PREFIXES) {
    server.route('GET', `${prefix}/items`, api(ctx, (req, caller) => search(ctx, req, caller)));
    server.route('GET', `${prefix}/items/:sysId`, api(ctx, (req, caller) => detail(ctx, req, caller)));
    server.route('POST', `${prefix}/items/:sysId/order_now`, api(ctx, (req, caller) => orderNow(ctx, req, caller)));
  }
}

const forbidden = (): SandboxResponse => snError(403, 'Security constraints prevent access to requested item', null);

function search(ctx: SandboxContext, req: SandboxRequest, caller: Caller): SandboxResponse {
  const text = (req.query.get('sysparm_text') ?? '').toLowerCase().trim();
  const category = req.query.get('sysparm_category');
  const limit = Number(req.query.get('sysparm_limit') ?? '') || 20;
  const offset = Number(req.query.get('sysparm_offset') ?? '') || 0;
  const words = text.split(/\s+/).filter(Boolean);
  const found = ctx.state.rows('sc_cat_item')
    .filter((item) => caller.acl.canRead('sc_cat_item', item))
    .filter((item) => !category || item['category'] === category)
    .filter((item) => words.every((w) => `${item['name']} ${item['short_description']}`.toLowerCase().includes(w)))
    .sort((a, b) => (a['name'] ?? '').localeCompare(b['name'] ?? ''));
  return { status: 200, body: { result: found.slice(offset, offset + limit).map((item) => itemJson(ctx, item)) } };
}

function detail(ctx: SandboxContext, req: SandboxRequest, caller: Caller): SandboxResponse {
  const item = ctx.state.get('sc_cat_item', req.params['sysId'] ?? '');
  if (!item || item['active'] !== 'true') return errors.notFound();
  if (!caller.acl.mayOrder(item)) return forbidden();
  const variables = (ctx.state.catalogVariables.get(item['sys_id'] ?? '') ?? []).map(variableJson);
  return { status: 200, body: { result: { ...itemJson(ctx, item), variables } } };
}

function orderNow(ctx: SandboxContext, req: SandboxRequest, caller: Caller): SandboxResponse {
  const item = ctx.state.get('sc_cat_item', req.params['sysId'] ?? '');
  if (!item || item['active'] !== 'true') return errors.notFound();
  if (!caller.acl.mayOrder(item)) return forbidden();
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const quantity = Number(body['sysparm_quantity'] ?? 1);
  if (!Number.isInteger(quantity) || quantity < 1) return errors.badRequest('Quantity must be a positive integer', null);
  const requestedFor = typeof body['sysparm_requested_for'] === 'string' && body['sysparm_requested_for'] ? body['sysparm_requested_for'] : caller.userId;
  if (!ctx.state.get('sys_user', requestedFor)) return errors.badRequest('Invalid requested for user', null);
  if (requestedFor !== caller.userId && !caller.acl.isItil) return forbidden();
  const given = body['variables'] && typeof body['variables'] === 'object' ? (body['variables'] as Record<string, unknown>) : {};
  const definitions = ctx.state.catalogVariables.get(item['sys_id'] ?? '') ?? [];
  const missing = definitions.filter((v) => v.mandatory && !(typeof given[v.name] === 'string' && String(given[v.name]).trim()));
  if (missing.length > 0) return errors.badRequest('Mandatory Variables are required', missing.map((v) => v.label).join(', '));
  const variables = Object.fromEntries(definitions.map((v) => [v.name, typeof given[v.name] === 'string' ? String(given[v.name]) : v.defaultValue]));

  const now = glideDateTime(ctx.now());
  const by = caller.user['user_name'] ?? '';
  const sys = (): Row => ({ sys_id: ctx.newId(), sys_created_on: now, sys_created_by: by, sys_updated_on: now, sys_updated_by: by, sys_mod_count: '0' });
  const needsApproval = (item['roles'] ?? '') !== '';
  const request = ctx.state.insert('sc_request', {
    ...sys(), number: ctx.state.nextNumber('sc_request'), requested_for: requestedFor, opened_by: caller.userId, opened_at: now,
    request_state: needsApproval ? 'requested' : 'in_process', state: '1', stage: needsApproval ? 'waiting_for_approval' : 'request_approved',
    approval: needsApproval ? 'requested' : 'approved', active: 'true', short_description: item['name'] ?? '', special_instructions: '', comments: '',
  });
  ctx.state.insert('sc_req_item', {
    ...sys(), number: ctx.state.nextNumber('sc_req_item'), request: request['sys_id'] ?? '', cat_item: item['sys_id'] ?? '', quantity: String(quantity),
    requested_for: requestedFor, opened_by: caller.userId, opened_at: now, state: '1', stage: needsApproval ? 'waiting_for_approval' : 'request_approved',
    approval: needsApproval ? 'requested' : 'approved', active: 'true', short_description: item['name'] ?? '', variables: JSON.stringify(variables), comments: '', work_notes: '',
  });
  return { status: 200, body: { result: { sys_id: request['sys_id'], number: request['number'], request_number: request['number'], request_id: request['sys_id'], table: 'sc_request' } } };
}

function itemJson(ctx: SandboxContext, item: Row): Record<string, unknown> {
  const category = ctx.state.get('sc_category', item['category'] ?? '');
  return {
    sys_id: item['sys_id'], name: item['name'], short_description: item['short_description'], description: item['description'], type: 'item',
    sys_class_name: item['sys_class_name'], price: item['price'], show_price: item['price'] !== '$0.00', has_price: item['price'] !== '$0.00', catalogs: [CATALOG],
    category: category ? { sys_id: category['sys_id'], title: category['title'] } : {}, order: 0, content_type: '', kb_article: '', icon: '', picture: '',
  };
}

function variableJson(v: CatalogVariable): Record<string, unknown> {
  return {
    name: v.name, label: v.label, type: v.type, friendly_type: FRIENDLY[v.type] ?? 'single_line_text', mandatory: v.mandatory, displayvalue: v.defaultValue, value: v.defaultValue,
    ...(v.choices ? { choices: v.choices.map((c, index) => ({ index, value: c.value, label: c.label })) } : {}),
  };
}
