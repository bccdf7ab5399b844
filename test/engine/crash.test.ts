import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, waitForStatus, type Harness } from '../support/engineHarness.js';
import { startWorkerChild, workerBundle } from '../support/childProcess.js';

/**
 * A worker child process runs a 3-step plan (read → non-idempotent write with reconcile →
 * idempotent write) and is SIGKILLed at one durable boundary; each boundary gets its own run (and
 * tenant, so each child only sees its run). Then a fresh worker resumes every run.
 */
const BOUNDARIES = [
  'run.planned:',
  ...['s1', 's2', 's3'].flatMap((s) => [`tool.before_execute:${s}`, `tool.after_execute:${s}`, `step.before_record:${s}`, `step.recorded:${s}`]),
  'run.before_answer:',
];
const PARALLEL_CHILDREN = 3;
const script = JSON.stringify({
  say: 'all done',
  steps: [
    { id: 's1', tool: 'effects_echo', args: { text: 'look' }, title: 'Read' },
    { id: 's2', tool: 'effects_record_effect', args: { label: 'once' }, dependsOn: ['s1'], title: 'Write once' },
    { id: 's3', tool: 'effects_put_effect', args: { label: 'idem' }, dependsOn: ['s2'], title: 'Idempotent write' },
  ],
});

let database: TestDatabase;
let effects: EffectsServer;
let resumer: Harness | undefined;
const prefix = uniquePrefix('crash');
const tenants = BOUNDARIES.map((_, i) => testTenant(`crash-${i}`));

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  for (const tenant of tenants) await seedTenant(database.db.prisma, tenant);
});

afterAll(async () => {
  await resumer?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

test('killing a worker at every step boundary loses no run and repeats no side effect', async () => {
  const submitter = await createHarness({ prisma: database.db.prisma, tenants, effectsUrl: effects.url, workers: 0, redisPrefix: prefix, overrides: { queue: { kind: 'memory' } } });
  const runIds: string[] = [];
  for (const tenant of tenants) {
    const result = await submitter.runtime.gateway.submit(turn(tenant.id, 'ada@acme.test', script));
    if (result.status !== 'accepted') throw new Error(JSON.stringify(result));
    runIds.push(result.runId);
  }
  await submitter.close();

  const bundle = await workerBundle();
  const killed: string[] = [];
  for (let i = 0; i < BOUNDARIES.length; i += PARALLEL_CHILDREN) {
    await Promise.all(
      BOUNDARIES.slice(i, i + PARALLEL_CHILDREN).map(async (boundary, j) => {
        const index = i + j;
        const child = startWorkerChild(bundle, {
          DATABASE_URL: database.url, REDIS_PREFIX: prefix, EFFECTS_URL: effects.url, TENANT_IDS: tenants[index]!.id,
          WORKERS: '1', QUEUE: 'memory', LEASE_MS: '1000', CRASH_AT: boundary, CRASH_RUN: runIds[index]!,
        });
        const t0 = Date.now();
        const exit = await child.exited;
        console.log(`child ${boundary} ${Date.now() - t0} ms`);
        if (exit.signal === 'SIGKILL') killed.push(boundary);
      }),
    );
  }
  expect(killed.sort()).toEqual([...BOUNDARIES].sort());

  const r0 = Date.now();
  resumer = await createHarness({ prisma: database.db.prisma, tenants, effectsUrl: effects.url, workers: 2, redisPrefix: prefix, overrides: { queue: { kind: 'memory' }, settings: { leaseMs: 1000, busyRetryMs: 50 }, recoveryIntervalMs: 300 } });
  for (const [i, runId] of runIds.entries()) {
    const tenantId = tenants[i]!.id;
    const run = await waitForStatus(database.db.prisma, tenantId, runId, ['completed', 'failed', 'budget_exceeded'], 45_000);
    expect({ boundary: BOUNDARIES[i], status: run.status }).toEqual({ boundary: BOUNDARIES[i], status: 'completed' });
    expect(run.answer).toMatch(/s1:succeeded.*s2:succeeded.*s3:succeeded/);
    const calls = await database.db.prisma.toolCall.findMany({ where: { tenantId, runId } });
    expect(calls.map((c) => `${c.tool}:${c.status}`).sort()).toEqual(['effects_echo:succeeded', 'effects_put_effect:succeeded', 'effects_record_effect:succeeded']);
    for (const call of calls.filter((c) => c.tool !== 'effects_echo')) {
      expect({ boundary: BOUNDARIES[i], tool: call.tool, applied: effects.applied(call.idempotencyKey) }).toEqual({ boundary: BOUNDARIES[i], tool: call.tool, applied: 1 });
    }
    const steps = await database.db.prisma.step.findMany({ where: { tenantId, runId } });
    expect(steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const events = await resumer.runtime.eventsSince(tenantId, runId, 0);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => k + 1));
  }
  console.log(`resume ${Date.now() - r0} ms`);
}, 120_000);
