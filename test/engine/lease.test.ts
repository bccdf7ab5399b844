import { createLogger } from '../../src/core/logger.js';
import { createEngineRuntime, type EngineRuntime } from '../../src/engine/runtime.js';
import { FencedOutError, ToolCallsTable } from '../../src/engine/persistence/toolCallsTable.js';
import { createInfra } from '../../src/infra/createInfra.js';
import type { Infra } from '../../src/infra/infra.js';
import { startTcpProxy } from '../app/support/tcpProxy.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { effectsConnectorConfig, effectsConnectorModule } from '../support/effectsConnector.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testCredentials, testTenant, turn, uniquePrefix, waitForStatus, type Harness } from '../support/engineHarness.js';
import { ScriptedPlanner } from '../support/scriptedPlanner.js';

/**
 * Issue 12, finding 3: a worker that loses its lease keeps going. Worker A reaches Redis only through
 * a TCP proxy the test cuts while A executes a step; worker B (direct Redis) takes the run over. A
 * must stop before its next side effect, and B must finish the run: every effect exactly once.
 */
const LEASE_MS = 1_500;
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const prefix = uniquePrefix('lease');
const tenant = testTenant('lease', { approvalPolicy: { rules: [{ risk: ['write'], autoApprove: true }] } });
let database: TestDatabase;
let effects: EffectsServer;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let infraA: Infra | undefined;
let workerA: EngineRuntime | undefined;
let workerB: Harness | undefined;
let stalled = false;

/** The run once a worker took it (fence 1 or more). */
async function waitForFence(runId: string) {
  for (;;) {
    const run = await database.db.prisma.run.findFirstOrThrow({ where: { tenantId: tenant.id, id: runId } });
    if (run.fence > 0) return run;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
  const redis = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
});

afterAll(async () => {
  await workerA?.stop().catch(() => undefined);
  await infraA?.close().catch(() => undefined);
  await workerB?.close();
  await proxy?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

test('a worker cut off from Redis stops before its next side effect while another takes the run over', async () => {
  infraA = await createInfra({ redisUrl: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix, logger });
  const planner = new ScriptedPlanner();
  workerA = createEngineRuntime({
    db: { prisma: database.db.prisma }, infra: infraA, tenants: [tenant],
    connectorModules: { servicenow: effectsConnectorModule },
    connectorsFor: () => [effectsConnectorConfig(effects.url)],
    plannerFor: () => planner,
    credentialsFor: testCredentials(database.db.prisma),
    linkUrl: async () => 'http://127.0.0.1/link',
    logger, workers: 1,
    settings: { leaseMs: LEASE_MS, busyRetryMs: 50 },
    queue: { kind: 'memory' },
    recoveryIntervalMs: 0, takeoverIntervalMs: 0,
    // Right before A's side effect: A loses Redis and stalls (a long GC pause, a slow credential
    // refresh) for longer than its lease.
    onBoundary: async (point) => {
      if (point !== 'tool.before_execute' || stalled) return;
      stalled = true;
      await proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, 3_500));
    },
  });
  await workerA.start();
  const script = { say: 'done', steps: [{ id: 's1', tool: 'effects_record_effect', args: { label: 'lease-once' }, title: 'Write once' }] };
  const submitted = await workerA.gateway.submit(turn(tenant.id, 'ada@acme.test', JSON.stringify(script)));
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const before = await waitForFence(submitted.runId);
  // B starts once A holds the run (else B could simply pick the queued run up first).
  workerB = await createHarness({
    prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 1, redisPrefix: prefix,
    overrides: { queue: { kind: 'memory' }, settings: { leaseMs: LEASE_MS, busyRetryMs: 50 }, takeoverIntervalMs: 200 },
  });

  const done = await waitForStatus(database.db.prisma, tenant.id, submitted.runId, ['completed', 'failed', 'budget_exceeded'], 30_000);
  // A's own stop is asynchronous to B's finish: give a still-running A time to (wrongly) act.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(stalled).toBe(true);
  expect(done.status).toBe('completed');
  expect(done.fence).toBeGreaterThan(before.fence);
  const writes = [...effects.all().values()].filter((e) => e.label === 'lease-once');
  expect(writes.map((w) => w.applied)).toEqual([1]);
  expect(await database.db.prisma.deadLetter.count({ where: { tenantId: tenant.id } })).toBe(0);
  const final = await database.db.prisma.run.findFirstOrThrow({ where: { tenantId: tenant.id, id: submitted.runId } });
  expect(final.status).toBe('completed');
  const events = await workerB.runtime.eventsSince(tenant.id, submitted.runId, 0);
  expect(events.filter((e) => e.type === 'run.completed' || e.type === 'run.failed')).toHaveLength(1);
}, 60_000);

test('the tool-call start is refused in the same statement once another worker holds a newer fencing token', async () => {
  const run = await database.db.prisma.run.findFirstOrThrow({ where: { tenantId: tenant.id } });
  const step = await database.db.prisma.step.findFirstOrThrow({ where: { tenantId: tenant.id, runId: run.id } });
  const calls = new ToolCallsTable(database.db.prisma);
  const start = (fence: number, key: string) => calls.begin({
    tenantId: tenant.id, runId: run.id, stepId: step.id, tool: 'effects_record_effect', actingUserId: run.userId, actingIdentity: 'user:ada',
    idempotencyKey: key, idempotent: false, risk: 'write', args: {}, fence,
  });
  await expect(start(run.fence - 1, 'fenced-new')).rejects.toBeInstanceOf(FencedOutError);
  expect(await database.db.prisma.toolCall.count({ where: { tenantId: tenant.id, idempotencyKey: 'fenced-new' } })).toBe(0);
  expect((await start(run.fence, 'fenced-new')).created).toBe(true);
  // A stale worker cannot claim an existing call either.
  await expect(start(run.fence - 1, 'fenced-new')).rejects.toBeInstanceOf(FencedOutError);
});
