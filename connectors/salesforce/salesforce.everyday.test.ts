import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { API_PREFIX } from './constants.js';
import { salesforceConnector } from './index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './sandbox/index.js';
import { sfErrorBodySchema, sfQueryResponseSchema, sfRecordSchema, sfSaveResultSchema } from './schemas.js';
import { linkAccount, runTool, salesforceTestConfig, summaryOf, TestCredentials, toolByName, toolContext } from './testSupport.js';

const ADA = 'ada@acme.test';
const ALAN = 'alan@acme.test';
const LINUS = 'linus@acme.test';

/** The everyday Salesforce actions (issue 13): update, comment on and close a case; create an opportunity; find contacts. */
describe('salesforce everyday actions under the employee\'s own sharing rules', () => {
  let sandbox: SalesforceSandbox;
  let config: ConnectorInstanceConfig;
  const linked = new Map<string, TestCredentials>();
  const tool = (name: string) => toolByName(salesforceConnector.tools(config), name);
  const run = (email: string, name: string, args: unknown, idempotencyKey?: string) =>
    runTool(tool(name), toolContext({ config, credentials: linked.get(email)!, email, ...(idempotencyKey ? { idempotencyKey } : {}) }), args) as Promise<Record<string, unknown>>;
  const caseRow = (number: string) => sandbox.state.rows('Case').find((r) => r['CaseNumber'] === number)!;
  const commentsOn = (number: string) => sandbox.state.rows('CaseComment').filter((c) => c['ParentId'] === caseRow(number)['Id']);

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ seed: 13, queryBatchSize: 3 });
    config = salesforceTestConfig(sandbox);
    for (const email of [ADA, ALAN, LINUS]) linked.set(email, new TestCredentials(config, await linkAccount(config, email)));
  });
  afterAll(async () => sandbox.stop());

  it('update_case: the owner changes status and priority (picklists checked); others cannot', async () => {
    const args = { case_number: '1002', status: 'working', priority: 'High' };
    const out = await run(ALAN, 'update_case', args);
    expect(out).toMatchObject({ caseNumber: '00001002', status: 'Working', priority: 'High', changed: true });
    expect(caseRow('00001002')).toMatchObject({ Status: 'Working', Priority: 'High' });
    expect(summaryOf(tool('update_case'), out, args)).toBe('Updated Salesforce case “00001002”: status “Working”, priority “High”.');
    const again = await run(ALAN, 'update_case', args);
    expect(summaryOf(tool('update_case'), again, args)).toBe('Salesforce case “00001002” already had what you asked for, so nothing changed.');
    await expect(run(ALAN, 'update_case', { case_number: '00001002', status: 'Pending' })).rejects.toMatchObject({ code: 'invalid_input', userMessage: expect.stringContaining('New, Working, Escalated, Closed') });
    await expect(run(ADA, 'update_case', { case_number: '00001002', priority: 'Low' })).rejects.toMatchObject({ code: 'not_found' });
    expect(caseRow('00001002')['Priority']).toBe('High');
    expect(tool('update_case').input.safeParse({ case_number: '00001002' }).success).toBe(false);
  });

  it('comment_on_case: internal by default, once per request, and only on a case the employee can see', async () => {
    const key = 'sfcomment0001';
    const args = { case_number: '00001005', comment: 'Reproduced with the demo org on Wi-Fi only.' };
    const out = await run(ADA, 'comment_on_case', args, key);
    expect(out).toMatchObject({ case_number: '00001005', public: false });
    expect(summaryOf(tool('comment_on_case'), out, args)).toBe('Added your internal comment “Reproduced with the demo org on Wi-Fi only.” to Salesforce case “00001005”.');
    await run(ADA, 'comment_on_case', args, key);
    expect(commentsOn('00001005')).toHaveLength(1);
    expect(commentsOn('00001005')[0]).toMatchObject({ IsPublished: false, CreatedById: sandbox.user(ADA).id });
    const ctx = toolContext({ config, credentials: linked.get(ADA)!, email: ADA, idempotencyKey: key });
    expect((await tool('comment_on_case').reconcile?.(ctx, tool('comment_on_case').input.parse(args)))?.status).toBe('applied');
    await expect(run(ADA, 'comment_on_case', { case_number: '00001001', comment: 'Not my case' })).rejects.toMatchObject({ code: 'not_found' });
    const published = await run(LINUS, 'comment_on_case', { case_number: '1001', comment: 'Carrier confirmed release tomorrow.', public: true });
    expect(published).toMatchObject({ public: true });
    // The sandbox itself refuses a comment on a case the user cannot see.
    const token = sandbox.issueTokenFor(ADA, config.oauth.clientId, config.oauth.clientSecret).accessToken;
    const direct = await fetch(`${sandbox.instanceUrl}${API_PREFIX}/sobjects/CaseComment`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ParentId: caseRow('00001001')['Id'], CommentBody: 'sneaky', IsPublished: false }),
    });
    expect(direct.status).toBe(400);
    expect(await direct.json()).toEqual([expect.objectContaining({ errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY' })]);
    expect(commentsOn('00001001').map((c) => c['CommentBody'])).not.toContain('sneaky');
  });

  it('comment_on_case: an answer lost after Salesforce saved the comment is not posted twice', async () => {
    const key = 'sfcomment0002';
    const args = { case_number: '00001002', comment: 'Customer confirmed the PO number.' };
    sandbox.setFaults({ dropWriteResponses: 1 });
    await expect(run(ALAN, 'comment_on_case', args, key)).rejects.toMatchObject({ status: expect.any(Number) });
    sandbox.resetFaults();
    const ctx = toolContext({ config, credentials: linked.get(ALAN)!, email: ALAN, idempotencyKey: key });
    expect((await tool('comment_on_case').reconcile?.(ctx, tool('comment_on_case').input.parse(args)))?.status).toBe('applied');
    await run(ALAN, 'comment_on_case', args, key);
    expect(commentsOn('00001002').filter((c) => String(c['CommentBody']).includes('Customer confirmed the PO number.'))).toHaveLength(1);
  });

  it('close_case: records the resolution and closes; a closed case is left alone', async () => {
    const args = { case_number: '00001005', resolution: 'Customer switched to the wired network.' };
    const out = await run(ADA, 'close_case', args);
    expect(out).toMatchObject({ status: 'Closed', closed: true, already_closed: false });
    expect(caseRow('00001005')).toMatchObject({ Status: 'Closed', IsClosed: true });
    expect(commentsOn('00001005').map((c) => String(c['CommentBody']))).toEqual(expect.arrayContaining([expect.stringContaining('Resolution: Customer switched to the wired network.')]));
    expect(summaryOf(tool('close_case'), out, args)).toBe('Closed Salesforce case “00001005” (“VPN drops when connecting to customer demo org”) and recorded your resolution.');
    const comments = commentsOn('00001005').length;
    const again = await run(ADA, 'close_case', args);
    expect(again).toMatchObject({ already_closed: true });
    expect(summaryOf(tool('close_case'), again, args)).toBe('Salesforce case “00001005” was already closed, so nothing changed.');
    expect(commentsOn('00001005')).toHaveLength(comments);
    await expect(run(ALAN, 'close_case', { case_number: '00001003' })).rejects.toMatchObject({ code: 'not_found' });
    expect(caseRow('00001003')['Status']).toBe('Escalated');
  });

  it('create_opportunity: owned by the employee, stage validated, one record per request', async () => {
    const key = 'sfopp0001';
    const args = { name: 'ACME Corp - Fleet Renewal 2027', account: 'ACME', stage: 'qualification', close_date: '2027-03-31', amount: 275000 };
    const out = await run(ALAN, 'create_opportunity', args, key);
    expect(out).toMatchObject({ name: args.name, stage: 'Qualification', account: 'ACME Corp', amount: 275000, closeDate: '2027-03-31', owner: 'Alan Turing', created: true });
    expect(summaryOf(tool('create_opportunity'), out, args)).toBe('Created opportunity “ACME Corp - Fleet Renewal 2027” in stage “Qualification” for “ACME Corp”, closing “2027-03-31”.');
    const again = await run(ALAN, 'create_opportunity', args, key);
    expect(again).toMatchObject({ id: out['id'], created: false });
    expect(sandbox.state.rows('Opportunity').filter((o) => o['Name'] === args.name)).toHaveLength(1);
    await expect(run(ALAN, 'create_opportunity', { ...args, stage: 'Signed' })).rejects.toMatchObject({ code: 'invalid_input' });
    // Alan cannot see Initech (margaret's), so he cannot open a deal on it.
    await expect(run(ALAN, 'create_opportunity', { ...args, account: 'Initech' })).rejects.toMatchObject({ code: 'not_found' });
    expect(tool('create_opportunity').input.safeParse({ name: 'x', account: 'ACME', close_date: 'next year' }).success).toBe(false);
  });

  it('find_contacts: by name, email or account, only what the employee may see', async () => {
    const args = { account: 'ACME' };
    const alan = await run(ALAN, 'find_contacts', args) as { contacts: { name: string; account: string }[]; count: number };
    expect(alan.contacts.map((c) => c.name)).toEqual(['Road Runner', 'Wile Coyote']);
    expect(summaryOf(tool('find_contacts'), alan, args)).toBe('Found 2 contacts, first “Road Runner” (“IT Director”) at “ACME Corp”.');
    const one = await run(LINUS, 'find_contacts', { email: 'pepper' });
    expect(summaryOf(tool('find_contacts'), one, { email: 'pepper' })).toBe('Found “Pepper Potts” (“CEO”) at “Stark Industries”, “pepper.potts@stark.example”.');
    expect(await run(ALAN, 'find_contacts', { name: 'Pepper' })).toEqual({ contacts: [], count: 0 });
    expect(await run(ADA, 'find_contacts', { account: 'ACME' })).toEqual({ contacts: [], count: 0 });
    expect(tool('find_contacts').input.safeParse({}).success).toBe(false);
  });

  it('the new calls matched the documented wire shapes (connectors.md §3)', () => {
    const bodies: Record<string, z.ZodType> = {
      'POST /sobjects/CaseComment': z.object({ ParentId: z.string().regex(/^500/), CommentBody: z.string().min(1), IsPublished: z.boolean() }).strict(),
      'PATCH /sobjects/Case/:id': z.object({ Status: z.string().optional(), Priority: z.string().optional(), Subject: z.string().optional() }).strict(),
      'PATCH /sobjects/Opportunity/Switchboard_Key__c/:key': z.object({ Name: z.string(), AccountId: z.string().regex(/^001/), StageName: z.string(), CloseDate: z.string(), Amount: z.number().optional() }).strict(),
    };
    const seen = new Set<string>();
    for (const request of sandbox.requests) {
      if (!request.path.startsWith(API_PREFIX) || request.method === 'GET') continue;
      const route = `${request.method} ${request.path.slice(API_PREFIX.length).replace(/\/sobjects\/Case\/[A-Za-z0-9]{15,18}$/, '/sobjects/Case/:id').replace(/(Switchboard_Key__c)\/.+$/, '$1/:key')}`;
      const schema = bodies[route];
      if (!schema) continue;
      seen.add(route);
      expect({ route, ok: schema.safeParse(request.body).success }).toEqual({ route, ok: true });
    }
    expect([...seen].sort()).toEqual(Object.keys(bodies).sort());
    for (const exchange of sandbox.exchanges) {
      if (!exchange.path.startsWith(API_PREFIX)) continue;
      const rest = exchange.path.slice(API_PREFIX.length);
      const schema = exchange.status >= 400 ? sfErrorBodySchema
        : rest === '/query' || rest.startsWith('/query/') ? sfQueryResponseSchema
          : exchange.method === 'POST' || (exchange.method === 'PATCH' && rest.includes('Switchboard_Key__c')) ? sfSaveResultSchema
            : exchange.method === 'GET' && !rest.endsWith('/describe') ? sfRecordSchema : undefined;
      if (!schema) continue;
      expect({ path: `${exchange.method} ${rest} ${exchange.status}`, ok: schema.safeParse(exchange.responseBody).success }).toEqual({ path: `${exchange.method} ${rest} ${exchange.status}`, ok: true });
    }
  });
});
