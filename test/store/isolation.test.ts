import { SecretBox, parseKeyRing, generateKeySpec, SecretUnreadableError } from '../../src/store/crypto/index.js';
import { createRepositories, syncTenants, type Repositories } from '../../src/store/repositories/index.js';
import { parseTenantsFile } from '../../src/config/tenantsFile.js';
import { PermissionDeniedError } from '../../src/core/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
let repos: Repositories;
const box = new SecretBox(parseKeyRing(generateKeySpec('k1')));
const A = 'acme';
const B = 'globex';
const now = new Date('2026-11-22T09:00:00Z');

const file = parseTenantsFile({
  tenants: [
    { id: A, name: 'Acme', users: [{ email: 'ada@acme.test', displayName: 'Ada', roles: ['employee', 'approver'], managerEmail: 'grace@acme.test' }, { email: 'grace@acme.test', displayName: 'Grace', roles: ['manager'] }] },
    // Same email in both tenants: still two different people.
    { id: B, name: 'Globex', users: [{ email: 'hank@globex.test', displayName: 'Hank' }, { email: 'grace@acme.test', displayName: 'Other Grace' }] },
  ],
}, 'test');

let ada: string;
let grace: string;
let conversationId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  repos = createRepositories(t.db.prisma, box);
  await syncTenants(t.db.prisma, file);
  ada = (await repos.users.byEmail(A, 'ada@acme.test'))!.id;
  grace = (await repos.users.byEmail(A, 'grace@acme.test'))!.id;
  await repos.identities.link(A, { platform: 'slack', teamId: 'T1', externalId: 'U1', userId: ada, address: { channel: 'D1' } });
  await repos.installations.save(A, { platform: 'slack', teamId: 'T1' }, { botToken: 'xoxb-acme' });
  await repos.accounts.save(A, { userId: ada, connectorId: 'jira', kind: 'jira', tokens: { accessToken: 'at-acme', refreshToken: 'rt-acme', scopes: [], metadata: {} } });
  await repos.oauthStates.create(A, { id: 'acme.state-1', userId: ada, connectorId: 'jira', codeVerifier: 'v', expiresAt: new Date(now.getTime() + 600_000) });
  conversationId = (await repos.conversations.getOrCreate(A, { channel: 'slack', externalId: 'C1:1', address: { channel: 'C1' } })).id;
  await repos.messages.append(A, { conversationId, role: 'user', content: 'hello' });
  await repos.userFacts.set(A, ada, 'jira.project', 'NET');
  await repos.audit.append(A, { actorUserId: ada, action: 'x', targetType: 'y', targetId: 'z' });
});
afterAll(async () => { await t.drop(); });

test('tenant A data is visible to tenant A (so the B checks below are meaningful)', async () => {
  expect((await repos.tenants.get(A))?.name).toBe('Acme');
  expect(await repos.users.byId(A, ada)).not.toBeNull();
  expect((await repos.users.managerOf(A, ada))?.id).toBe(grace);
  expect(await repos.users.withRole(A, 'approver')).toHaveLength(1);
  expect(await repos.identities.find(A, { platform: 'slack', teamId: 'T1', externalId: 'U1' })).not.toBeNull();
  expect((await repos.installations.find(A, { platform: 'slack', teamId: 'T1' }))?.installation).toEqual({ botToken: 'xoxb-acme' });
  expect((await repos.accounts.find(A, ada, 'jira'))?.tokens.accessToken).toBe('at-acme');
  expect(await repos.conversations.byId(A, conversationId)).not.toBeNull();
  expect(await repos.messages.recent(A, conversationId)).toHaveLength(1);
  expect(await repos.userFacts.get(A, ada, 'jira.project')).toBe('NET');
  expect(await repos.audit.list(A)).toHaveLength(1);
});

