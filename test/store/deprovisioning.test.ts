import { randomUUID } from 'node:crypto';
import { parseTenantsFile } from '../../src/config/tenantsFile.js';
import { createRepositories, deprovisionDeactivatedUsers, syncTenants, type Repositories } from '../../src/store/repositories/index.js';
import { SecretBox, generateKeySpec, parseKeyRing } from '../../src/store/crypto/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// syncTenants against real PostgreSQL: who leaves the file is deactivated (once), loses roles,
// accounts and approver places, and comes back cleanly; other tenants are never touched.
let t: TestDatabase;
let repos: Repositories;

const people = [
  { email: 'ada@acme.test', displayName: 'Ada', roles: ['employee'] },
  { email: 'grace@acme.test', displayName: 'Grace', roles: ['employee', 'approver'] },
  { email: 'linus@acme.test', displayName: 'Linus', roles: ['employee', 'approver', 'admin'] },
];
const fileWith = (emails: readonly string[]) =>
  parseTenantsFile({ tenants: [{ id: 'acme', name: 'Acme', users: people.filter((p) => emails.includes(p.email)) }] }, 'test');

beforeAll(async () => {
  t = await createTestDatabase();
  repos = createRepositories(t.db.prisma, new SecretBox(parseKeyRing(generateKeySpec('k1'))));
});
afterAll(async () => { await t.drop(); });

async function pendingApproval(requesterId: string, approverIds: string[]): Promise<string> {
  const approval = await t.db.prisma.approval.create({
    data: {
      tenantId: 'acme', runId: randomUUID(), stepId: randomUUID(), tool: 'okta_reset_password', action: 'Reset a password', args: {}, argsHash: 'h', risk: 'high', reason: 'policy',
      requesterId, approverIds, expiresAt: new Date(Date.now() + 60 * 60_000),
    },
  });
  return approval.id;
}

test('a person removed from the file is deactivated once, loses everything, and returns cleanly', async () => {
  await syncTenants(t.db.prisma, fileWith(['ada@acme.test', 'grace@acme.test', 'linus@acme.test']));
  const ada = (await repos.users.byEmail('acme', 'ada@acme.test'))!;
  const grace = (await repos.users.byEmail('acme', 'grace@acme.test'))!;
  const linus = (await repos.users.byEmail('acme', 'linus@acme.test'))!;
  // Another tenant's person of the same name is none of this file's business.
  const other = await repos.users.upsert('globex', { email: 'linus@acme.test', displayName: 'Other Linus', roles: ['admin'] });
  await repos.accounts.save('acme', { userId: linus.id, connectorId: 'jira', kind: 'jira', tokens: { accessToken: 'at', refreshToken: 'rt', scopes: [], metadata: {} } });
  const shared = await pendingApproval(ada.id, [linus.id, grace.id]);
  const onlyLinus = await pendingApproval(ada.id, [linus.id]);
  const hisOwn = await pendingApproval(linus.id, [grace.id]);

  await syncTenants(t.db.prisma, fileWith(['ada@acme.test', 'grace@acme.test']));
  const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: linus.id } });
  expect(row.deactivatedAt).toBeInstanceOf(Date);
  expect(row.roles).toEqual([]);
  // Every repository lookup treats him as absent.
  expect(await repos.users.byId('acme', linus.id)).toBeNull();
  expect(await repos.users.byEmail('acme', 'linus@acme.test')).toBeNull();
  expect((await repos.users.list('acme')).map((u) => u.email)).toEqual(['ada@acme.test', 'grace@acme.test']);
  expect(await repos.accounts.find('acme', linus.id, 'jira')).toBeNull();
  const approvals = new Map((await t.db.prisma.approval.findMany()).map((a) => [a.id, a]));
  expect(approvals.get(shared)).toMatchObject({ status: 'pending', approverIds: [grace.id] });
  expect(approvals.get(shared)!.expiresAt.getTime()).toBeGreaterThan(Date.now());
  // Left without an approver, or asked for by him: due now, for the engine's sweep to expire and report.
  expect(approvals.get(onlyLinus)).toMatchObject({ status: 'pending', approverIds: [] });
  expect(approvals.get(onlyLinus)!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  expect(approvals.get(hisOwn)!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: other.id } })).deactivatedAt).toBeNull();

  // A second load changes and records nothing more.
  const auditCount = await t.db.prisma.auditLog.count();
  await syncTenants(t.db.prisma, fileWith(['ada@acme.test', 'grace@acme.test']));
  expect(await t.db.prisma.auditLog.count()).toBe(auditCount);
  expect(await deprovisionDeactivatedUsers(t.db.prisma, ['acme'])).toEqual({ accountsRevoked: 0, approvalsReassigned: 0, approvalsExpiring: 0 });
  const actions = (await t.db.prisma.auditLog.findMany({ orderBy: { id: 'asc' } })).map((a) => a.action);
  expect(actions.filter((a) => a === 'user.deactivated')).toHaveLength(1);
  expect(actions.filter((a) => a === 'connector_account.revoked')).toHaveLength(1);

  await syncTenants(t.db.prisma, fileWith(['ada@acme.test', 'grace@acme.test', 'linus@acme.test']));
  expect(await repos.users.byId('acme', linus.id)).toMatchObject({ roles: ['employee', 'approver', 'admin'] });
});
