import type { RunEvent } from '../../src/events/runEvent.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, waitForStatus, type Harness } from '../support/engineHarness.js';

/**
 * Issue 12, finding 5 / deliverable 7: reminders and escalation are durable timers (stored due
 * times claimed once by the sweep), driven here by a controllable clock across a restart.
 */
let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
let users: Map<string, string>;
const prefix = uniquePrefix('lifecycle');
const MINUTE = 60_000;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const tenant = testTenant('acme', {
  approvalPolicy: {
    rules: [{ tools: ['effects_grant_access'], approvers: ['it-admins'] }, { risk: ['write'], autoApprove: true }],
    expiresAfterMinutes: 3 * 24 * 60,
    remindAfterMinutes: 60,
    escalateAfterMinutes: 24 * 60,
    escalateTo: ['manager'],
  },
});

const start = () => createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 1, redisPrefix: prefix, overrides: { approvalClock: clock, recoveryIntervalMs: 0 } });

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

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

test('one reminder after the delay, one escalation to the fallback group after the timeout, across a restart; the fallback approver can decide', async () => {
  const submitted = await harness.runtime.gateway.submit(turn('acme', 'ada@acme.test', JSON.stringify({ say: 'done', steps: [{ id: 's1', tool: 'effects_grant_access', args: { group: 'vpn-admins' } }] })));
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const run = await waitForStatus(database.db.prisma, 'acme', submitted.runId, ['awaiting_approval', 'completed', 'failed']);
  expect(run.status).toBe('awaiting_approval');
  const approval = await database.db.prisma.approval.findFirstOrThrow({ where: { tenantId: 'acme', runId: run.id } });
  const sweep = () => harness.runtime.approvalLifecycle.sweep('acme');

  expect(await sweep()).toEqual({ reminded: 0, escalated: 0 });
  offsetMs = 61 * MINUTE;
  expect(await sweep()).toEqual({ reminded: 1, escalated: 0 });
  expect(await sweep()).toEqual({ reminded: 0, escalated: 0 });

  // Every process restarts; the timers are in the store, not in memory.
  await harness.close();
  harness = await start();
  offsetMs = 2 * 60 * MINUTE;
  expect(await sweep()).toEqual({ reminded: 0, escalated: 0 });
  offsetMs = 25 * 60 * MINUTE;
  const [a, b] = await Promise.all([sweep(), sweep()]);
  expect(a.escalated + b.escalated).toBe(1);
  expect(await sweep()).toEqual({ reminded: 0, escalated: 0 });

  const events = await harness.runtime.eventsSince('acme', run.id, 0);
  const reminders = ofType(events, 'approval.reminder');
  expect(reminders).toHaveLength(1);
  expect(reminders[0]!.approvers.map((p) => p.email)).toEqual(['linus@acme.test']);
  const escalations = ofType(events, 'approval.escalated');
  expect(escalations).toHaveLength(1);
  expect(escalations[0]!.added.map((p) => p.email)).toEqual(['grace@acme.test']);
  expect(escalations[0]!.approvers.map((p) => p.email).sort()).toEqual(['grace@acme.test', 'linus@acme.test']);

  const decided = await harness.runtime.approvals.decide({ tenantId: 'acme', approvalId: approval.id, deciderUserId: users.get('grace@acme.test')!, decision: 'approve' });
  expect(decided).toMatchObject({ status: 'decided', decision: 'approved' });
  const done = await waitForStatus(database.db.prisma, 'acme', run.id, ['completed', 'failed']);
  expect(done.status).toBe('completed');
  // A decided request is never reminded or escalated again.
  offsetMs = 48 * 60 * MINUTE;
  expect(await sweep()).toEqual({ reminded: 0, escalated: 0 });
});
