import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { servicenowConnector } from './index.js';
import { knowledgeSearchSchema } from './knowledgeSchemas.js';
import { PRIORITY_LEVELS } from './priority.js';
import { startServiceNowSandbox, type ServiceNowSandbox } from './sandbox/index.js';
import { serviceNowErrorBodySchema } from './schemas.js';
import { linkedUser, runTool, seededIncidentNumber, servicenowTestConfig, summaryOf, toolByName } from './testSupport.js';

/** The everyday ServiceNow actions (issue 13): update, reopen, "where is my request", knowledge search. */
describe('servicenow everyday actions as the employee', () => {
  let sandbox: ServiceNowSandbox;
  let tools: readonly ToolDefinition[];
  let ada: Awaited<ReturnType<typeof linkedUser>>;
  let alan: Awaited<ReturnType<typeof linkedUser>>;
  let linus: Awaited<ReturnType<typeof linkedUser>>;
  const tool = (name: string): ToolDefinition => toolByName(tools, name);
  const numberOf = (caller: string, text: string): string => seededIncidentNumber(sandbox, caller, text);
  const row = (number: string): Record<string, string> => sandbox.state.incidentByNumber(number) ?? {};

  beforeAll(async () => {
    sandbox = await startServiceNowSandbox({ seed: 13 });
    tools = servicenowConnector.tools(servicenowTestConfig(sandbox));
    ada = await linkedUser(sandbox, 'ada@acme.test');
    alan = await linkedUser(sandbox, 'alan@acme.test');
    linus = await linkedUser(sandbox, 'linus@acme.test');
  });
  afterAll(async () => sandbox.stop());

  it('update_incident: the caller sets a priority as the impact × urgency pair; the instance derives it', async () => {
    const number = numberOf('ada@acme.test', 'Jira sign-in');
    const args = { number, priority: 2 };
    const out = await runTool(tool('update_incident'), ada.ctx(), args) as { priority: string; impact: string; urgency: string; already_set: boolean };
    expect(out).toMatchObject({ priority: '2 - High', impact: '1 - High', urgency: '2 - Medium', already_set: false });
    expect(row(number)).toMatchObject({ impact: String(PRIORITY_LEVELS[2].impact), urgency: String(PRIORITY_LEVELS[2].urgency), priority: '2' });
    expect(summaryOf(tool('update_incident'), out, args)).toBe(`Updated incident “${number}”: priority “2 - High”.`);
    const again = await runTool(tool('update_incident'), ada.ctx(), args);
    expect(summaryOf(tool('update_incident'), again, args)).toBe(`Incident “${number}” already had what you asked for, so nothing changed.`);
    const urgency = await runTool(tool('update_incident'), ada.ctx(), { number, urgency: 3, short_description: 'Jira sign-in loops after password change' }) as { priority: string; short_description: string };
    expect(urgency).toMatchObject({ priority: '3 - Moderate', short_description: 'Jira sign-in loops after password change' });
  });

  it('update_incident: assignment and work notes need itil; another employee\'s incident is not found', async () => {
    const number = numberOf('ada@acme.test', 'VPN drops every');
    const before = row(number)['assignment_group'];
    await expect(runTool(tool('update_incident'), ada.ctx(), { number, assignment_group: 'Service Desk' })).rejects.toMatchObject({ code: 'connector_forbidden', status: 403 });
    await expect(runTool(tool('update_incident'), ada.ctx(), { number, work_note: 'internal' })).rejects.toMatchObject({ status: 403 });
    expect(row(number)['assignment_group']).toBe(before);
    await expect(runTool(tool('update_incident'), alan.ctx(), { number, priority: 1 })).rejects.toMatchObject({ code: 'connector_not_found', status: 404 });
    expect(row(number)['priority']).toBe('3');
  });

  it('update_incident by IT staff: group by name, work note with a ref, and a re-run with the same key adds no second note', async () => {
    const number = numberOf('alan@acme.test', 'battery');
    const ctx = linus.ctx();
    const args = { number, assignment_group: 'network', work_note: 'Battery swap booked for Friday.' };
    const out = await runTool(tool('update_incident'), ctx, args) as { assignment_group: string };
    expect(out.assignment_group).toBe('Network');
    expect(summaryOf(tool('update_incident'), out, args)).toBe(`Updated incident “${number}”: group “Network”, and added your work note.`);
    await runTool(tool('update_incident'), ctx, args);
    const notes = sandbox.state.journalOf(row(number)['sys_id'] ?? '', 'work_notes').filter((j) => j['value']?.includes('Battery swap booked'));
    expect(notes).toHaveLength(1);
    await expect(runTool(tool('update_incident'), linus.ctx(), { number, assignment_group: 'Nework team' })).rejects.toMatchObject({ code: 'servicenow_assignment_group_not_found' });
    const reconciled = await tool('update_incident').reconcile?.(ctx, tool('update_incident').input.parse(args));
    expect(reconciled?.status).toBe('applied');
    expect((await tool('update_incident').reconcile?.(linus.ctx(), tool('update_incident').input.parse(args)))?.status).toBe('not_applied');
  });

  it('update_incident: an answer lost after the change landed is retried without a second work note', async () => {
    const number = numberOf('margaret@acme.test', 'sales drive');
    sandbox.loseResponses(1, { method: 'PATCH', pathPrefix: '/api/now/table/incident/' });
    const out = await runTool(tool('update_incident'), linus.ctx(), { number, priority: 3, work_note: 'Share permissions re-applied.' }) as { priority: string };
    expect(out.priority).toBe('3 - Moderate');
    expect(sandbox.state.lostResponses.count).toBe(0);
    expect(sandbox.state.journalOf(row(number)['sys_id'] ?? '', 'work_notes').filter((j) => j['value']?.includes('Share permissions re-applied.'))).toHaveLength(1);
  });

  it('update_incident refuses unclear input before calling ServiceNow', () => {
    const input = tool('update_incident').input;
    expect(input.safeParse({ number: 'INC0010001' }).success).toBe(false);
    expect(input.safeParse({ number: 'INC0010001', priority: 1, urgency: 2 }).success).toBe(false);
    expect(input.safeParse({ number: 'INC0010001', priority: 6 }).success).toBe(false);
    expect(input.safeParse({ number: 'NET-7', priority: 2 }).success).toBe(false);
  });

  it('reopen_incident: a resolved incident goes back to In Progress with the reason; repeat and closed are handled', async () => {
    const number = numberOf('ada@acme.test', 'Docking station');
    await expect(runTool(tool('reopen_incident'), alan.ctx(), { number, reason: 'not mine' })).rejects.toMatchObject({ status: 404 });
    const args = { number, reason: 'The monitor went black again this morning.' };
    const out = await runTool(tool('reopen_incident'), ada.ctx(), args) as { state: string; already_open: boolean };
    expect(out).toMatchObject({ state: 'In Progress', already_open: false });
    expect(row(number)).toMatchObject({ state: '2', resolved_at: '', active: 'true' });
    expect(sandbox.state.journalOf(row(number)['sys_id'] ?? '').map((j) => j['value'])).toContain('Reopened: The monitor went black again this morning.');
    expect(summaryOf(tool('reopen_incident'), out, args)).toBe(`Reopened incident “${number}” (“Docking station does not detect second monitor”); it is “In Progress” again with your reason as a comment.`);
    const again = await runTool(tool('reopen_incident'), ada.ctx(), args) as { already_open: boolean };
    expect(again.already_open).toBe(true);
    expect(sandbox.state.journalOf(row(number)['sys_id'] ?? '').filter((j) => j['value']?.startsWith('Reopened:'))).toHaveLength(1);
    Object.assign(sandbox.state.incidentByNumber(number) ?? {}, { state: '7', active: 'false' });
    await expect(runTool(tool('reopen_incident'), ada.ctx(), args)).rejects.toMatchObject({ code: 'servicenow_incident_closed', userMessage: expect.stringContaining('can no longer be reopened') });
    // The instance itself refuses changes to a closed incident from anyone but an admin.
    await expect(runTool(tool('update_incident'), ada.ctx(), { number, priority: 1 })).rejects.toMatchObject({ status: 403 });
  });

  it('list_my_requests: my requested items and their status; someone else\'s request is invisible', async () => {
    const mine = await runTool(tool('list_my_requests'), ada.ctx(), {}) as { items: { number: string; request_number: string; item: string; state: string; stage: string }[] };
    expect(mine.items).toEqual([expect.objectContaining({ item: 'Standard Laptop', state: 'Work in Progress', stage: 'Fulfillment' })]);
    const first = mine.items[0];
    expect(summaryOf(tool('list_my_requests'), mine, {})).toBe(`Request item “${first?.number}” (“Standard Laptop”) is “Work in Progress”, stage “Fulfillment”, request “${first?.request_number}”.`);
    const byReq = await runTool(tool('list_my_requests'), ada.ctx(), { number: first?.request_number.toLowerCase() }) as { items: { number: string }[] };
    expect(byReq.items.map((i) => i.number)).toEqual([first?.number]);
    const none = await runTool(tool('list_my_requests'), alan.ctx(), {}) as { items: unknown[] };
    expect(none.items).toEqual([]);
    expect(summaryOf(tool('list_my_requests'), none, {})).toBe('You have no open requests in ServiceNow.');
    expect(await runTool(tool('list_my_requests'), alan.ctx(), { number: first?.request_number })).toEqual({ items: [], count: 0 });
    expect(await runTool(tool('list_my_requests'), alan.ctx(), { number: first?.number })).toEqual({ items: [], count: 0 });
    await runTool(tool('order_catalog_item'), ada.ctx(), { item: 'VPN Access', variables: { justification: 'Remote work' } });
    const two = await runTool(tool('list_my_requests'), ada.ctx(), {}) as { items: { item: string }[] };
    expect(two.items.map((i) => i.item)).toEqual(['VPN Access', 'Standard Laptop']);
    expect(summaryOf(tool('list_my_requests'), two, {})).toMatch(/^2 requested items; latest: “RITM\d+” \(“VPN Access”\) is “Open”/);
  });

  it('search_knowledge: best match first, only published articles the employee may read', async () => {
    const args = { query: 'vpn error 809' };
    const found = await runTool(tool('search_knowledge'), ada.ctx(), args) as { results: { number: string; title: string; link: string }[]; count: number };
    expect(found.results[0]?.title).toBe('Connect to the VPN with GlobalProtect');
    expect(found.results.map((r) => r.title)).not.toContain('VPN gateway failover runbook');
    expect(found.results.map((r) => r.title)).not.toContain('Legacy VPN client (Cisco AnyConnect)');
    expect(found.results[0]?.link).toContain('kb_knowledge.do');
    expect(summaryOf(tool('search_knowledge'), found, args)).toBe(`1 knowledge article found; best match: “${found.results[0]?.number}” “Connect to the VPN with GlobalProtect”.`);
    const staff = await runTool(tool('search_knowledge'), linus.ctx(), { query: 'vpn' }) as { results: { title: string }[] };
    expect(staff.results.map((r) => r.title)).toContain('VPN gateway failover runbook');
    const nothing = await runTool(tool('search_knowledge'), ada.ctx(), { query: 'espresso machine' });
    expect(summaryOf(tool('search_knowledge'), nothing, { query: 'espresso machine' })).toBe('I found no knowledge article about “espresso machine”.');
  });

  it('every new call matched the documented wire shapes (connectors.md §1, Knowledge Management API)', () => {
    const patchBody = z.object({
      impact: z.enum(['1', '2', '3']).optional(), urgency: z.enum(['1', '2', '3']).optional(), short_description: z.string().min(1).optional(),
      assignment_group: z.string().regex(/^[0-9a-f]{32}$/).optional(), work_notes: z.string().min(1).optional(), state: z.enum(['2']).optional(), comments: z.string().min(1).optional(),
    }).strict();
    let patches = 0;
    let searches = 0;
    for (const request of sandbox.requests) {
      if (request.method === 'PATCH' && request.path.startsWith('/api/now/table/incident/')) {
        patches += 1;
        expect(patchBody.safeParse(request.body).success).toBe(true);
        expect(request.headers['content-type']).toBe('application/json');
      }
    }
    for (const exchange of sandbox.exchanges) {
      if (exchange.path !== '/api/sn_km_api/knowledge/articles') continue;
      searches += 1;
      const schema = exchange.status === 200 ? knowledgeSearchSchema : serviceNowErrorBodySchema;
      expect(schema.safeParse(exchange.responseBody).success).toBe(true);
    }
    expect(patches).toBeGreaterThanOrEqual(5);
    expect(searches).toBe(3);
  });
});
