import { startWorkerChild, workerBundle } from '../support/childProcess.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, waitForStatus, type Harness } from '../support/engineHarness.js';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.js';

/**
 * Issue 12, finding 6 ("slow recovery"): a killed worker's run is taken over by a survivor running
 * the shipped defaults (lease, takeover sweep, BullMQ lock) and finishes with its effect applied
 * once. The takeover time is printed (a figure, not an assertion: no timed assertions in tests).
 */
let database: TestDatabase;
let effects: EffectsServer;
let survivor: Harness | undefined;
const prefix = uniquePrefix('takeover');
const tenant = testTenant('takeover', { approvalPolicy: { rules: [{ risk: ['write'], autoApprove: true }] } });

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
});

afterAll(async () => {
  await survivor?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

test('a run whose worker is killed mid-step is taken over by a running survivor and finishes once', async () => {
  const leaseMs = DEFAULT_ENGINE_SETTINGS.leaseMs;
  const overrides = JSON.stringify({ approvalPolicy: { rules: [{ risk: ['write'], autoApprove: true }] } });
  // The victim consumes the BullMQ queue; the survivor runs the shipped lease and sweep settings
  // with an in-process queue, so it can only reach the run through its takeover sweep.
  const victim = startWorkerChild(await workerBundle(), {
    DATABASE_URL: database.url, REDIS_PREFIX: prefix, EFFECTS_URL: effects.url, TENANT_IDS: tenant.id, TENANT_OVERRIDES: overrides,
    WORKERS: '1', LEASE_MS: String(leaseMs), CRASH_AT: 'tool.after_execute:s1',
  });
  await victim.ready;
  survivor = await createHarness({
    prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 2, redisPrefix: prefix,
    overrides: { settings: DEFAULT_ENGINE_SETTINGS, recoveryIntervalMs: undefined, queue: { kind: 'memory' } },
  });
  const submitter = await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 0, redisPrefix: prefix });
  const submitted = await submitter.runtime.gateway.submit(turn(tenant.id, 'ada@acme.test', JSON.stringify({ say: 'ok', steps: [{ id: 's1', tool: 'effects_record_effect', args: { label: 'taken-over' } }] })));
  await submitter.close();
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const exit = await victim.exited;
  expect(exit.signal).toBe('SIGKILL');
  const killedAt = Date.now();
  const done = await waitForStatus(database.db.prisma, tenant.id, submitted.runId, ['completed', 'failed', 'budget_exceeded'], 30_000);
  console.log(`takeover: the run finished ${Date.now() - killedAt} ms after its worker was killed (lease ${leaseMs} ms, shipped defaults)`);
  expect(done.status).toBe('completed');
  const call = await database.db.prisma.toolCall.findFirstOrThrow({ where: { tenantId: tenant.id, runId: submitted.runId } });
  expect(effects.applied(call.idempotencyKey)).toBe(1);
}, 60_000);
