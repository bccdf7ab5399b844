import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, type Harness } from '../support/engineHarness.js';
import { startWorkerChild, workerBundle, type WorkerChild } from '../support/childProcess.js';

const RUNS = 200;
const overrides = { rateLimits: { perUserPerMinute: 10_000, perTenantPerMinute: 100_000 } };
const tenant = testTenant('busy', overrides);

let database: TestDatabase;
let effects: EffectsServer;
let local: Harness | undefined;
let child: WorkerChild | undefined;
const prefix = uniquePrefix('concurrency');

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 8 });
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
});

afterAll(async () => {
  await child?.stop();
  await local?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

test(`${RUNS} runs on 4 workers in 2 processes all complete with their own results`, async () => {
  child = startWorkerChild(await workerBundle(), {
    DATABASE_URL: database.url, REDIS_PREFIX: prefix, EFFECTS_URL: effects.url, TENANT_IDS: tenant.id, TENANT_OVERRIDES: JSON.stringify(overrides), WORKERS: '2',
  });
  await child.ready;
  local = await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 2, redisPrefix: prefix });
  const started = Date.now();
  const tokens = Array.from({ length: RUNS }, (_, i) => `token-${i.toString().padStart(3, '0')}-${Math.random().toString(36).slice(2, 8)}`);
  const emails = ['ada@acme.test', 'alan@acme.test', 'grace@acme.test', 'linus@acme.test'];
  const runIds = new Map<string, string>();
  await Promise.all(
    tokens.map(async (token, i) => {
      const script = { say: `answer for ${token}`, steps: [{ id: 's1', tool: 'effects_echo', args: { text: token } }] };
      // Every tenth run shares a thread with the previous one, so conversation locks are exercised too.
      const thread = `thread-${i - (i % 10 === 1 ? 1 : 0)}`;
      const result = await local!.runtime.gateway.submit(turn(tenant.id, emails[i % emails.length]!, JSON.stringify(script), { thread }));
      if (result.status !== 'accepted') throw new Error(JSON.stringify(result));
      runIds.set(token, result.runId);
    }),
  );
  const deadline = Date.now() + 90_000;
  while ((await database.db.prisma.run.count({ where: { tenantId: tenant.id, status: { in: ['completed', 'failed', 'budget_exceeded'] } } })) < RUNS) {
    if (Date.now() > deadline) throw new Error('runs did not finish');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(`${RUNS} runs on 2 processes x 2 workers: ${Date.now() - started} ms`);
  const runs = await database.db.prisma.run.findMany({ where: { tenantId: tenant.id } });
  expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
  for (const [token, runId] of runIds) {
    const run = runs.find((r) => r.id === runId)!;
    expect(run.answer).toContain(`answer for ${token}`);
    expect(run.answer).toContain(`"text":"${token}"`);
    // Unmixed: no other run's token leaked into this answer.
    expect(run.answer!.match(/token-\d{3}-[a-z0-9]+/g)!.every((t) => t === token)).toBe(true);
  }
  expect(await database.db.prisma.toolCall.count({ where: { tenantId: tenant.id, status: 'succeeded' } })).toBe(RUNS);
}, 150_000);
