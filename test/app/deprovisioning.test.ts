/**
 * Issue 10, finding 6: a person taken out of the tenants file must lose their powers at the next load.
 * The whole product runs three times on one real PostgreSQL database: with everyone, without Linus
 * (an admin and approver), then without Grace too (the last approver of Ada's pending request). Linus
 * writes from Teams at protocol level (anonymous embedded Teams, a fake Bot Connector).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { exampleTenantsFilePath } from '../../src/config/tenantsFile.js';
import { generateKeySpec } from '../../src/store/crypto/index.js';
import { createEmptyTestDatabase } from '../support/database.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector.js';
import { cardActionInvoke, messageActivity, postActivity, type ConversationSpec } from '../support/teamsActivities.js';
import { eventually, startProduct, type RunningProduct } from './support/product.js';
import { BREAK_GLASS, breakGlassLogin } from './support/signIn.js';

const ENTRA_TENANT = '7a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const linusInTeams = { id: '29:1linus-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-0000001f1005', name: 'Linus Torvalds' };
const linusDm: ConversationSpec = { kind: 'personal', id: 'a:1dm-linus', entraTenantId: ENTRA_TENANT };

let database: { url: string; drop(): Promise<void> };
let dir: string;
let connector: FakeBotConnector;
let db: pg.Client;
let product: RunningProduct | undefined;
const ids: Record<string, string> = {};
/** One key ring across the restarts, so tokens sealed by the first process open in the next. */
const keys = generateKeySpec('k1');
let approvalId: string;
let adaRunId: string;
let linusRunId: string;

/** Writes the example tenants file without the given people (and without their manager links). */
async function tenantsFileWithout(name: string, removed: readonly string[]): Promise<string> {
  const content = parseYaml(await readFile(exampleTenantsFilePath(), 'utf8')) as { tenants: { users: { email: string; managerEmail?: string }[]; approverGroups?: Record<string, string[]> }[] };
  for (const tenant of content.tenants) {
    tenant.users = tenant.users.filter((u) => !removed.includes(u.email)).map((u) => (u.managerEmail && removed.includes(u.managerEmail) ? { ...u, managerEmail: undefined } : u));
    for (const [group, emails] of Object.entries(tenant.approverGroups ?? {})) tenant.approverGroups![group] = emails.filter((e) => !removed.includes(e));
  }
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(content));
  return path;
}

async function start(tenantsFile: string): Promise<RunningProduct> {
  product = await startProduct({ databaseUrl: database.url, env: { TENANTS_FILE: tenantsFile, SWITCHBOARD_ENCRYPTION_KEYS: keys } });
  return product;
}

async function stop(): Promise<void> {
  await product?.close();
  product = undefined;
}

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(text, values)).rows;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-deprovision-'));
  database = await createEmptyTestDatabase();
  connector = await startFakeBotConnector();
  connector.addMember({ ...linusInTeams, email: 'linus@acme.test', userPrincipalName: 'linus@acme.test' });
  db = new pg.Client({ connectionString: database.url });
  const everyone = await tenantsFileWithout('everyone', []);
  const app = await start(everyone);
  await db.connect();
  for (const row of await query<{ id: string; email: string }>(`SELECT id, email FROM users WHERE tenant_id = 'acme'`)) ids[row.email.split('@')[0]!] = row.id;
  // Ada asks for something Linus (IT admin) and Grace (her manager) must approve.
  const sent = await fetch(`${app.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ids.ada, threadId: 'thread-deprov-1', clientMessageId: 'message-deprov-1', text: 'please reset my okta password' }),
  });
  expect(sent.status).toBe(202);
  adaRunId = ((await sent.json()) as { runId: string }).runId;
  const pending = await eventually(async () => (await query<{ id: string; approver_ids: string[] }>(`SELECT id, approver_ids FROM approvals WHERE run_id = $1 AND status = 'pending'`, [adaRunId]))[0], 'the approval request');
  expect([...pending.approver_ids].sort()).toEqual([ids.linus, ids.grace].sort());
  approvalId = pending.id;
  expect((await query(`SELECT 1 FROM connector_accounts WHERE user_id = $1`, [ids.linus])).length).toBe(4);
  expect((await signIn(app.url)).status).toBe(200);
  // Linus has a request of his own waiting for Grace when he is removed.
  const his = await fetch(`${app.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ids.linus, threadId: 'thread-deprov-2', clientMessageId: 'message-deprov-2', text: 'please reset my okta password' }),
  });
  expect(his.status).toBe(202);
  linusRunId = ((await his.json()) as { runId: string }).runId;
  await eventually(async () => (await query(`SELECT 1 FROM approvals WHERE run_id = $1 AND status = 'pending'`, [linusRunId])).length === 1, 'Linus\'s approval request');
  await stop();
}, 120_000);

