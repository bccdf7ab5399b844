import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { servicenowConnector } from './index.js';
import { startServiceNowSandbox, type ServiceNowSandbox } from './sandbox/index.js';
import {
  authorizationCodeFormSchema, catalogItemDetailSchema, catalogItemSchema, displayFieldSchema, incidentCreateBodySchema, incidentPatchBodySchema, incidentRecordSchema,
  journalPatchBodySchema, oauthErrorSchema, orderNowBodySchema, orderNowResultSchema, refreshFormSchema, resultList, resultOne, serviceNowErrorBodySchema, tokenResponseSchema,
} from './schemas.js';
import { linkedUser, runTool, toolByName } from './testSupport.js';

/** Any Table API record: string columns, or the reference/display objects sysparm_display_value produces. */
const anyRecord = z.record(z.string(), z.union([
  z.string(), displayFieldSchema, z.object({ link: z.string(), value: z.string() }).strict(), z.object({ display_value: z.string(), link: z.string() }).strict(),
]));

function requestSchema(method: string, path: string): z.ZodType | undefined {
  if (method === 'POST' && path === '/oauth_token.do') return z.union([authorizationCodeFormSchema, refreshFormSchema]);
  if (method === 'POST' && path === '/api/now/table/incident') return incidentCreateBodySchema;
  if (method === 'PATCH' && path.startsWith('/api/now/table/incident/')) return incidentPatchBodySchema;
  if (method === 'PATCH' && path.startsWith('/api/now/table/sc_req_item/')) return journalPatchBodySchema;
  if (method === 'POST' && path.endsWith('/order_now')) return orderNowBodySchema;
  return method === 'GET' ? z.undefined() : undefined;
}

function responseSchema(method: string, path: string, query: URLSearchParams, status: number): z.ZodType | undefined {
  if (path === '/oauth_token.do') return status === 200 ? tokenResponseSchema : oauthErrorSchema;
  if (path === '/oauth_auth.do') return z.undefined();
  if (status >= 400) return serviceNowErrorBodySchema;
  if (path === '/api/sn_sc/servicecatalog/items') return resultList(catalogItemSchema);
  if (path.endsWith('/order_now')) return resultOne(orderNowResultSchema);
  if (path.startsWith('/api/sn_sc/servicecatalog/items/')) return resultOne(catalogItemDetailSchema);
  const table = /^\/api\/now\/table\/(\w+)(\/\w+)?$/.exec(path);
  if (!table) return undefined;
  const full = table[1] === 'incident' && query.get('sysparm_display_value') === 'all' && query.get('sysparm_fields')?.split(',').length === 17;
  const record = full ? incidentRecordSchema.strict() : anyRecord;
  return table[2] || method !== 'GET' ? resultOne(record) : resultList(record);
}

