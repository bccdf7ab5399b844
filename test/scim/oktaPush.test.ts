/**
 * Issue 16 deliverable 5: the Okta sandbox provisions the demo tenant over /scim/v2 (started with
 * SANDBOX_SCIM_PUSH=true; the token is minted at start and only its hash reaches the tenant). A person
 * created in the sandbox and pushed becomes a SCIM user and, through the mapped "IT Admins" group, an
 * approver; deactivating them in Okta and pushing deprovisions them.
 */
import pg from 'pg';
import { generateKeySpec } from '../../src/store/crypto/index.js';
import type { OktaSandbox } from '../../connectors/okta/sandbox/index.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';

let product: RunningProduct;
let db: pg.Client;
let okta: OktaSandbox;
const ids: Record<string, string> = {};

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(text, values)).rows;
}

async function ask(userId: string, key: string): Promise<string> {
  const response = await fetch(`${product.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, threadId: `thread-${key}`, clientMessageId: `message-${key}`, text: 'please reset my okta password' }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { runId: string }).runId;
}

async function pendingApproval(runId: string): Promise<{ id: string; approver_ids: string[] }> {
  return eventually(async () => (await query<{ id: string; approver_ids: string[] }>(`SELECT id, approver_ids FROM approvals WHERE run_id = $1 AND status = 'pending'`, [runId]))[0], 'the approval request');
}

/** The SCIM requests the sandbox sent, as `METHOD path` with the query decoded. */
function sent(): string[] {
  return okta.provisioning.sent.map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
}

/** `expected` appears in `actual` in this order (other requests may come in between). */
function inOrder(actual: readonly string[], expected: readonly string[]): boolean {
  let at = 0;
  for (const line of actual) if (at < expected.length && line === expected[at]) at += 1;
  return at === expected.length;
}

async function sandbox(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${okta.url}${path}`, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  product = await startProduct({ env: { SANDBOX_SCIM_PUSH: 'true', SWITCHBOARD_ENCRYPTION_KEYS: generateKeySpec('k1') } });
  const sandboxes = product.app.sandboxes;
  if (!sandboxes) throw new Error('the embedded default runs the sandboxes');
  okta = sandboxes.okta;
  db = new pg.Client({ connectionString: product.databaseUrl });
  await db.connect();
  for (const row of await query<{ id: string; email: string }>(`SELECT id, email FROM users WHERE tenant_id = 'acme'`)) ids[row.email.split('@')[0]!] = row.id;
}, 120_000);

afterAll(async () => {
  await db?.end();
  await product?.close();
});

test('the demo people stay the tenants file\'s until someone is pushed', async () => {
  expect((await query(`SELECT 1 FROM users WHERE tenant_id = 'acme' AND source = 'scim'`)).length).toBe(0);
  // No token was configured by anyone: the minted one is not in the environment the product reports.
  expect(product.app.env.SANDBOX_SCIM_PUSH).toBe(true);
  expect((await fetch(`${product.url}/scim/v2/Users`, { headers: { authorization: 'Bearer not-the-minted-token-at-all' } })).status).toBe(401);
});

test('a person created in the Okta sandbox is pushed, becomes a SCIM user and, through "IT Admins", an approver', async () => {
  const created = await sandbox('POST', '/__sandbox/users', { login: 'olga@acme.test', firstName: 'Olga', lastName: 'Admin', department: 'IT Operations', groups: ['IT Admins'] });
  expect(created.status).toBe(201);
  const pushed = await sandbox('POST', '/__sandbox/provisioning/push');
  expect(pushed.status).toBe(200);

  const [olga] = await query<{ id: string; source: string; roles: string[]; approver_groups: string[]; deactivated_at: Date | null }>(
    `SELECT id, source, roles, approver_groups, deactivated_at FROM users WHERE tenant_id = 'acme' AND email = 'olga@acme.test'`);
  expect(olga).toMatchObject({ source: 'scim', approver_groups: ['it-admins'], deactivated_at: null });
  expect([...olga!.roles].sort()).toEqual(['approver', 'employee', 'it_admin']);
  ids.olga = olga!.id;
  // Okta's documented sequence: look the user up by userName, create; then create the pushed group with its members.
  expect(inOrder(sent(), [
    'GET /Users?filter=userName eq "olga@acme.test"&startIndex=1&count=100',
    'POST /Users',
    'GET /Groups?filter=displayName eq "IT Admins"&startIndex=1&count=100',
    'POST /Groups',
  ])).toBe(true);
  expect(okta.provisioning.sent.every((r) => r.status < 300)).toBe(true);
  // Only the pushed group's members were provisioned: the file's demo people are untouched.
  expect((await query(`SELECT 1 FROM users WHERE tenant_id = 'acme' AND source = 'scim'`)).length).toBe(1);
  const audited = await query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = 'acme' AND action IN ('user.provisioned', 'group.provisioned')`);
  expect(audited.map((a) => a.action).sort()).toEqual(['group.provisioned', 'user.provisioned']);

  const approval = await pendingApproval(await ask(ids.alan!, 'push-1'));
  expect(approval.approver_ids).toContain(ids.olga);
});

test('deactivating the person in Okta and pushing deprovisions them: their pending approval moves on', async () => {
  const runId = await ask(ids.ada!, 'push-2');
  const before = await pendingApproval(runId);
  expect(before.approver_ids).toContain(ids.olga);

  const oktaUser = await sandbox('GET', '/api/v1/users/olga@acme.test', undefined, { authorization: `SSWS ${okta.serviceToken}` });
  const deactivated = await sandbox('POST', `/api/v1/users/${String(oktaUser.body.id)}/lifecycle/deactivate`, undefined, { authorization: `SSWS ${okta.serviceToken}` });
  expect(deactivated.status).toBe(200);
  const pushed = await sandbox('POST', '/__sandbox/provisioning/push');
  expect(pushed.status).toBe(200);

  const deactivation = okta.provisioning.sent.find((r) => r.method === 'PATCH' && r.path === `/Users/${ids.olga}`);
  expect(deactivation?.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
  // Okta also takes a deactivated person out of the pushed groups.
  const [group] = await query<{ id: string }>(`SELECT id FROM scim_groups WHERE tenant_id = 'acme' AND display_name = 'IT Admins'`);
  expect(sent()).toContain(`PATCH /Groups/${group!.id}`);
  const [olga] = await query<{ roles: string[]; deactivated_at: Date | null }>(`SELECT roles, deactivated_at FROM users WHERE id = $1`, [ids.olga]);
  expect(olga!.deactivated_at).not.toBeNull();
  const after = await eventually(async () => {
    const [row] = await query<{ approver_ids: string[]; status: string }>(`SELECT approver_ids, status FROM approvals WHERE id = $1`, [before.id]);
    return row && !row.approver_ids.includes(ids.olga!) ? row : undefined;
  }, 'the approval without Olga');
  expect(after.approver_ids).not.toContain(ids.olga);
});

describe('without SANDBOX_SCIM_PUSH (npm start as it was)', () => {
  test('the sandbox pushes nothing, and the provisioning endpoints exist only with the sandbox admin surface', async () => {
    const plain = await startProduct({ env: { SANDBOX_ADMIN: 'false' } });
    try {
      const sandboxes = plain.app.sandboxes!;
      expect((await fetch(`${sandboxes.okta.url}/__sandbox/provisioning/push`, { method: 'POST' })).status).toBe(404);
      await expect(sandboxes.okta.provisioning.push()).rejects.toMatchObject({ code: 'okta_sandbox.provisioning_failed' });
    } finally {
      await plain.close();
    }
  }, 120_000);
});
