/**
 * Issue 12 acceptance: the long-wait soak. SOAK_RUNS runs (default 100) wait on approvals and a
 * fifth as many on an account link; the lifecycle clock moves by hours and days; every process
 * restarts while they wait; the link is made days later and notified twice; the decisions
 * arrive days later in random order, each delivered twice (the same approver clicking twice, and
 * the other approver racing), and each run's stored events are delivered to a renderer's cursor
 * duplicated and reordered. Every run ends exactly once in the right state, each side effect happens
 * once (none for a denial), every approver got exactly one request, and every due reminder was sent
 * once. Real PostgreSQL + Redis; 12–30 s for 100 runs here (SOAK_RUNS / SOAK_SEED to vary it).
 */
import type { RunEvent } from '../../src/events/runEvent.js';
import { RunCursor } from '../../src/channels/runView/runCursor.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, linkAccount, seedTenant, testTenant, turn, uniquePrefix, unlinkAccount, waitForStatus, type Harness } from '../support/engineHarness.js';

const RUNS = Number(process.env.SOAK_RUNS ?? 100);
/** Runs waiting for an account link instead (Grace has not connected her account yet). */
const LINK_RUNS = Math.max(1, Math.floor(RUNS / 5));
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
let users: Map<string, string>;
const prefix = uniquePrefix('soak');
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const tenant = testTenant('acme', {
  rateLimits: { perUserPerMinute: 10_000, perTenantPerMinute: 100_000 },
  approvalPolicy: {
    rules: [{ tools: ['effects_grant_access'], approvers: ['it-admins', 'manager'] }, { risk: ['write'], autoApprove: true }],
    expiresAfterMinutes: 7 * 24 * 60,
    remindAfterMinutes: 60,
  },
});

/** Seeded, so a failure can be replayed (SOAK_SEED). */
let seed = Number(process.env.SOAK_SEED ?? 12);
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const start = () => createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 2, redisPrefix: prefix, overrides: { approvalClock: clock } });

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  users = await seedTenant(database.db.prisma, tenant);
  harness = await start();
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