describe('servicenow wire contract (connectors.md §1)', () => {
  let sandbox: ServiceNowSandbox;

  beforeAll(async () => {
    sandbox = await startServiceNowSandbox({ seed: 9, burstRetryAfterSeconds: 0 });
    const ada = await linkedUser(sandbox, 'ada@acme.test');
    const linus = await linkedUser(sandbox, 'linus@acme.test');
    const tools = servicenowConnector.tools(ada.config);
    const tool = (name: string): ToolDefinition => toolByName(tools, name);
    const swallow = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);
    await runTool(tool('list_my_incidents'), ada.ctx(), { state: 'all', limit: 2 });
    const created = await runTool(tool('create_incident'), ada.ctx(), { short_description: 'Wi-Fi keeps asking for password', urgency: 2, impact: 2, category: 'network' }) as { number: string };
    await runTool(tool('get_incident'), ada.ctx(), { number: created.number });
    await runTool(tool('add_comment'), ada.ctx(), { number: created.number, comment: 'It started after the update.' });
    await runTool(tool('resolve_incident'), linus.ctx(), { number: created.number, close_notes: 'Re-enrolled the certificate' });
    await swallow(runTool(tool('get_incident'), ada.ctx(), { number: 'INC0010002' }));
    await runTool(tool('search_catalog'), ada.ctx(), { query: 'laptop' });
    await runTool(tool('order_catalog_item'), ada.ctx(), { item: 'Standard Laptop', variables: { operating_system: 'macos' } });
    await swallow(runTool(tool('order_catalog_item'), ada.ctx(), { item: 'VPN Access' }));
    const admin = sandbox.state.rows('sc_cat_item').find((i) => i['name'] === 'Privileged Admin Access')?.['sys_id'];
    await swallow(runTool(tool('order_catalog_item'), ada.ctx(), { item: admin }));
    sandbox.expireAccessTokens('ada@acme.test');
    await runTool(tool('list_my_incidents'), ada.ctx(), {});
    sandbox.setFaults({ rateLimitBurst: 1, errorRate: 0.2 });
    await swallow(runTool(tool('search_catalog'), ada.ctx(), { query: 'vpn' }));
    sandbox.resetFaults();
    // Paging through every user three at a time exercises the Link header.
    const client = (await import('./client.js')).ServiceNowClient;
    const pager = new client({ baseUrl: sandbox.url, credentials: ada.credentials, logger: ada.ctx().logger });
    const users = await pager.paginate({ method: 'GET', path: '/api/now/table/sys_user', query: { sysparm_limit: 2, sysparm_fields: 'sys_id,name' }, schema: resultList(z.object({ sys_id: z.string(), name: z.string() })) });
    expect(users).toHaveLength(5);
  });
  afterAll(async () => sandbox.stop());

  it('every request the client sent matches the documented request shape and headers', () => {
    const checked = new Set<string>();
    for (const request of sandbox.requests) {
      const schema = requestSchema(request.method, request.path);
      if (!schema) throw new Error(`no request contract for ${request.method} ${request.path}`);
      const parsed = schema.safeParse(request.body);
      expect({ route: `${request.method} ${request.path}`, ok: parsed.success, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ route: `${request.method} ${request.path}`, ok: true, issues: [] });
      if (request.path.startsWith('/api/')) {
        expect(request.headers.accept).toBe('application/json');
        expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
        if (request.body !== undefined) expect(request.headers['content-type']).toBe('application/json');
      }
      if (request.path === '/oauth_token.do') expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      checked.add(`${request.method} ${request.path.replace(/[0-9a-f]{32}/g, ':id')}`);
    }
    expect([...checked]).toEqual(expect.arrayContaining([
      'POST /oauth_token.do', 'GET /api/now/table/incident', 'POST /api/now/table/incident', 'PATCH /api/now/table/incident/:id', 'GET /api/now/table/sys_journal_field',
      'GET /api/now/table/sys_choice', 'GET /api/sn_sc/servicecatalog/items', 'POST /api/sn_sc/servicecatalog/items/:id/order_now', 'PATCH /api/now/table/sc_req_item/:id',
    ]));
  });

  it('every response the sandbox returned matches the documented response shape', () => {
    const statuses = new Set<number>();
    for (const exchange of sandbox.exchanges) {
      const schema = responseSchema(exchange.method, exchange.path, new URLSearchParams(exchange.query), exchange.status);
      if (!schema) throw new Error(`no response contract for ${exchange.method} ${exchange.path}`);
      const parsed = schema.safeParse(exchange.responseBody);
      expect({ route: `${exchange.method} ${exchange.path} ${exchange.status}`, ok: parsed.success }).toEqual({ route: `${exchange.method} ${exchange.path} ${exchange.status}`, ok: true });
      statuses.add(exchange.status);
      if (exchange.status === 429) expect(exchange.responseHeaders).toMatchObject({ 'retry-after': expect.any(String), 'x-ratelimit-limit': expect.any(String) });
      if (exchange.method === 'POST' && exchange.path === '/api/now/table/incident' && exchange.status === 201) expect(exchange.responseHeaders['location']).toContain('/api/now/table/incident/');
      if (exchange.method === 'GET' && exchange.path.startsWith('/api/now/table/') && exchange.status === 200 && !/[0-9a-f]{32}$/.test(exchange.path)) {
        expect(exchange.responseHeaders['x-total-count']).toMatch(/^\d+$/);
      }
    }
    expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 302, 400, 401, 403, 429]));
  });

  it('reference columns follow sysparm_display_value', async () => {
    const token = sandbox.issueTokenFor('linus@acme.test').accessToken;
    const read = async (mode: string): Promise<unknown> => {
      const response = await fetch(`${sandbox.url}/api/now/table/incident?sysparm_query=number=INC0010001&sysparm_fields=caller_id,state,comments&sysparm_display_value=${mode}`, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
      return ((await response.json()) as { result: unknown[] }).result[0];
    };
    const ada = sandbox.user('ada@acme.test');
    const link = `${sandbox.url}/api/now/table/sys_user/${ada['sys_id']}`;
    expect(await read('false')).toEqual({ caller_id: { link, value: ada['sys_id'] }, state: '2', comments: '' });
    expect(await read('true')).toMatchObject({ caller_id: { display_value: 'Ada Lovelace', link }, state: 'In Progress', comments: expect.stringContaining('(Additional comments)') });
    expect(await read('all')).toMatchObject({ caller_id: { display_value: 'Ada Lovelace', value: ada['sys_id'], link }, state: { display_value: 'In Progress', value: '2' } });
  });
});
