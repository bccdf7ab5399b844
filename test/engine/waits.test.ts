import type { Planner } from '../../src/planner/planner.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { createHarness, seedTenant, testTenant, turn, waitForStatus, type Harness } from '../support/engineHarness.js';
import { ScriptedPlanner } from '../support/scriptedPlanner.js';

/**
 * Issue 12, finding 1: the wall-time cap measures active time (planning and executing). Waiting for a
 * person is governed by the approval's own expiry, and a replayed dead letter gets a fresh allowance.
 */
// The issue's own numbers: a 5 s cap, the decision after more than 5 s.
const CAP_MS = 5_000;
let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
let users: Map<string, string>;
/** The planner is down (a plain error every worker rethrows) until the test says otherwise. */
let plannerDown = false;
const tenant = testTenant('waits', {
  budgets: { perRequest: { wallTimeMs: CAP_MS } },
  approvalPolicy: { rules: [{ tools: ['effects_grant_access'], approvers: ['it-admins'] }] },
});

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  users = await seedTenant(database.db.prisma, tenant);
  const scripted = new ScriptedPlanner();
  const planner: Planner = {
    next: (ctx) => (plannerDown ? Promise.reject(new Error('model provider unreachable')) : scripted.next(ctx)),
  };
  harness = await createHarness({
    prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 2,
    overrides: { plannerFor: () => planner, queue: { attempts: 2, backoffMs: 50 } },
  });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an approval given after longer than the wall-time cap still runs the action: waiting is not active time', async () => {
  const submitted = await harness.runtime.gateway.submit(turn('waits', 'ada@acme.test', JSON.stringify({ say: 'done', steps: [{ id: 's1', tool: 'effects_grant_access', args: { group: 'late-approval' } }] })));
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const waiting = await waitForStatus(database.db.prisma, 'waits', submitted.runId, ['awaiting_approval', 'completed', 'failed', 'budget_exceeded']);
  expect(waiting.status).toBe('awaiting_approval');
  await sleep(CAP_MS + 1_000);
  const approval = await database.db.prisma.approval.findFirstOrThrow({ where: { tenantId: 'waits', runId: submitted.runId } });
  expect(await harness.runtime.approvals.decide({ tenantId: 'waits', approvalId: approval.id, deciderUserId: users.get('linus@acme.test')!, decision: 'approve' })).toMatchObject({ status: 'decided' });
  const done = await waitForStatus(database.db.prisma, 'waits', submitted.runId, ['completed', 'failed', 'budget_exceeded']);
  expect(done.status).toBe('completed');
  const call = await database.db.prisma.toolCall.findFirstOrThrow({ where: { tenantId: 'waits', runId: submitted.runId } });
  expect(effects.applied(call.idempotencyKey)).toBe(1);
  expect(done.activeMs).toBeLessThan(CAP_MS);
});

test('a dead letter replayed after longer than the wall-time cap gets a fresh active-time allowance', async () => {
  plannerDown = true;
  const submitted = await harness.runtime.gateway.submit(turn('waits', 'ada@acme.test', 'hello after an outage'));
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const failed = await waitForStatus(database.db.prisma, 'waits', submitted.runId, ['failed', 'completed', 'budget_exceeded']);
  expect(failed.status).toBe('failed');
  const [letter] = await harness.runtime.listDeadLetters('waits');
  expect(letter?.runId).toBe(submitted.runId);
  plannerDown = false;
  await sleep(CAP_MS + 500);
  expect(await harness.runtime.replayDeadLetter('waits', letter!.id)).toBe(true);
  const done = await waitForStatus(database.db.prisma, 'waits', submitted.runId, ['completed', 'failed', 'budget_exceeded']);
  expect(done.status).toBe('completed');
  expect(done.answer).toBe('You said: hello after an outage');
});