const ofType = <T extends RunEvent['type']>(events: readonly RunEvent[], type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

test(`${RUNS} runs wait on approvals across a restart, decided days later in random order with duplicates: each ends once, acts once`, async () => {
  const prisma = database.db.prisma;
  const requesters = ['ada@acme.test', 'alan@acme.test'];
  const runIds: string[] = [];
  await inBatches([...Array(RUNS).keys()], 10, async (i) => {
    const text = JSON.stringify({ say: 'done', steps: [{ id: 's1', tool: 'effects_grant_access', args: { group: `soak-${i}` } }] });
    const submitted = await harness.runtime.gateway.submit(turn('acme', requesters[i % 2]!, text));
    if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
    runIds.push(submitted.runId);
  });
  for (const runId of runIds) expect((await waitForStatus(prisma, 'acme', runId, ['awaiting_approval', 'completed', 'failed'], 120_000)).status).toBe('awaiting_approval');
  const graceId = users.get('grace@acme.test')!;
  await unlinkAccount(prisma, 'acme', graceId);
  const linkRunIds: string[] = [];
  await inBatches([...Array(LINK_RUNS).keys()], 10, async (i) => {
    const text = JSON.stringify({ say: 'done', steps: [{ id: 's1', tool: 'effects_record_effect', args: { label: `soak-link-${i}` } }] });
    const submitted = await harness.runtime.gateway.submit(turn('acme', 'grace@acme.test', text));
    if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
    linkRunIds.push(submitted.runId);
  });
  for (const runId of linkRunIds) expect((await waitForStatus(prisma, 'acme', runId, ['awaiting_link', 'completed', 'failed'], 120_000)).status).toBe('awaiting_link');
  const approvals = await prisma.approval.findMany({ where: { tenantId: 'acme', runId: { in: runIds } } });
  expect(approvals).toHaveLength(RUNS);

  // An hour later every request is due one reminder; a second sweep sends none.
  offsetMs = 61 * MINUTE;
  const sweep = () => harness.runtime.approvalLifecycle.sweep('acme');
  const [a, b] = await Promise.all([sweep(), sweep()]);
  expect(a.reminded + b.reminded).toBe(RUNS);

  // Every process restarts while the runs wait; then days pass.
  await harness.close();
  harness = await start();
  offsetMs = 3 * DAY;
  expect((await sweep()).reminded).toBe(0);

  // Decisions arrive in random order, each twice: the same approver again and the other approver racing.
  const linus = users.get('linus@acme.test')!;
  const grace = users.get('grace@acme.test')!;
  const wanted = new Map(approvals.map((approval) => [approval.id, random() < 0.7 ? ('approve' as const) : ('deny' as const)]));
  const deliveries = shuffle(approvals.flatMap((approval) => {
    const first = random() < 0.5 ? linus : grace;
    const decision = wanted.get(approval.id)!;
    return [
      { approvalId: approval.id, decider: first, decision },
      { approvalId: approval.id, decider: first, decision },
      { approvalId: approval.id, decider: first === linus ? grace : linus, decision },
    ];
  }));
  const decided = new Map<string, number>();
  await inBatches(deliveries, 12, async (d) => {
    const result = await harness.runtime.approvals.decide({ tenantId: 'acme', approvalId: d.approvalId, deciderUserId: d.decider, decision: d.decision });
    if (result.status === 'decided') decided.set(d.approvalId, (decided.get(d.approvalId) ?? 0) + 1);
    else expect(result).toMatchObject({ code: 'already_decided' });
  });
  expect([...decided.values()].every((n) => n === 1)).toBe(true);
  expect(decided.size).toBe(RUNS);

  let applied = 0;
  for (const approval of approvals) {
    const run = await waitForStatus(prisma, 'acme', approval.runId, ['completed', 'failed', 'cancelled', 'budget_exceeded'], 120_000);
    const events = await harness.runtime.eventsSince('acme', run.id, 0);
    // Ends exactly once.
    expect(ofType(events, 'run.completed').length + ofType(events, 'run.failed').length).toBe(1);
    // Every approver got exactly one request, and one reminder.
    const requested = ofType(events, 'approval.requested');
    expect(requested).toHaveLength(1);
    expect(requested[0]!.approvers.map((p) => p.userId).sort()).toEqual([grace, linus].sort());
    expect(ofType(events, 'approval.reminder')).toHaveLength(1);
    expect(ofType(events, 'approval.decided').map((e) => e.decision)).toEqual([wanted.get(approval.id) === 'approve' ? 'approved' : 'denied']);
    const call = await prisma.toolCall.findFirst({ where: { tenantId: 'acme', runId: run.id } });
    if (wanted.get(approval.id) === 'approve') {
      expect(run.status).toBe('completed');
      expect(effects.applied(call!.idempotencyKey)).toBe(1);
      applied += 1;
    } else {
      expect(call === null || effects.applied(call.idempotencyKey) === 0).toBe(true);
    }

    // A renderer receiving this run's events duplicated and reordered applies each once, in order.
    const cursor = new RunCursor();
    const delivered = shuffle([...events, ...events.filter(() => random() < 0.5)]);
    const rendered: RunEvent[] = [];
    for (let i = 0; i < delivered.length; i += 3) rendered.push(...cursor.offer(delivered.slice(i, i + 3)));
    expect(rendered.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(ofType(rendered, 'approval.requested')).toHaveLength(1);
  }
  expect(applied).toBe([...wanted.values()].filter((d) => d === 'approve').length);

  // Grace connects her account days later; the notification arrives twice. Each waiting run resumes once.
  await linkAccount(prisma, 'acme', graceId);
  const [first, second] = await Promise.all([
    harness.runtime.onAccountLinked({ tenantId: 'acme', userId: graceId, connectorId: 'effects' }),
    harness.runtime.onAccountLinked({ tenantId: 'acme', userId: graceId, connectorId: 'effects' }),
  ]);
  expect(first + second).toBeGreaterThanOrEqual(LINK_RUNS);
  for (const runId of linkRunIds) {
    const run = await waitForStatus(prisma, 'acme', runId, ['completed', 'failed', 'cancelled', 'budget_exceeded'], 120_000);
    expect(run.status).toBe('completed');
    const events = await harness.runtime.eventsSince('acme', runId, 0);
    expect(ofType(events, 'run.completed').length + ofType(events, 'run.failed').length).toBe(1);
    expect(ofType(events, 'account.link_required')).toHaveLength(1);
    const call = await prisma.toolCall.findFirstOrThrow({ where: { tenantId: 'acme', runId } });
    expect(effects.applied(call.idempotencyKey)).toBe(1);
  }
  console.log(`approval soak: ${RUNS} approval runs, ${applied} approved (applied once each), ${RUNS - applied} denied, ${deliveries.length} decision deliveries; ${LINK_RUNS} link runs resumed once each`);
}, 300_000);
