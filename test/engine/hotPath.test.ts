import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { createHarness, seedTenant, testTenant, turn, waitForStatus, type Harness } from '../support/engineHarness.js';

// Issue 14, deliver 1: the durable work per step is the least the guarantees need. Counted (not
// timed) on the engine's real pool: statements that name this run, by what they touch. A read-only
// idempotent call gets one tool_calls write (no separate start record); the run's steps are read
// once per plan, not three times per step; events take their seq without rewriting the runs row.
// The durability tests (crash, lease, concurrency, chaos) prove the guarantees still hold.

interface Seen {
  readonly text: string;
  readonly values: readonly unknown[];
}

const COUNTED = Symbol('hotPathCounted');

/** Records every statement sent on the pool's clients, existing ones included (wrapped on checkout). */
function recordStatements(pool: pg.Pool): Seen[] {
  const seen: Seen[] = [];
  pool.on('acquire', (client) => {
    const tagged = client as pg.PoolClient & { [COUNTED]?: true };
    if (tagged[COUNTED]) return;
    tagged[COUNTED] = true;
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string; values?: unknown[] };
      const text = typeof first === 'string' ? first : first?.text ?? '';
      const values = (typeof first === 'string' ? (Array.isArray(args[1]) ? args[1] : []) : first?.values ?? []) as unknown[];
      seen.push({ text, values });
      return original(...args);
    };
  });
  return seen;
}

let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
let seen: Seen[];
const tenant = testTenant('acme');

beforeAll(async () => {
  database = await createTestDatabase();
  seen = recordStatements(database.db.pool);
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
  harness = await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 1 });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
});

const touches = (table: string) => new RegExp(`(INSERT INTO|UPDATE|FROM)\\s+("public"\\.)?"?${table}"?[\\s(]`, 'i');
const isWrite = (text: string) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(text) || (/^\s*WITH\b/i.test(text) && /\b(INSERT|UPDATE|DELETE)\b/i.test(text));

async function runReads(k: number): Promise<{ runId: string; mine: Seen[] }> {
  const steps = Array.from({ length: k }, (_, i) => ({ id: `s${i + 1}`, tool: 'effects_echo', args: { text: `hello ${i + 1}` }, title: `Echo ${i + 1}`, dependsOn: i > 0 ? [`s${i}`] : [] }));
  const from = seen.length;
  const result = await harness.runtime.gateway.submit(turn('acme', 'ada@acme.test', JSON.stringify({ say: 'done', steps })));
  if (result.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  const run = await waitForStatus(database.db.prisma, 'acme', result.runId, ['completed', 'failed']);
  expect(run.status).toBe('completed');
  // Statements naming the run, or one of its steps or tool calls (some are addressed by row id only).
  const ids = new Set<unknown>([result.runId]);
  for (const row of await database.db.prisma.step.findMany({ where: { tenantId: 'acme', runId: result.runId }, select: { id: true } })) ids.add(row.id);
  for (const row of await database.db.prisma.toolCall.findMany({ where: { tenantId: 'acme', runId: result.runId }, select: { id: true } })) ids.add(row.id);
  const mine = seen.slice(from).filter((s) => s.values.some((v) => ids.has(v)));
  return { runId: result.runId, mine };
}

test('a read-only step writes its tool call once, and the steps are not re-read per step', async () => {
  const k = 6;
  const { runId, mine } = await runReads(k);

  const calls = await database.db.prisma.toolCall.findMany({ where: { tenantId: 'acme', runId } });
  expect(calls).toHaveLength(k);
  expect(calls.every((c) => c.status === 'succeeded' && c.finishedAt !== null)).toBe(true);

  // One write per read call (before: a `started` insert and a separate finishing update).
  expect(mine.filter((s) => isWrite(s.text) && touches('tool_calls').test(s.text))).toHaveLength(k);
  // The run's steps: read at most once per planner round and once at the end (before: 3 per step).
  const stepReads = mine.filter((s) => /^\s*SELECT/i.test(s.text) && touches('steps').test(s.text));
  expect(stepReads.length).toBeLessThanOrEqual(3);

  // The event sequence is whole and in order without a counter in the runs row.
  const events = await database.db.prisma.runEventRecord.findMany({ where: { tenantId: 'acme', runId }, orderBy: { seq: 'asc' } });
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const types = events.map((e) => e.type);
  expect(types.indexOf('plan.created')).toBeLessThan(types.indexOf('step.started'));
  expect(types.at(-1)).toBe('run.completed');
});

test('per extra step: at most one rewrite of the runs row and two writes in all', async () => {
  const small = await runReads(2);
  const large = await runReads(8);
  const runUpdates = (mine: Seen[]) => mine.filter((s) => /\bUPDATE\s+("public"\.)?"?runs"?\s+SET\b/i.test(s.text)).length;
  // Each step start adds its step to the run's step budget (steps_used): that is the only per-step
  // rewrite left. Before, every event bumped runs.event_seq (about 2 more per step, plus a status write).
  expect(runUpdates(large.mine) - runUpdates(small.mine)).toBeLessThanOrEqual(8 - 2);
  // Each read step is two writes: its start, and its finish with the tool call's record (before:
  // four: start, the call's `started` insert, the call's finishing update, finish).
  const writes = (mine: Seen[]) => mine.filter((s) => isWrite(s.text)).length;
  expect(writes(large.mine) - writes(small.mine)).toBeLessThanOrEqual(2 * (8 - 2));
});
