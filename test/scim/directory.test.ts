/**
 * Issue 16: what the directory changes in the running product. People the IdP provisions (some of
 * them the tenants file's own people, taken over) are managed from SCIM: a manager change applies to
 * the very next approval, IdP groups grant roles and approver seats, deactivation takes everything
 * away at once (act, approve, sign in, linked accounts, pending approvals), a restart with the
 * tenants file leaves SCIM's people alone, and a first message from Teams is linked by email.
 */
import pg from 'pg';
import { generateKeySpec } from '../../src/store/crypto/index.js';
import { createEmptyTestDatabase } from '../support/database.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector.js';
import { messageActivity, postActivity, type ConversationSpec } from '../support/teamsActivities.js';
import { eventually } from '../app/support/product.js';
import { BREAK_GLASS, breakGlassLogin } from '../app/support/signIn.js';
import { ACME_ENTRA_TENANT, ENTERPRISE_URN, GROUP_URN, PATCH_URN, scimClient, startScimProduct, USER_URN, type ScimClient, type ScimProduct } from './support.js';

let database: { url: string; drop(): Promise<void> };
let running: ScimProduct | undefined;
let scim: ScimClient;
let db: pg.Client;
let connector: FakeBotConnector;
const keys = generateKeySpec('k1');
const ids: Record<string, string> = {};

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(text, values)).rows;
}

async function start(tokens?: { acme: string; globex: string; env: Record<string, string> }): Promise<ScimProduct> {
  running = await startScimProduct({ databaseUrl: database.url, extraEnv: { SWITCHBOARD_ENCRYPTION_KEYS: keys }, ...(tokens ? { tokens } : {}) });
  scim = scimClient(running.product.url, running.acmeToken);
  return running;
}

async function ask(userId: string, key: string): Promise<Response> {
  return fetch(`${running!.product.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, threadId: `thread-${key}`, clientMessageId: `message-${key}`, text: 'please reset my okta password' }),
  });
}

async function pendingApprovers(runId: string): Promise<{ id: string; approver_ids: string[] }> {
  return eventually(async () => (await query<{ id: string; approver_ids: string[] }>(`SELECT id, approver_ids FROM approvals WHERE run_id = $1 AND status = 'pending'`, [runId]))[0], 'the approval request');
}

function person(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [USER_URN, ENTERPRISE_URN], userName, emails: [{ primary: true, type: 'work', value: userName }], active: true, ...extra };
}

beforeAll(async () => {
  database = await createEmptyTestDatabase();
  connector = await startFakeBotConnector();
  await start();
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  for (const row of await query<{ id: string; email: string }>(`SELECT id, email FROM users WHERE tenant_id = 'acme'`)) ids[row.email.split('@')[0]!] = row.id;
}, 120_000);

afterAll(async () => {
  await running?.close();
  await db?.end();
  await connector?.stop();
  await database?.drop();
});

describe('the IdP takes over the file\'s people and manages them', () => {
  test('Ada and Linus are taken over (same rows, linked accounts kept); Linus is an admin through an IdP group', async () => {
    const ada = await scim('POST', '/Users', person('ada@acme.test', { displayName: 'Ada Lovelace', [ENTERPRISE_URN]: { manager: { value: ids.grace } } }));
    expect(ada.status).toBe(201);
    expect(ada.body.id).toBe(ids.ada);
    const linus = await scim('POST', '/Users', person('linus@acme.test', { displayName: 'Linus Torvalds' }));
    expect(linus.body.id).toBe(ids.linus);
    const admins = await scim('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Switchboard Admins', members: [{ value: ids.linus }] });
    expect(admins.status).toBe(201);
    expect((await query<{ roles: string[]; source: string }>(`SELECT roles, source FROM users WHERE id = $1`, [ids.linus]))[0]).toEqual({ roles: ['admin', 'employee'], source: 'scim' });
    expect((await query(`SELECT 1 FROM connector_accounts WHERE user_id = $1`, [ids.ada])).length).toBe(4);
    expect((await breakGlassLogin(running!.product.url, BREAK_GLASS)).status).toBe(200);
  });

  test('a manager changed through SCIM gets the next high-risk request', async () => {
    const first = await ask(ids.ada!, 'manager-1');
    expect(first.status).toBe(202);
    const before = await pendingApprovers(((await first.json()) as { runId: string }).runId);
    expect([...before.approver_ids].sort()).toEqual([ids.linus, ids.grace].sort());
    // Grace declines, so the next identical request is asked again rather than "already pending".
    const denied = await fetch(`${running!.product.url}/api/web/approvals/${before.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: ids.grace, decision: 'deny' }) });
    expect(denied.status).toBeLessThan(300);

    const moved = await scim('PATCH', `/Users/${ids.ada}`, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: `${ENTERPRISE_URN}:manager`, value: ids.margaret }] });
    expect(moved.status).toBe(200);
    const second = await ask(ids.ada!, 'manager-2');
    const after = await pendingApprovers(((await second.json()) as { runId: string }).runId);
    expect([...after.approver_ids].sort()).toEqual([ids.linus, ids.margaret].sort());
  });

  test('an IdP group mapped to an approver group makes its members approvers of the next request', async () => {
    const newcomer = await scim('POST', '/Users', person('olga@acme.test', { displayName: 'Olga Admin' }));
    ids.olga = newcomer.body.id!;
    const group = await scim('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'IT Admins', members: [] });
    await scim('PATCH', `/Groups/${group.body.id}`, { schemas: [PATCH_URN], Operations: [{ op: 'Add', path: 'members', value: [{ value: ids.olga }] }] });
    const alan = await ask(ids.alan!, 'group-1');
    const approval = await pendingApprovers(((await alan.json()) as { runId: string }).runId);
    expect([...approval.approver_ids].sort()).toEqual([ids.linus, ids.grace, ids.olga].sort());
  });
});

