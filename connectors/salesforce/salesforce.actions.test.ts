import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SwitchboardError } from '../../src/core/errors.js';
import type { ConnectorInstanceConfig, TokenSet } from '../../src/tools/connector.js';
import { SalesforceClient } from './client.js';
import { SalesforceApiError } from './errors.js';
import { salesforceConnector } from './index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './sandbox/index.js';
import { createLogger } from '../../src/core/logger.js';
import { linkAccount, runTool, salesforceTestConfig, summaryOf, TestCredentials, toolByName, toolContext } from './testSupport.js';

/**
 * Every action as a Standard User employee (ada, alan) and as a System Administrator (linus), through
 * accounts linked with the real OAuth flow: sharing decides what each one sees and may change.
 */
let sandbox: SalesforceSandbox;
let config: ConnectorInstanceConfig;
const linked = new Map<string, TestCredentials>();
const tools = (): ReturnType<typeof salesforceConnector.tools> => salesforceConnector.tools(config);
const ADA = 'ada@acme.test';
const ALAN = 'alan@acme.test';
const LINUS = 'linus@acme.test';

async function run(email: string, name: string, args: unknown, idempotencyKey?: string): Promise<Record<string, unknown>> {
  const credentials = linked.get(email);
  if (!credentials) throw new Error(`${email} not linked`);
  const ctx = toolContext({ config, credentials, email, ...(idempotencyKey ? { idempotencyKey } : {}) });
  return (await runTool(toolByName(tools(), name), ctx, args)) as Record<string, unknown>;
}

const summary = (name: string, output: unknown, args: unknown): string => summaryOf(toolByName(tools(), name), output, args);