afterAll(async () => {
  await stop();
  await db?.end();
  await connector?.stop();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('Linus is removed from the tenants file', () => {
  let app: RunningProduct;
  beforeAll(async () => {
    app = await start(await tenantsFileWithout('without-linus', ['linus@acme.test']));
  }, 120_000);
  afterAll(stop);

  test('he is deactivated and loses his roles', async () => {
    const [linus] = await query<{ deactivated_at: Date | null; roles: string[] }>(`SELECT deactivated_at, roles FROM users WHERE id = $1`, [ids.linus]);
    expect(linus?.deactivated_at).toBeInstanceOf(Date);
    expect(linus?.roles).toEqual([]);
    const [ada] = await query<{ deactivated_at: Date | null }>(`SELECT deactivated_at FROM users WHERE id = $1`, [ids.ada]);
    expect(ada?.deactivated_at).toBeNull();
    expect((await query(`SELECT 1 FROM audit_log WHERE action = 'user.deactivated' AND target_id = $1`, [ids.linus])).length).toBe(1);
  });

  test('his linked accounts are revoked, and the audit log says so', async () => {
    expect(await query(`SELECT connector_id FROM connector_accounts WHERE user_id = $1`, [ids.linus])).toEqual([]);
    const audit = await query<{ target_id: string; data: { connectorId: string } }>(`SELECT target_id, data FROM audit_log WHERE action = 'connector_account.revoked' AND actor_user_id IS NULL AND data->>'userId' = $1`, [ids.linus]);
    expect(audit.map((a) => a.data.connectorId).sort()).toEqual(['jira', 'okta', 'salesforce', 'servicenow']);
    // Everyone else keeps theirs.
    expect((await query(`SELECT 1 FROM connector_accounts WHERE user_id = $1`, [ids.ada])).length).toBe(4);
  });

  test('his pending approvals go to the remaining approver', async () => {
    const [approval] = await query<{ status: string; approver_ids: string[] }>(`SELECT status, approver_ids FROM approvals WHERE id = $1`, [approvalId]);
    expect(approval).toEqual({ status: 'pending', approver_ids: [ids.grace] });
  });

  test('he cannot act: the gateway refuses him with a clear message', async () => {
    const activity = messageActivity(connector.url, linusDm, linusInTeams, 'please reset my okta password');
    expect((await postActivity(`${app.url}/api/messages`, activity)).status).toBeLessThan(300);
    const reply = await connector.waitForCall((call) => call.conversationId === linusDm.id && typeof call.body?.text === 'string' && /removed/.test(call.body.text));
    expect(reply.body?.text).toMatch(/Your access to Switchboard was removed/);
    expect(await query(`SELECT 1 FROM runs WHERE user_id = $1 AND channel = 'teams'`, [ids.linus])).toEqual([]);
  });

  test('he cannot approve, from Teams or the playground', async () => {
    const click = await postActivity(`${app.url}/api/messages`, cardActionInvoke(connector.url, linusDm, linusInTeams, 'approve', { marker: 'switchboard.approval', approvalId }));
    expect(JSON.stringify(click.body)).toMatch(/removed|not one of the approvers/);
    const web = await fetch(`${app.url}/api/web/approvals/${approvalId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: ids.linus, decision: 'approve' }) });
    expect(web.status).toBe(403);
    const [approval] = await query<{ status: string }>(`SELECT status FROM approvals WHERE id = $1`, [approvalId]);
    expect(approval?.status).toBe('pending');
  });

  test('his own waiting request ends without acting for him', async () => {
    const run = await eventually(async () => {
      const found = await query<{ status: string; error: { code: string; message: string } | null }>(`SELECT status, error FROM runs WHERE id = $1`, [linusRunId]);
      return found[0]?.status === 'failed' ? found[0] : undefined;
    }, 'Linus\'s run to end');
    expect(run.error).toEqual({ code: 'user_deactivated', message: 'Your access to Switchboard was removed, so I stopped this request.' });
    expect((await query<{ status: string }>(`SELECT status FROM approvals WHERE run_id = $1`, [linusRunId]))[0]?.status).toBe('expired');
  });

  test('a request he made in a run still in flight cannot be approved for him', async () => {
    const [row] = await query<{ id: string }>(
      `INSERT INTO approvals (id, tenant_id, run_id, step_id, tool, action, args, args_hash, risk, reason, requester_id, approver_ids, expires_at)
       VALUES (gen_random_uuid(), 'acme', gen_random_uuid(), gen_random_uuid(), 'okta_reset_password', 'Reset an Okta password', '{}', 'h', 'high', 'policy', $1, ARRAY[$2]::text[], now() + interval '1 hour')
       RETURNING id`,
      [ids.linus, ids.grace],
    );
    const decided = await fetch(`${app.url}/api/web/approvals/${row!.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: ids.grace, decision: 'approve' }) });
    expect(decided.status).toBe(409);
    expect(((await decided.json()) as { error: { message: string } }).error.message).toMatch(/no longer has access/);
    expect((await query<{ status: string }>(`SELECT status FROM approvals WHERE id = $1`, [row!.id]))[0]?.status).toBe('pending');
  });

  test('he cannot sign in to the operations view and is not offered in the playground', async () => {
    expect((await signIn(app.url)).status).toBe(401);
    const people = (await (await fetch(`${app.url}/api/web/people`)).json()) as { people: { email: string }[] };
    expect(people.people.map((p) => p.email)).not.toContain('linus@acme.test');
  });
});

