/**
 * Engine overhead per step with persistence on: a 10-step sequential plan of instant tools, run many
 * times on one worker. Overhead = time between consecutive durable step boundaries minus the tool's
 * own execution time (planner time is outside the measured window). Prints p50/p99 in microseconds.
 * Database: DATABASE_URL, else a scratch database on TEST_DATABASE_URL, else embedded PGlite.
 */
import { z } from 'zod';
import { createLogger } from '../src/core/logger.js';
import { tenantSchema } from '../src/config/tenantConfig.js';
import { createEngineRuntime } from '../src/engine/runtime.js';
import { createInfra } from '../src/infra/createInfra.js';
import type { Planner } from '../src/planner/planner.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { defineTool, type ToolDefinition } from '../src/tools/tool.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const STEPS = 10;
const logger = createLogger({ level: 'silent' });

async function database(): Promise<{ db: Database; drop(): Promise<void>; label: string }> {
  if (process.env.DATABASE_URL) {
    const db = await openDatabase({ url: process.env.DATABASE_URL, logger });
    return { db, drop: () => db.close(), label: 'postgres (DATABASE_URL)' };
  }
  try {
    const { createTestDatabase } = await import('../test/support/database.js');
    const scratch = await createTestDatabase();
    return { db: scratch.db, drop: () => scratch.drop(), label: 'postgres (scratch database on TEST_DATABASE_URL)' };
  } catch {
    const db = await openDatabase({ logger });
    return { db, drop: () => db.close(), label: 'embedded PGlite' };
  }
}

const toolNanos = new Map<string, number>();
const noop = defineTool({
  name: 'noop',
  description: 'Does nothing, instantly.',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  risk: 'read',
  idempotent: true,
  scopes: [],
  execute: async (ctx, args) => {
    const start = process.hrtime.bigint();
    const out = { n: args.n };
    toolNanos.set(`${ctx.runId}:${ctx.stepId}`, Number(process.hrtime.bigint() - start));
    return out;
  },
}) as ToolDefinition;

const planner: Planner = {
  async next(ctx) {
    if (ctx.iteration > 0) return { kind: 'answer', text: 'done', tier: 'deterministic' };
    const steps = Array.from({ length: STEPS }, (_, i) => ({ id: `s${i + 1}`, tool: 'noop', args: { n: i }, dependsOn: i > 0 ? [`s${i}`] : [], title: `Step ${i + 1}` }));
    return { kind: 'plan', plan: { steps, replanAfter: false }, tier: 'deterministic', reason: 'bench' };
  },
};

const { db, drop, label } = await database();
const tenant = tenantSchema.parse({ id: 'bench', name: 'Bench', users: [{ email: 'ada@acme.test', displayName: 'Ada' }], rateLimits: { perUserPerMinute: 100_000 } });
await db.prisma.tenant.upsert({ where: { id: 'bench' }, create: { id: 'bench', name: 'Bench', config: {} }, update: {} });
await db.prisma.user.upsert({ where: { tenantId_email: { tenantId: 'bench', email: 'ada@acme.test' } }, create: { tenantId: 'bench', email: 'ada@acme.test', displayName: 'Ada' }, update: {} });
const infra = await createInfra({ ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL, keyPrefix: `sbbench:${process.pid}:` } : {}), logger });

const marks = new Map<string, bigint>();
const overheads: number[] = [];
const runtime = createEngineRuntime({
  db, infra, tenants: [tenant], connectorModules: {}, plannerFor: () => planner,
  extraTools: () => [{ name: 'noop', definition: noop }],
  credentialsFor: () => { throw new Error('no connectors in the bench'); },
  linkUrl: async () => 'http://localhost/link',
  logger, workers: 1,
  onBoundary: (point, info) => {
    const now = process.hrtime.bigint();
    if (point === 'run.planned') marks.set(info.runId, now);
    if (point !== 'step.recorded') return;
    const previous = marks.get(info.runId);
    marks.set(info.runId, now);
    if (previous === undefined) return;
    overheads.push(Number(now - previous));
  },
});
await runtime.start();
const finished = new Map<string, (ok: boolean) => void>();
const unsubscribe = await runtime.events.subscribe((event) => {
  if (event.type !== 'run.completed' && event.type !== 'run.failed') return;
  finished.get(event.runId)?.(event.type === 'run.completed');
});

const runIds: string[] = [];
const toolTimes: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const result = await runtime.gateway.submit({
    channel: 'web', deliveryId: `bench-${Date.now()}-${i}`, tenantId: 'bench',
    platformUser: { externalId: 'ada', teamId: 'web', email: 'ada@acme.test' },
    conversation: { externalId: `bench-thread-${i}`, address: {} }, text: 'bench', receivedAt: new Date().toISOString(),
  });
  if (result.status !== 'accepted') throw new Error(JSON.stringify(result));
  runIds.push(result.runId);
  // Waiting on the run's own terminal event keeps the bench from competing with the engine for the pool.
  await new Promise<void>((resolve, reject) => finished.set(result.runId, (ok) => (ok ? resolve() : reject(new Error('bench run failed')))));
}
await unsubscribe();
for (const nanos of toolNanos.values()) toolTimes.push(nanos);
await runtime.stop();
await infra.close();
await drop();

const meanTool = toolTimes.reduce((s, n) => s + n, 0) / Math.max(1, toolTimes.length);
const perStep = overheads.map((n) => (n - meanTool) / 1000).sort((x, y) => x - y);
const pct = (p: number) => perStep[Math.min(perStep.length - 1, Math.floor((p / 100) * perStep.length))] ?? 0;
// The first runs warm Prisma's query plans and the pool; they are part of the figures on purpose.
console.log(`engine overhead per step (${label}, ${process.env.REDIS_URL ? 'redis' : 'in-process'} infra, ${RUNS} runs x ${STEPS} steps, tool time excluded)`);
console.log(`  p50 ${Math.round(pct(50))} us   p99 ${Math.round(pct(99))} us   samples ${perStep.length}   mean tool time ${Math.round(meanTool / 1000)} us`);