test('every repository query made for tenant B sees nothing of tenant A, even by id', async () => {
  expect((await repos.tenants.get(B))?.name).toBe('Globex');
  expect(await repos.users.byId(B, ada)).toBeNull();
  expect((await repos.users.byEmail(B, 'ada@acme.test'))).toBeNull();
  expect((await repos.users.byEmail(B, 'grace@acme.test'))?.id).not.toBe(grace);
  expect(await repos.users.byIds(B, [ada, grace])).toEqual([]);
  expect(await repos.users.managerOf(B, ada)).toBeNull();
  expect(await repos.users.withRole(B, 'approver')).toEqual([]);
  expect((await repos.users.list(B)).map((u) => u.email)).toEqual(['grace@acme.test', 'hank@globex.test']);
  expect(await repos.identities.find(B, { platform: 'slack', teamId: 'T1', externalId: 'U1' })).toBeNull();
  expect(await repos.identities.forUser(B, ada)).toEqual([]);
  expect(await repos.identities.setAddress(B, { platform: 'slack', teamId: 'T1', externalId: 'U1' }, { hijack: true })).toBe(false);
  expect(await repos.installations.find(B, { platform: 'slack', teamId: 'T1' })).toBeNull();
  expect(await repos.installations.delete(B, { platform: 'slack', teamId: 'T1' })).toBe(false);
  await expect(repos.installations.save(B, { platform: 'slack', teamId: 'T1' }, { botToken: 'xoxb-evil' })).rejects.toBeInstanceOf(PermissionDeniedError);
  expect(await repos.accounts.find(B, ada, 'jira')).toBeNull();
  expect(await repos.accounts.listForUser(B, ada)).toEqual([]);
  expect(await repos.accounts.delete(B, ada, 'jira')).toBeNull();
  const account = (await repos.accounts.find(A, ada, 'jira'))!;
  expect(await repos.accounts.replaceTokensIfVersion(B, account.id, account.version, { accessToken: 'evil', scopes: [], metadata: {} })).toBe(false);
  expect(await repos.accounts.withLock(B, ada, 'jira', async (locked) => locked.account)).toBeNull();
  expect(await repos.oauthStates.consume(B, 'acme.state-1', now, 'browser-hash')).toBeNull();
  expect(await repos.oauthStates.pendingForUser(B, ada, now)).toBe(0);
  expect(await repos.conversations.byId(B, conversationId)).toBeNull();
  expect(await repos.conversations.find(B, 'slack', 'C1:1')).toBeNull();
  expect(await repos.messages.recent(B, conversationId)).toEqual([]);
  expect(await repos.userFacts.get(B, ada, 'jira.project')).toBeNull();
  expect(await repos.userFacts.list(B, ada)).toEqual([]);
  expect(await repos.userFacts.delete(B, ada, 'jira.project')).toBe(false);
  expect(await repos.audit.list(B)).toEqual([]);

  // And none of B's attempts changed A's data.
  expect((await repos.accounts.find(A, ada, 'jira'))?.tokens.accessToken).toBe('at-acme');
  expect(await repos.oauthStates.pendingForUser(A, ada, now)).toBe(1);
  expect(await repos.installations.find(A, { platform: 'slack', teamId: 'T1' })).not.toBeNull();
  expect(await repos.userFacts.get(A, ada, 'jira.project')).toBe('NET');
});

test('a ciphertext copied into another tenant\'s row does not decrypt', async () => {
  const hank = (await repos.users.byEmail(B, 'hank@globex.test'))!.id;
  await repos.accounts.save(B, { userId: hank, connectorId: 'jira', kind: 'jira', tokens: { accessToken: 'at-globex', scopes: [], metadata: {} } });
  await t.db.pool.query(
    `UPDATE connector_accounts SET ciphertext = src.ciphertext, key_id = src.key_id FROM connector_accounts src
     WHERE connector_accounts.tenant_id = $1 AND src.tenant_id = $2`, [B, A]);
  await expect(repos.accounts.find(B, hank, 'jira')).rejects.toBeInstanceOf(SecretUnreadableError);
});

test('malformed ids are "not found", never a database error', async () => {
  expect(await repos.users.byId(A, 'not-a-uuid')).toBeNull();
  expect(await repos.conversations.byId(A, "1' OR '1'='1")).toBeNull();
  expect(await repos.accounts.find(A, 'nope', 'jira')).toBeNull();
});

test('syncTenants is idempotent and keeps manager links', async () => {
  const before = await repos.users.list(A);
  expect(await syncTenants(t.db.prisma, file)).toEqual({ tenants: 2, users: 4 });
  const after = await repos.users.list(A);
  expect(after).toEqual(before);
  expect(after.find((u) => u.email === 'ada@acme.test')?.managerId).toBe(grace);
});

test('a stale-key blob is re-sealed with the active key on the next write', async () => {
  const k1 = generateKeySpec('k1');
  const oldRepos = createRepositories(t.db.prisma, new SecretBox(parseKeyRing(k1)));
  await oldRepos.userFacts.set(A, ada, 'noop', 'x');
  const saved = await oldRepos.accounts.save(A, { userId: grace, connectorId: 'okta', kind: 'okta', tokens: { accessToken: 'at-old', scopes: [], metadata: {} } });
  expect((await t.db.pool.query('SELECT key_id FROM connector_accounts WHERE id = $1', [saved.id])).rows[0].key_id).toBe('k1');
  const rotated = new SecretBox(parseKeyRing(`${k1},${generateKeySpec('k2')}`, 'k2'));
  const newRepos = createRepositories(t.db.prisma, rotated);
  const loaded = (await newRepos.accounts.find(A, grace, 'okta'))!;
  expect(loaded.tokens.accessToken).toBe('at-old');
  expect(await newRepos.accounts.replaceTokensIfVersion(A, loaded.id, loaded.version, { ...loaded.tokens, accessToken: 'at-new' })).toBe(true);
  expect((await t.db.pool.query('SELECT key_id FROM connector_accounts WHERE id = $1', [saved.id])).rows[0].key_id).toBe('k2');
  // A writer holding the old version loses the race instead of overwriting.
  expect(await newRepos.accounts.replaceTokensIfVersion(A, loaded.id, loaded.version, { ...loaded.tokens, accessToken: 'at-late' })).toBe(false);
});