describe('then Grace, the last approver of Ada\'s request, is removed too', () => {
  beforeAll(async () => {
    await start(await tenantsFileWithout('without-linus-and-grace', ['linus@acme.test', 'grace@acme.test']));
  }, 120_000);
  afterAll(stop);

  test('the request expires and Ada is told', async () => {
    const [approval] = await eventually(async () => {
      const rows = await query<{ status: string }>(`SELECT status FROM approvals WHERE id = $1`, [approvalId]);
      return rows[0]?.status === 'expired' ? rows : undefined;
    }, 'the orphaned approval to expire');
    expect(approval?.status).toBe('expired');
    const finished = await eventually(async () => {
      const rows = await query<{ status: string; answer: string | null }>(`SELECT status, answer FROM runs WHERE id = $1`, [adaRunId]);
      return rows[0] && ['completed', 'failed'].includes(rows[0].status) ? rows[0] : undefined;
    }, 'Ada\'s run to finish');
    expect(finished.answer ?? '').toMatch(/approv/i);
  });
});

describe('Linus is added back', () => {
  beforeAll(async () => {
    await start(await tenantsFileWithout('everyone-again', []));
  }, 120_000);
  afterAll(stop);

  test('he is active again with the roles the file gives him (his accounts stay unlinked until he links them)', async () => {
    const [linus] = await query<{ deactivated_at: Date | null; roles: string[] }>(`SELECT deactivated_at, roles FROM users WHERE id = $1`, [ids.linus]);
    expect(linus).toEqual({ deactivated_at: null, roles: ['employee', 'it_admin', 'approver', 'admin'] });
  });
});

/** Linus is the example tenant's break-glass account (the operations view and the deployed playground share its sign-in). */
function signIn(base: string): Promise<Response> {
  return breakGlassLogin(base, BREAK_GLASS);
}
