import { startWorkerChild, workerBundle } from '../support/childProcess.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, waitForStatus, type Harness } from '../support/engineHarness.js';

/**
 * Issue 12, finding 6 (kill -9 windows at the gateway): a process killed while accepting a request
 * must not turn the sender's retry (same delivery id) into a "duplicate" that never runs.
 */
let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness | undefined;
const prefix = uniquePrefix('crashwin');
const tenant = testTenant('crashwin');

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

async function killedWhileSubmitting(boundary: string, submitted: ReturnType<typeof turn>): Promise<void> {
  const child = startWorkerChild(await workerBundle(), {
    DATABASE_URL: database.url, REDIS_PREFIX: prefix, EFFECTS_URL: effects.url, TENANT_IDS: tenant.id,
    WORKERS: '0', QUEUE: 'memory', CRASH_AT: boundary, SUBMIT_TURN: JSON.stringify(submitted), SUBMIT_COUNT: '1',
  });
  const exit = await child.exited;
  expect(exit.signal).toBe('SIGKILL');
}

test.each(['gateway.before_run:', 'gateway.run_created:'])('a retry with the same delivery id after a kill at %s runs the request exactly once', async (boundary) => {
  const label = `win-${boundary}`;
  const request = turn(tenant.id, 'ada@acme.test', JSON.stringify({ say: 'ok', steps: [{ id: 's1', tool: 'effects_record_effect', args: { label } }] }));
  await killedWhileSubmitting(boundary, request);

  harness ??= await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 2, redisPrefix: prefix, overrides: { queue: { kind: 'memory' } } });
  const retried = await harness.runtime.gateway.submit(request);
  expect(['accepted', 'duplicate']).toContain(retried.status);
  const runs = await database.db.prisma.run.findMany({ where: { tenantId: tenant.id, deliveryId: request.deliveryId } });
  expect(runs).toHaveLength(1);
  const done = await waitForStatus(database.db.prisma, tenant.id, runs[0]!.id, ['completed', 'failed', 'budget_exceeded'], 20_000);
  expect(done.status).toBe('completed');
  const applied = [...effects.all().values()].filter((e) => e.label === label);
  expect(applied.map((e) => e.applied)).toEqual([1]);
  expect(await database.db.prisma.message.count({ where: { tenantId: tenant.id, runId: done.id, role: 'user' } })).toBe(1);
  // A third delivery of the same message is a duplicate and changes nothing.
  expect(await harness.runtime.gateway.submit(request)).toEqual({ status: 'duplicate' });
  const answers = (await harness.runtime.eventsSince(tenant.id, done.id, 0)).filter((e) => e.type === 'run.completed' || e.type === 'run.failed');
  expect(answers).toHaveLength(1);
}, 60_000);