async function failure(promise: Promise<unknown>): Promise<SwitchboardError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SwitchboardError)) throw new Error(`expected a typed error, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ seed: 7, queryBatchSize: 3 });
  config = salesforceTestConfig(sandbox);
  for (const email of [ADA, ALAN, LINUS]) {
    const tokens: TokenSet = await linkAccount(config, email);
    linked.set(email, new TestCredentials(config, tokens));
  }
});

afterAll(async () => {
  await sandbox.stop();
});

describe('linking', () => {
  it('uses the instance_url from the token response, not the login host, and the user id from the identity URL', () => {
    const tokens = linked.get(ADA)?.tokens;
    expect(tokens?.metadata['instance_url']).toBe(sandbox.instanceUrl);
    expect(new URL(sandbox.instanceUrl).origin).not.toBe(new URL(sandbox.url).origin);
    expect(tokens?.externalUserId).toBe(sandbox.user(ADA).id);
    expect(tokens?.metadata['username']).toBe(ADA);
    expect(tokens?.refreshToken).toBeTruthy();
    expect(tokens?.scopes).toEqual(['api', 'refresh_token', 'openid']);
  });

  it('exposes exactly the catalogued tools with their risk and idempotency', () => {
    expect(tools().map((t) => [t.name, t.risk, t.idempotent])).toEqual([
      ['find_accounts', 'read', true], ['find_opportunities', 'read', true], ['find_cases', 'read', true],
      ['get_record', 'read', true], ['create_case', 'write', true], ['update_opportunity_stage', 'write', true],
      ['update_case', 'write', true], ['comment_on_case', 'write', false], ['close_case', 'write', true], ['create_opportunity', 'write', true], ['find_contacts', 'read', true],
    ]);
    expect(toolByName(tools(), 'create_case').reconcile).toBeDefined();
    // Every change says in its own words what happened; of the reads only the single record does (lists read better as bullets).
    expect(tools().filter((t) => t.summarize).map((t) => t.name)).toEqual(['get_record', 'create_case', 'update_opportunity_stage', 'update_case', 'comment_on_case', 'close_case', 'create_opportunity', 'find_contacts']);
    expect(toolByName(tools(), 'update_opportunity_stage').describe?.({ opportunity: 'Globex', stage: 'Closed Won' })).toBe('Move Salesforce opportunity "Globex" to stage "Closed Won"');
  });
});

describe('reads', () => {
  it('find_accounts: an employee sees only accounts they own; an administrator sees all', async () => {
    expect(await run(ADA, 'find_accounts', { name: 'Corp' })).toMatchObject({ count: 0, accounts: [] });
    const alan = await run(ALAN, 'find_accounts', { name: 'corp' });
    expect((alan['accounts'] as { name: string }[]).map((a) => a.name)).toEqual(['ACME Corp']);
    const linus = await run(LINUS, 'find_accounts', { name: 'Corp' });
    expect((linus['accounts'] as { name: string; owner: string; link: string }[])).toEqual([
      expect.objectContaining({ name: 'ACME Corp', owner: 'Alan Turing', link: expect.stringContaining(`${sandbox.instanceUrl}/lightning/r/Account/`) }),
      expect.objectContaining({ name: 'Umbrella Corporation', owner: 'Margaret Hamilton' }),
    ]);
  });

  it('find_opportunities: filters by account and stage, pages through nextRecordsUrl, and respects sharing', async () => {
    expect(await run(ADA, 'find_opportunities', {})).toMatchObject({ count: 0 });
    const all = await run(LINUS, 'find_opportunities', {});
    expect(all['count']).toBe(7);
    expect(sandbox.exchanges.some((e) => /\/query\/01g[^/]+-\d+$/.test(e.path) && e.status === 200)).toBe(true);
    const acme = await run(ALAN, 'find_opportunities', { account: 'acme' });
    expect((acme['opportunities'] as { name: string; account: string }[]).map((o) => [o.name, o.account])).toEqual([
      ['ACME Corp - Fleet Renewal', 'ACME Corp'], ['ACME Corp - Network Upgrade', 'ACME Corp'],
    ]);
    const won = await run(LINUS, 'find_opportunities', { stage: 'Closed Won' });
    expect(won['opportunities']).toEqual([expect.objectContaining({ name: 'Umbrella - Cold Storage', won: true, closed: true, amount: 310_000 })]);
    expect(await run(ALAN, 'find_opportunities', { stage: 'Closed Won' })).toMatchObject({ count: 0 });
  });

  it('find_cases: ada sees the one case she logged; linus sees every escalated case', async () => {
    const ada = await run(ADA, 'find_cases', {});
    expect((ada['cases'] as { subject: string }[]).map((c) => c.subject)).toEqual(['VPN drops when connecting to customer demo org']);
    expect(await run(ADA, 'find_cases', { status: 'Escalated' })).toMatchObject({ count: 0 });
    const linus = await run(LINUS, 'find_cases', { status: 'Escalated' });
    expect(linus['cases']).toEqual([expect.objectContaining({ subject: 'Portal login fails for new admin', account: 'Initech', caseNumber: expect.stringMatching(/^\d{8}$/) })]);
  });

  it("get_record: 404 NOT_FOUND for another owner's record, the record for an administrator", async () => {
    const acme = sandbox.state.rows('Account').find((r) => r['Name'] === 'ACME Corp');
    const id = String(acme?.['Id']);
    const denied = await failure(run(ADA, 'get_record', { object: 'Account', id }));
    expect(denied).toBeInstanceOf(SalesforceApiError);
    expect(denied).toMatchObject({ status: 404, vendorCode: 'NOT_FOUND', code: 'connector_not_found' });
    expect(denied.message).toContain('The requested resource does not exist');
    const seen = await run(LINUS, 'get_record', { object: 'Account', id });
    expect(seen).toMatchObject({ object: 'Account', record: { id, name: 'ACME Corp', industry: 'Manufacturing', owner: 'Alan Turing' } });
    const byShortId = await run(ALAN, 'get_record', { object: 'Account', id: id.slice(0, 15) });
    expect(byShortId).toMatchObject({ record: { name: 'ACME Corp' } });
    expect(summary('get_record', seen, { object: 'Account', id })).toBe('Salesforce account “ACME Corp” (“Manufacturing”, “Customer - Direct”, “Chicago”) is owned by “Alan Turing”.');
    const opp = sandbox.state.rows('Opportunity').find((r) => r['Name'] === 'Umbrella - Cold Storage');
    const oppRead = await run(LINUS, 'get_record', { object: 'Opportunity', id: String(opp?.['Id']) });
    // Details that would take the sentence past 160 characters are left out (here the owner).
    expect(summary('get_record', oppRead, { object: 'Opportunity', id: String(opp?.['Id']) }))
      .toBe(`Salesforce opportunity “Umbrella - Cold Storage” for “Umbrella Corporation” is in stage “Closed Won” (amount 310,000, closed ${String(opp?.['CloseDate'])}).`);
    const acmeOpp = sandbox.state.rows('Opportunity').find((r) => r['Name'] === 'ACME Corp - Network Upgrade');
    const acmeRead = await run(LINUS, 'get_record', { object: 'Opportunity', id: String(acmeOpp?.['Id']) });
    expect(summary('get_record', acmeRead, { object: 'Opportunity', id: String(acmeOpp?.['Id']) }))
      .toBe(`Salesforce opportunity “ACME Corp - Network Upgrade” for “ACME Corp” is in stage “Prospecting” (amount 80,000, 10% likely, closing ${String(acmeOpp?.['CloseDate'])}).`);
    const kase = sandbox.state.rows('Case').find((r) => r['Subject'] === 'Portal login fails for new admin');
    const caseRead = await run(LINUS, 'get_record', { object: 'Case', id: String(kase?.['Id']) });
    expect(summary('get_record', caseRead, { object: 'Case', id: String(kase?.['Id']) }))
      .toBe(`Salesforce case “${String(kase?.['CaseNumber'])}” (“Portal login fails for new admin”) is “Escalated”, priority “High”, account “Initech”, owned by “Margaret Hamilton”.`);
  });
});

describe('writes', () => {
  it('create_case: an employee cannot file against an account they cannot see; an administrator can', async () => {
    const before = sandbox.state.rows('Case').length;
    const denied = await failure(run(ADA, 'create_case', { subject: 'Customer VPN down', account: 'ACME Corp' }));
    expect(denied.code).toBe('not_found');
    expect(sandbox.state.rows('Case')).toHaveLength(before);

    const own = await run(ADA, 'create_case', { subject: 'Demo org certificate expired', priority: 'High' });
    expect(own).toMatchObject({ subject: 'Demo org certificate expired', priority: 'High', status: 'New', owner: 'Ada Lovelace', account: null, created: true });
    expect(summary('create_case', own, { subject: 'Demo org certificate expired', priority: 'High' })).toBe(`Opened Salesforce case “${String(own['caseNumber'])}” (priority “High”): “Demo org certificate expired”.`);

    const linus = await run(LINUS, 'create_case', { subject: 'Customer VPN down', description: 'Since 9am', account: 'ACME' });
    expect(linus).toMatchObject({ account: 'ACME Corp', owner: 'Linus Torvalds', priority: 'Medium', created: true });
    expect(summary('create_case', linus, { subject: 'Customer VPN down', description: 'Since 9am', account: 'ACME' }))
      .toBe(`Opened Salesforce case “${String(linus['caseNumber'])}” for “ACME Corp” (priority “Medium”): “Customer VPN down”.`);
    expect(sandbox.state.rows('Case')).toHaveLength(before + 2);
  });

  it('create_case: the same idempotency key never opens a second case', async () => {
    const key = 'k'.repeat(64);
    const first = await run(ALAN, 'create_case', { subject: 'Duplicate invoice', account: 'Globex' }, key);
    const second = await run(ALAN, 'create_case', { subject: 'Duplicate invoice', account: 'Globex' }, key);
    expect(second).toMatchObject({ id: first['id'], caseNumber: first['caseNumber'], created: false });
    expect(summary('create_case', second, { subject: 'Duplicate invoice', account: 'Globex' }))
      .toBe(`Salesforce case “${String(first['caseNumber'])}” had already been opened for this request: “Duplicate invoice”.`);
    expect(sandbox.state.rows('Case').filter((r) => r['Switchboard_Key__c'] === key)).toHaveLength(1);
  });

  it('create_case: the sentence quotes what Salesforce stored, so markup and mentions in a subject cannot shape the reply', async () => {
    const args = { subject: '*Escalate* <!channel> `now` ~please~\nreply ALL', priority: 'Low' };
    const created = await run(ADA, 'create_case', args);
    expect(created['subject']).toBe(args.subject);
    expect(summary('create_case', created, args)).toBe(`Opened Salesforce case “${String(created['caseNumber'])}” (priority “Low”): “Escalate !channel now please reply ALL”.`);
  });

  it("update_opportunity_stage: an employee cannot move someone else's deal; the owner and an administrator can", async () => {
    const globex = sandbox.state.rows('Opportunity').find((r) => r['Name'] === 'Globex - Platform Expansion');
    const id = String(globex?.['Id']);
    expect((await failure(run(ADA, 'update_opportunity_stage', { opportunity: 'Globex - Platform', stage: 'Closed Won' }))).code).toBe('not_found');
    expect(await failure(run(ADA, 'update_opportunity_stage', { opportunity: id, stage: 'Closed Won' }))).toMatchObject({ status: 404, vendorCode: 'NOT_FOUND' });

    // Writing straight to the REST resource: Salesforce refuses the edit itself.
    const credentials = linked.get(ADA);
    if (!credentials) throw new Error('ada not linked');
    const client = new SalesforceClient({ baseUrl: config.baseUrl, credentials, logger: createLogger({ level: 'silent' }) });
    const patch = await failure(client.request({ method: 'PATCH', path: `/sobjects/Opportunity/${id}`, body: { StageName: 'Closed Won' } }));
    expect(patch).toMatchObject({ status: 403, vendorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', code: 'connector_forbidden' });
    expect(globex?.['StageName']).toBe('Proposal/Price Quote');

    const moved = await run(LINUS, 'update_opportunity_stage', { opportunity: 'globex - platform', stage: 'negotiation/review' });
    expect(moved).toMatchObject({ id, stage: 'Negotiation/Review', previousStage: 'Proposal/Price Quote', probability: 90, changed: true });
    expect(globex?.['StageName']).toBe('Negotiation/Review');
    const again = await run(LINUS, 'update_opportunity_stage', { opportunity: id, stage: 'Negotiation/Review' });
    expect(again).toMatchObject({ changed: false });
    expect(summary('update_opportunity_stage', moved, { opportunity: 'globex - platform', stage: 'negotiation/review' }))
      .toBe('Moved opportunity “Globex - Platform Expansion” from “Proposal/Price Quote” to “Negotiation/Review”.');
    expect(summary('update_opportunity_stage', again, { opportunity: id, stage: 'Negotiation/Review' }))
      .toBe('Opportunity “Globex - Platform Expansion” was already in stage “Negotiation/Review”, so nothing changed.');
    // "Negotiation" names one stage ("Negotiation/Review"); "Closed" could be two and is refused.
    expect(await run(LINUS, 'update_opportunity_stage', { opportunity: id, stage: 'Negotiation' })).toMatchObject({ stage: 'Negotiation/Review', changed: false });
    expect((await failure(run(LINUS, 'update_opportunity_stage', { opportunity: id, stage: 'closed' }))).userMessage).toMatch(/Closed Won or Closed Lost/);
    expect(globex?.['StageName']).toBe('Negotiation/Review');
    const won = await run(ALAN, 'update_opportunity_stage', { opportunity: 'ACME Corp - Fleet Renewal', stage: 'Closed Won' });
    expect(won).toMatchObject({ stage: 'Closed Won', closed: true, won: true, probability: 100 });
    expect(summary('update_opportunity_stage', won, { opportunity: 'ACME Corp - Fleet Renewal', stage: 'Closed Won' }))
      .toBe('Moved opportunity “ACME Corp - Fleet Renewal” from “Negotiation/Review” to “Closed Won”.');
  });

  it('a record named with punctuation people do not type is found by its words, still only where the employee can see it', async () => {
    expect(await run(LINUS, 'update_opportunity_stage', { opportunity: 'Globex Platform Expansion', stage: 'Negotiation/Review' })).toMatchObject({ stage: 'Negotiation/Review', changed: false });
    expect((await failure(run(ADA, 'update_opportunity_stage', { opportunity: 'Globex Platform Expansion', stage: 'Closed Won' }))).code).toBe('not_found');
  });

  it('update_opportunity_stage: a stage outside the picklist is refused with the valid stages, before any write', async () => {
    const writes = sandbox.state.writes.length;
    const error = await failure(run(LINUS, 'update_opportunity_stage', { opportunity: 'Initech - TPS Automation', stage: 'Almost done' }));
    expect(error.code).toBe('invalid_input');
    expect(error.userMessage).toContain('Prospecting');
    expect(error.userMessage).toContain('Closed Lost');
    expect(sandbox.state.writes.length).toBe(writes);
  });

  it('ambiguous names are put back to the employee rather than guessed', async () => {
    const error = await failure(run(ALAN, 'update_opportunity_stage', { opportunity: 'ACME', stage: 'Prospecting' }));
    expect(error.code).toBe('invalid_input');
    expect(error.userMessage).toContain('ACME Corp - Network Upgrade');
  });
});
