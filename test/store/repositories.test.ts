import { SecretBox, parseKeyRing, generateKeySpec } from '../../src/store/crypto/index.js';
import { createRepositories, type Repositories } from '../../src/store/repositories/index.js';
import { ValidationError } from '../../src/core/errors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
let repos: Repositories;
const T = 'acme';

beforeAll(async () => {
  t = await createTestDatabase();
  repos = createRepositories(t.db.prisma, new SecretBox(parseKeyRing(generateKeySpec('k1'))));
});
afterAll(async () => { await t.drop(); });

test('users: upsert by case-insensitive email, roles, managers', async () => {
  const boss = await repos.users.upsert(T, { email: 'Boss@Acme.test', displayName: 'Boss', roles: ['manager'] });
  expect(boss.email).toBe('boss@acme.test');
  const again = await repos.users.upsert(T, { email: 'boss@acme.test ', displayName: 'The Boss' });
  expect(again.id).toBe(boss.id);
  expect(again.roles).toEqual(['manager']);
  const worker = await repos.users.upsert(T, { email: 'w@acme.test', displayName: 'W' });
  await repos.users.setManager(T, worker.id, boss.id);
  expect((await repos.users.managerOf(T, worker.id))?.displayName).toBe('The Boss');
  expect((await repos.users.byEmail(T, 'W@ACME.TEST'))?.id).toBe(worker.id);
  await expect(repos.users.setManager(T, worker.id, '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(ValidationError);
  expect((await repos.users.byIds(T, [worker.id, boss.id, 'junk'])).map((u) => u.id).sort()).toEqual([boss.id, worker.id].sort());
});

test('platform identities: link is idempotent, address can be refreshed', async () => {
  const user = await repos.users.upsert(T, { email: 'p@acme.test', displayName: 'P' });
  const key = { platform: 'teams', teamId: 'tenant-guid', externalId: 'aad-1' };
  const first = await repos.identities.link(T, { ...key, userId: user.id });
  const second = await repos.identities.link(T, { ...key, userId: user.id, address: { conversationId: 'a:1' } });
  expect(second.id).toBe(first.id);
  expect(await repos.identities.setAddress(T, key, { conversationId: 'a:2' })).toBe(true);
  expect((await repos.identities.find(T, key))?.address).toEqual({ conversationId: 'a:2' });
  expect(await repos.identities.forUser(T, user.id, 'teams')).toHaveLength(1);
});

test('conversations and messages: one row per thread, recent messages oldest first', async () => {
  const a = await repos.conversations.getOrCreate(T, { channel: 'slack', externalId: 'C1:9', address: { channel: 'C1', ts: '9' } });
  const b = await repos.conversations.getOrCreate(T, { channel: 'slack', externalId: 'C1:9', address: { channel: 'C1', ts: '9', v: 2 } });
  expect(b.id).toBe(a.id);
  expect(b.address).toEqual({ channel: 'C1', ts: '9', v: 2 });
  for (let i = 0; i < 5; i += 1) await repos.messages.append(T, { conversationId: a.id, role: i % 2 ? 'assistant' : 'user', content: `m${i}`, tokens: i, createdAt: new Date(Date.UTC(2026, 10, 22, 9, 0, i)) });
  expect((await repos.messages.recent(T, a.id, 3)).map((m) => m.content)).toEqual(['m2', 'm3', 'm4']);
});

test('channel installations: encrypted at rest, resolved by team or by enterprise', async () => {
  await repos.installations.save(T, { platform: 'slack', teamId: 'T9' }, { bot: { token: 'xoxb-team-secret' } });
  await repos.installations.save(T, { platform: 'slack', enterpriseId: 'E9' }, { bot: { token: 'xoxb-org-secret' } });
  await repos.installations.save(T, { platform: 'slack', teamId: 'T9' }, { bot: { token: 'xoxb-team-secret-2' } });
  const raw = (await t.db.pool.query(`SELECT ciphertext FROM channel_installations`)).rows;
  expect(raw).toHaveLength(2);
  for (const r of raw) expect(Buffer.from(r.ciphertext).toString('latin1')).not.toContain('xoxb');
  expect((await repos.installations.resolve({ platform: 'slack', teamId: 'T9' }))?.installation).toEqual({ bot: { token: 'xoxb-team-secret-2' } });
  const org = await repos.installations.resolve({ platform: 'slack', teamId: 'T-unknown', enterpriseId: 'E9' });
  expect(org).toMatchObject({ tenantId: T, installation: { bot: { token: 'xoxb-org-secret' } } });
  expect(await repos.installations.resolve({ platform: 'slack', teamId: 'nope' })).toBeNull();
});

test('user facts and the audit log', async () => {
  const user = await repos.users.upsert(T, { email: 'f@acme.test', displayName: 'F' });
  await repos.userFacts.set(T, user.id, 'jira.project', 'NET');
  await repos.userFacts.set(T, user.id, 'jira.project', 'HELP');
  expect(await repos.userFacts.get(T, user.id, 'jira.project')).toBe('HELP');
  expect((await repos.userFacts.list(T, user.id)).map((f) => f.key)).toEqual(['jira.project']);
  expect(await repos.userFacts.delete(T, user.id, 'jira.project')).toBe(true);
  await repos.audit.append(T, { actorUserId: user.id, action: 'a.one', targetType: 'x', targetId: '1' });
  await repos.audit.append(T, { action: 'a.two', targetType: 'x', targetId: '2', data: { n: 2 } });
  expect((await repos.audit.list(T)).map((e) => e.action)).toEqual(['a.two', 'a.one']);
  expect((await repos.audit.list(T, { targetId: '2' }))[0]?.data).toEqual({ n: 2 });
});

test('oauth states: expired ones are purged', async () => {
  const user = await repos.users.upsert(T, { email: 's@acme.test', displayName: 'S' });
  const now = new Date('2026-11-22T09:00:00Z');
  await repos.oauthStates.create(T, { id: 'acme.old', userId: user.id, connectorId: 'jira', codeVerifier: 'v', expiresAt: new Date(now.getTime() - 1) });
  expect(await repos.oauthStates.consume(T, 'acme.old', now, 'browser-hash')).toBeNull();
  expect(await repos.oauthStates.purgeExpired(T, now)).toBe(1);
});