describe('Linus is deactivated by the IdP', () => {
  let approvalId: string;
  beforeAll(async () => {
    [{ id: approvalId }] = await query<{ id: string }>(`SELECT a.id FROM approvals a JOIN runs r ON r.id = a.run_id WHERE r.user_id = $1 AND a.status = 'pending'`, [ids.ada]) as [{ id: string }];
    const off = await scim('PATCH', `/Users/${ids.linus}`, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.status).toBe(200);
  });

  test('his pending approvals move on to the remaining approvers', async () => {
    const [approval] = await query<{ status: string; approver_ids: string[] }>(`SELECT status, approver_ids FROM approvals WHERE id = $1`, [approvalId]);
    expect(approval).toEqual({ status: 'pending', approver_ids: [ids.margaret] });
  });

  test('his linked accounts are revoked and audited', async () => {
    expect(await query(`SELECT 1 FROM connector_accounts WHERE user_id = $1`, [ids.linus])).toEqual([]);
    expect((await query(`SELECT 1 FROM audit_log WHERE action = 'connector_account.revoked' AND data->>'userId' = $1`, [ids.linus])).length).toBe(4);
  });

  test('his next message, click and sign-in are refused', async () => {
    const message = await ask(ids.linus!, 'linus-after');
    expect(message.status).toBeGreaterThanOrEqual(400);
    const click = await fetch(`${running!.product.url}/api/web/approvals/${approvalId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: ids.linus, decision: 'approve' }) });
    expect(click.status).toBe(403);
    expect((await breakGlassLogin(running!.product.url, BREAK_GLASS)).status).toBe(401);
    expect((await query<{ status: string }>(`SELECT status FROM approvals WHERE id = $1`, [approvalId]))[0]?.status).toBe('pending');
  });
});

describe('a restart with the tenants file', () => {
  beforeAll(async () => {
    const tokens = { acme: running!.acmeToken, globex: running!.globexToken, env: running!.env };
    await running!.close();
    await start(tokens);
  }, 120_000);

  test('does not deactivate or overwrite anyone SCIM provisioned', async () => {
    const rows = await query<{ email: string; deactivated_at: Date | null; manager_id: string | null; source: string }>(`SELECT email, deactivated_at, manager_id, source FROM users WHERE tenant_id = 'acme' AND email IN ('olga@acme.test', 'ada@acme.test', 'linus@acme.test') ORDER BY email`);
    expect(rows.map((r) => [r.email, r.source, r.deactivated_at === null])).toEqual([['ada@acme.test', 'scim', true], ['linus@acme.test', 'scim', false], ['olga@acme.test', 'scim', true]]);
    // The file says Grace is Ada's manager; the directory said Margaret, and the directory wins.
    expect(rows[0]?.manager_id).toBe(ids.margaret);
  });
});

describe('just-in-time identity from Teams', () => {
  const olgaInTeams = { id: '29:1olga-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-0000001f2001', name: 'Olga Admin' };
  const strangerInTeams = { id: '29:1stranger-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-0000001f2002', name: 'Stranger' };
  const dm = (id: string): ConversationSpec => ({ kind: 'personal', id, entraTenantId: ACME_ENTRA_TENANT });

  test('a provisioned person is linked by verified email on first contact', async () => {
    connector.addMember({ ...olgaInTeams, email: 'olga@acme.test', userPrincipalName: 'olga@acme.test' });
    const sent = await postActivity(`${running!.product.url}/api/messages`, messageActivity(connector.url, dm('a:1dm-olga'), olgaInTeams, 'hello'));
    expect(sent.status).toBeLessThan(300);
    await eventually(async () => (await query(`SELECT 1 FROM runs WHERE user_id = $1 AND channel = 'teams'`, [ids.olga])).length === 1, 'Olga\'s run');
    expect((await query(`SELECT 1 FROM platform_identities WHERE user_id = $1 AND platform = 'teams'`, [ids.olga])).length).toBe(1);
  });

  test('an unknown person is told who administers Switchboard in their company', async () => {
    connector.addMember({ ...strangerInTeams, email: 'stranger@acme.test', userPrincipalName: 'stranger@acme.test' });
    await postActivity(`${running!.product.url}/api/messages`, messageActivity(connector.url, dm('a:1dm-stranger'), strangerInTeams, 'hello'));
    const reply = await connector.waitForCall((call) => call.conversationId === 'a:1dm-stranger' && typeof call.body?.text === 'string');
    expect(reply.body?.text).toMatch(/Please ask Linus Torvalds \(linus@acme\.test\), who administers Switchboard at Acme Corporation, to add you\./);
  });
});
