import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, type Harness } from '../support/engineHarness.js';
import { startWorkerChild, workerBundle } from '../support/childProcess.js';
import type { Turn } from '../../src/gateway/turn.js';

let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
const prefix = uniquePrefix('gateway');
const tenant = testTenant('front', { rateLimits: { perUserPerMinute: 3, perTenantPerMinute: 1000 } });
const directory = new Map([['U-LINUS', 'linus@acme.test']]);

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
  harness = await createHarness({
    prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 0, redisPrefix: prefix,
    overrides: { platformDirectories: { web: { lookup: async ({ externalId }) => (directory.has(externalId) ? { email: directory.get(externalId)! } : null) } } },
  });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

const runCount = () => database.db.prisma.run.count({ where: { tenantId: 'front' } });

test('the same delivery submitted 4 times concurrently from 2 processes starts exactly one run', async () => {
  const same = turn('front', 'ada@acme.test', 'reset my password', { deliveryId: 'Ev-12345' });
  const child = startWorkerChild(await workerBundle(), {
    DATABASE_URL: database.url, REDIS_PREFIX: prefix, EFFECTS_URL: effects.url, TENANT_IDS: 'front', WORKERS: '0',
    SUBMIT_TURN: JSON.stringify(same), SUBMIT_COUNT: '2',
  });
  const local = Promise.all([harness.runtime.gateway.submit(same), harness.runtime.gateway.submit(same)]);
  await child.ready;
  const [mine] = await Promise.all([local, (async () => {
    while (!child.output().includes('results:')) await new Promise((r) => setTimeout(r, 20));
  })()]);
  const theirs = JSON.parse(child.output().split('results:')[1]!.split('\n')[0]!) as { status: string }[];
  await child.stop();
  const statuses = [...mine, ...theirs].map((r) => r.status).sort();
  expect(statuses).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate']);
  expect(await database.db.prisma.run.count({ where: { tenantId: 'front', deliveryId: 'Ev-12345' } })).toBe(1);
  expect(await database.db.prisma.message.count({ where: { tenantId: 'front', role: 'user', content: 'reset my password' } })).toBe(1);
});

test('malformed turns are refused with a clear message and start nothing', async () => {
  const before = await runCount();
  const good = turn('front', 'ada@acme.test', 'ok');
  const cases: [unknown, RegExp][] = [
    [{ ...good, text: '   ' }, /the message is empty/],
    [{ ...good, text: 'x'.repeat(4001) }, /limited to 4000 characters/],
    [{ ...good, channel: 'fax' }, /channel/],
    [{ ...good, deliveryId: undefined }, /deliveryId/],
    [{ text: 'hi' }, /could not read that message/],
    [null, /could not read that message/],
  ];
  for (const [input, message] of cases) {
    const result = await harness.runtime.gateway.submit(input as Turn);
    expect(result).toMatchObject({ status: 'refused', code: 'invalid_input', message: expect.stringMatching(message) });
  }
  expect(await harness.runtime.gateway.submit(turn('nope', 'ada@acme.test', 'hi'))).toMatchObject({ status: 'refused', code: 'unknown_tenant' });
  expect(await harness.runtime.gateway.submit(turn('front', 'stranger@else.test', 'hi'))).toMatchObject({
    status: 'refused', code: 'unknown_user', message: expect.stringContaining('could not match your web account'),
  });
  expect(await runCount()).toBe(before);
});

test('identity comes from the platform directory on first contact, then from the linked identity', async () => {
  const first: Turn = { ...turn('front', 'x', 'hello'), platformUser: { externalId: 'U-LINUS', teamId: 'web' } };
  expect(await harness.runtime.gateway.submit(first)).toMatchObject({ status: 'accepted' });
  directory.clear();
  const again: Turn = { ...turn('front', 'x', 'hello again'), platformUser: { externalId: 'U-LINUS', teamId: 'web' } };
  const result = await harness.runtime.gateway.submit(again);
  expect(result.status).toBe('accepted');
  const linus = await database.db.prisma.user.findFirstOrThrow({ where: { tenantId: 'front', email: 'linus@acme.test' } });
  expect(result.status === 'accepted' && result.userId).toBe(linus.id);
});

test('per-user rate limits refuse the request that exceeds the bucket', async () => {
  const results = [];
  for (let i = 0; i < 4; i += 1) results.push(await harness.runtime.gateway.submit(turn('front', 'grace@acme.test', `msg ${i}`)));
  expect(results.slice(0, 3).every((r) => r.status === 'accepted')).toBe(true);
  expect(results[3]).toMatchObject({ status: 'refused', code: 'rate_limited', message: expect.stringMatching(/try again in \d+ s/) });
});
