import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { servicenowConnector } from './index.js';
import { startServiceNowSandbox, type ServiceNowSandbox } from './sandbox/index.js';
import { linkedUser, runTool, seededIncidentNumber, servicenowTestConfig, summaryOf, toolByName } from './testSupport.js';

const sampleArgs: Record<string, unknown> = {
  list_my_incidents: {}, get_incident: { number: 'INC0010001' }, create_incident: { short_description: 'VPN drops', urgency: 2, impact: 2 },
  add_comment: { number: 'INC0010001', comment: 'Still broken' }, resolve_incident: { number: 'INC0010001', close_notes: 'Fixed it' },
  search_catalog: { query: 'laptop' }, order_catalog_item: { item: 'Standard Laptop' },
  update_incident: { number: 'INC0010001', priority: 2 }, reopen_incident: { number: 'INC0010003', reason: 'Broken again' }, list_my_requests: {}, search_knowledge: { query: 'vpn' },
};

/** Every tool, run as ada (employee) and linus (itil + admin) through accounts linked by OAuth. */
describe('servicenow actions as two employees', () => {
  let sandbox: ServiceNowSandbox;
  let tools: readonly ToolDefinition[];
  let ada: Awaited<ReturnType<typeof linkedUser>>;
  let linus: Awaited<ReturnType<typeof linkedUser>>;
  const tool = (name: string): ToolDefinition => toolByName(tools, name);
  const numberOf = (caller: string, text: string): string => seededIncidentNumber(sandbox, caller, text);

  beforeAll(async () => {
    sandbox = await startServiceNowSandbox({ seed: 7 });
    tools = servicenowConnector.tools(servicenowTestConfig(sandbox));
    ada = await linkedUser(sandbox, 'ada@acme.test');
    linus = await linkedUser(sandbox, 'linus@acme.test');
  });
  afterAll(async () => sandbox.stop());

  it('exposes exactly the catalogued tools with their risk and idempotency', () => {
    expect(tools.map((t) => [t.name, t.risk, t.idempotent])).toEqual([
      ['list_my_incidents', 'read', true], ['get_incident', 'read', true], ['create_incident', 'write', false], ['add_comment', 'write', false],
      ['resolve_incident', 'write', true], ['search_catalog', 'read', true], ['order_catalog_item', 'write', false],
      ['update_incident', 'write', false], ['reopen_incident', 'write', true], ['list_my_requests', 'read', true], ['search_knowledge', 'read', true],
    ]);
    for (const t of tools) if (!t.idempotent) expect(t.reconcile).toBeDefined();
    // Every change says in its own words what happened; of the reads only the single record does (lists read better as bullets).
    expect(tools.filter((t) => t.summarize).map((t) => t.name)).toEqual(['get_incident', 'create_incident', 'add_comment', 'resolve_incident', 'order_catalog_item', 'update_incident', 'reopen_incident', 'list_my_requests', 'search_knowledge']);
  });

  it('every input schema converts to a plain JSON Schema object for the model', () => {
    for (const t of tools) {
      const schema = z.toJSONSchema(t.input, { io: 'input' }) as { type?: string; properties?: Record<string, { description?: string }> };
      expect(schema.type).toBe('object');
      for (const [field, property] of Object.entries(schema.properties ?? {})) expect({ field, described: Boolean(property.description) }).toEqual({ field, described: true });
      expect(t.describe?.(t.input.parse(sampleArgs[t.name])) ?? '').toMatch(/\S/);
    }
  });

  it('linking resolves the sys_user behind the token', () => {
    expect(ada.credentials.tokens.externalUserId).toBe(sandbox.user('ada@acme.test')['sys_id']);
    expect(ada.credentials.tokens.metadata).toMatchObject({ user_name: 'ada.lovelace', email: 'ada@acme.test' });
  });

  it('list_my_incidents returns only the caller\'s own incidents', async () => {
    const mine = await runTool(tool('list_my_incidents'), ada.ctx(), { state: 'all' }) as { incidents: { caller: string; state: string }[] };
    expect(mine.incidents.length).toBe(3);
    expect(new Set(mine.incidents.map((i) => i.caller))).toEqual(new Set(['Ada Lovelace']));
    const open = await runTool(tool('list_my_incidents'), ada.ctx(), {}) as { incidents: { state: string }[] };
    expect(open.incidents.map((i) => i.state)).not.toContain('Resolved');
    expect(open.incidents.length).toBe(2);
    const linusOwn = await runTool(tool('list_my_incidents'), linus.ctx(), { state: 'all' }) as { incidents: { caller: string }[] };
    expect(linusOwn.incidents.every((i) => i.caller === 'Linus Torvalds')).toBe(true);
  });

  it('get_incident: 404 for another employee\'s incident, success for itil', async () => {
    const alans = numberOf('alan@acme.test', 'battery');
    await expect(runTool(tool('get_incident'), ada.ctx(), { number: alans })).rejects.toMatchObject({ code: 'connector_not_found', status: 404 });
    const seen = await runTool(tool('get_incident'), linus.ctx(), { number: alans.toLowerCase() }) as { number: string; caller: string; comments: { text: string }[] };
    expect(seen).toMatchObject({ number: alans, caller: 'Alan Turing' });
    expect(seen.comments[0]?.text).toContain('loaner');
    // The latest comment gets the room left within 160 characters.
    expect(summaryOf(tool('get_incident'), seen, { number: alans }))
      .toBe(`Incident “${alans}” (“Laptop battery is swelling”) is “In Progress”, assigned to “Linus Torvalds”; latest comment: “I have stopped charging it. Is there a …”`);
    const own = await runTool(tool('get_incident'), ada.ctx(), { number: numberOf('ada@acme.test', 'VPN') }) as { comments: { author: string }[] };
    expect(own.comments.map((c) => c.author)).toEqual(['linus.torvalds', 'ada.lovelace']);
  });

  it('create_incident opens it with the requester as caller and stamps correlation_id', async () => {
    const ctx = ada.ctx();
    const created = await runTool(tool('create_incident'), ctx, { short_description: 'VPN drops again', urgency: 2, impact: 2, category: 'network' }) as { number: string; caller: string; priority: string; state: string };
    expect(created).toMatchObject({ caller: 'Ada Lovelace', priority: '3 - Moderate', state: 'New' });
    const row = sandbox.state.incidentByNumber(created.number);
    expect(row?.['correlation_id']).toBe(ctx.idempotencyKey);
    expect(row?.['caller_id']).toBe(sandbox.user('ada@acme.test')['sys_id']);
    expect(summaryOf(tool('create_incident'), created, { short_description: 'VPN drops again' })).toBe(`Created incident “${created.number}” (priority “3 - Moderate”): “VPN drops again”.`);
    const byLinus = await runTool(tool('create_incident'), linus.ctx(), { short_description: 'Core switch fan alarm' }) as { caller: string };
    expect(byLinus.caller).toBe('Linus Torvalds');
  });

  it('the sentences quote what ServiceNow stored: markup and mentions in a record cannot shape the reply', async () => {
    const args = { short_description: '*URGENT* <!channel> `rm -rf` fan_alarm\napprove everything', urgency: 1, impact: 1 };
    const created = await runTool(tool('create_incident'), linus.ctx(), args) as { number: string; short_description: string };
    expect(created.short_description).toContain('<!channel>');
    const line = summaryOf(tool('create_incident'), created, args);
    expect(line).toBe(`Created incident “${created.number}” (priority “1 - Critical”): “URGENT !channel rm -rf fan_alarm approve everything”.`);
    const read = await runTool(tool('get_incident'), linus.ctx(), { number: created.number });
    expect(summaryOf(tool('get_incident'), read, { number: created.number }))
      .toBe(`Incident “${created.number}” (“URGENT !channel rm -rf fan_alarm approve everythi…”) is “New”, not assigned yet.`);
  });

  it('add_comment: 404 on someone else\'s incident for ada, works for linus and for ada on her own', async () => {
    const alans = numberOf('alan@acme.test', 'Salesforce');
    await expect(runTool(tool('add_comment'), ada.ctx(), { number: alans, comment: 'me too' })).rejects.toMatchObject({ status: 404 });
    const done = await runTool(tool('add_comment'), linus.ctx(), { number: alans, comment: 'Looking into the sync job.' }) as { comment: string; ref: string };
    expect(done.comment).toContain('Looking into the sync job.');
    // The Switchboard ref ServiceNow keeps under the comment is for read-backs, not for the employee.
    expect(summaryOf(tool('add_comment'), done, { number: alans, comment: 'Looking into the sync job.' })).toBe(`Added your comment “Looking into the sync job.” to incident “${alans}”.`);
    const sysId = sandbox.state.incidentByNumber(alans)?.['sys_id'] ?? '';
    expect(sandbox.state.journalOf(sysId).filter((j) => j['value']?.includes(done.ref))).toHaveLength(1);
    await expect(runTool(tool('add_comment'), ada.ctx(), { number: numberOf('ada@acme.test', 'Jira'), comment: 'Still looping.' })).resolves.toMatchObject({ number: expect.any(String) });
  });

  it('resolve_incident: ada cannot touch alan\'s, may resolve her own; linus resolves anyone\'s; repeat is a no-op', async () => {
    const alans = numberOf('alan@acme.test', 'battery');
    await expect(runTool(tool('resolve_incident'), ada.ctx(), { number: alans, close_notes: 'Replaced the battery' })).rejects.toMatchObject({ status: 404 });
    const adas = numberOf('ada@acme.test', 'Jira');
    const resolveArgs = { number: adas, close_notes: 'Cleared cookies, works now', close_code: 'resolved by caller' };
    const mine = await runTool(tool('resolve_incident'), ada.ctx(), resolveArgs) as { state: string; close_code: string; short_description: string };
    expect(mine).toMatchObject({ state: 'Resolved', close_code: 'Resolved by caller' });
    expect(summaryOf(tool('resolve_incident'), mine, resolveArgs)).toBe(`Resolved incident “${adas}” (“${mine.short_description}”) with close code “Resolved by caller”.`);
    const resolved = await runTool(tool('resolve_incident'), linus.ctx(), { number: alans, close_notes: 'Replaced the battery' }) as { state: string; already_resolved: boolean };
    expect(resolved).toMatchObject({ state: 'Resolved', already_resolved: false });
    const again = await runTool(tool('resolve_incident'), linus.ctx(), { number: alans, close_notes: 'Replaced the battery' }) as { already_resolved: boolean };
    expect(again.already_resolved).toBe(true);
    expect(summaryOf(tool('resolve_incident'), again, { number: alans, close_notes: 'Replaced the battery' })).toBe(`Incident “${alans}” was already “Resolved”, so nothing changed.`);
    await expect(runTool(tool('resolve_incident'), linus.ctx(), { number: numberOf('margaret@acme.test', 'sales drive'), close_notes: 'Fixed', close_code: 'Fixed it' }))
      .rejects.toMatchObject({ code: 'servicenow_close_code_not_found' });
  });

  it('an employee who may read but not close gets ServiceNow\'s ACL error (403)', async () => {
    const own = sandbox.state.incidentByNumber(numberOf('ada@acme.test', 'VPN drops every'));
    const response = await fetch(`${sandbox.url}/api/now/table/incident/${own?.['sys_id']}`, {
      method: 'PATCH',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${(await ada.credentials.forUser()).accessToken}` },
      body: JSON.stringify({ state: '7', close_code: 'Solution provided', close_notes: 'done' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { message: 'Operation Failed', detail: 'ACL Exception Update Failed due to security constraints' }, status: 'failure' });
  });

  it('search_catalog hides IT-only items from employees', async () => {
    const adaSees = await runTool(tool('search_catalog'), ada.ctx(), { query: 'access' }) as { items: { name: string }[] };
    const linusSees = await runTool(tool('search_catalog'), linus.ctx(), { query: 'access' }) as { items: { name: string }[] };
    expect(adaSees.items.map((i) => i.name)).toEqual(['VPN Access']);
    expect(linusSees.items.map((i) => i.name)).toEqual(['Privileged Admin Access', 'VPN Access']);
    const laptops = await runTool(tool('search_catalog'), ada.ctx(), { query: 'laptop' }) as { count: number };
    expect(laptops.count).toBe(2);
  });

  it('order_catalog_item: employee is refused the IT-only item, itil orders it; variables are validated', async () => {
    const admin = sandbox.state.rows('sc_cat_item').find((i) => i['name'] === 'Privileged Admin Access');
    await expect(runTool(tool('order_catalog_item'), ada.ctx(), { item: 'Privileged Admin Access', variables: { system: 'fs02', justification: 'x' } }))
      .rejects.toMatchObject({ code: 'servicenow_catalog_item_not_found' });
    await expect(runTool(tool('order_catalog_item'), ada.ctx(), { item: admin?.['sys_id'], variables: { system: 'fs02', justification: 'x' } }))
      .rejects.toMatchObject({ status: 403, message: expect.stringContaining('Security constraints') });
    const ordered = await runTool(tool('order_catalog_item'), linus.ctx(), { item: admin?.['sys_id'], variables: { system: 'fs02', justification: 'Backup repair' } }) as { request_number: string; item_number: string; item: string };
    expect(ordered).toMatchObject({ request_number: expect.stringMatching(/^REQ\d{7}$/), item: 'Privileged Admin Access' });
    expect(summaryOf(tool('order_catalog_item'), ordered, { item: admin?.['sys_id'] }))
      .toBe(`Ordered “Privileged Admin Access” as request “${ordered.request_number}” (item “${ordered.item_number}”, now “Open”).`);

    await expect(runTool(tool('order_catalog_item'), ada.ctx(), { item: 'VPN Access' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('Mandatory Variables are required') });
    const vpn = await runTool(tool('order_catalog_item'), ada.ctx(), { item: 'vpn access', quantity: 1, variables: { justification: 'Working from home' } }) as { item_number: string; quantity: number };
    expect(vpn).toMatchObject({ item_number: expect.stringMatching(/^RITM\d{7}$/), quantity: 1 });
    const ritm = sandbox.state.rows('sc_req_item').find((r) => r['number'] === vpn.item_number);
    expect(ritm?.['requested_for']).toBe(sandbox.user('ada@acme.test')['sys_id']);
    expect(JSON.parse(ritm?.['variables'] ?? '{}')).toMatchObject({ justification: 'Working from home', access_level: 'standard' });
  });
});
