import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { createHarness, seedTenant, testTenant, turn, waitForStatus, type Harness } from '../support/engineHarness.js';
import { RunEventsTable } from '../../src/engine/persistence/runEventsTable.js';
import { ToolCallsTable } from '../../src/engine/persistence/toolCallsTable.js';

let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
const a = testTenant('tenant-a');
const b = testTenant('tenant-b');
let usersB: Map<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, a);
  usersB = await seedTenant(database.db.prisma, b);
  harness = await createHarness({ prisma: database.db.prisma, tenants: [a, b], effectsUrl: effects.url, workers: 2 });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
});

test("tenant A's runs, steps, tool calls, approvals, events, ledger and dead letters are invisible to every query for tenant B", async () => {
  const submit = async (text: string) => {
    const result = await harness.runtime.gateway.submit(turn('tenant-a', 'ada@acme.test', text));
    if (result.status !== 'accepted') throw new Error('not accepted');
    return waitForStatus(database.db.prisma, 'tenant-a', result.runId, ['completed', 'awaiting_approval', 'failed']);
  };
  const completed = await submit(JSON.stringify({ usage: { inputTokens: 10, outputTokens: 5, costMicros: 3 }, steps: [{ id: 's1', tool: 'effects_record_effect', args: { label: 'a' } }] }));
  const waiting = await submit(JSON.stringify({ steps: [{ id: 's1', tool: 'effects_grant_access', args: { group: 'admins' } }] }));
  expect([completed.status, waiting.status]).toEqual(['completed', 'awaiting_approval']);
  const approval = await database.db.prisma.approval.findFirstOrThrow({ where: { tenantId: 'tenant-a', runId: waiting.id } });
  const step = await database.db.prisma.step.findFirstOrThrow({ where: { tenantId: 'tenant-a', runId: waiting.id } });
  const letter = await harness.runtime.tables.deadLetters.record({ tenantId: 'tenant-a', runId: completed.id, reason: 'test', error: { code: 'x', message: 'y' }, attempts: 1 });

  // Sanity: the same queries made for tenant A do see the data.
  const { tables } = harness.runtime;
  expect(await tables.runs.get('tenant-a', completed.id)).not.toBeNull();
  expect((await harness.runtime.eventsSince('tenant-a', completed.id, 0)).length).toBeGreaterThan(3);

  for (const runId of [completed.id, waiting.id]) {
    expect(await tables.runs.get('tenant-b', runId)).toBeNull();
    expect(await tables.runs.update('tenant-b', runId, { status: 'cancelled' })).toBe(false);
    expect(await tables.steps.listForRun('tenant-b', runId)).toEqual([]);
    expect(await new ToolCallsTable(database.db.prisma).listForRun('tenant-b', runId)).toEqual([]);
    expect(await harness.runtime.eventsSince('tenant-b', runId, 0)).toEqual([]);
    expect(await new RunEventsTable(database.db.prisma).append('tenant-b', runId, (seq, at) => ({ type: 'run.status', status: 'failed', seq, at } as never))).toBeNull();
    expect(await tables.usage.listForRun('tenant-b', runId)).toEqual([]);
  }
  expect(await tables.runs.listInStatuses('tenant-b', ['completed', 'awaiting_approval'])).toEqual([]);
  expect(await tables.approvals.get('tenant-b', approval.id)).toBeNull();
  expect(await tables.approvals.forStep('tenant-b', step.id)).toBeNull();
  expect(await tables.approvals.decide('tenant-b', approval.id, { status: 'approved', deciderId: usersB.get('linus@acme.test')! })).toBeNull();
  expect(await tables.approvals.expireDue('tenant-b')).toEqual([]);
  expect(await tables.deadLetters.list('tenant-b')).toEqual([]);
  expect(await tables.deadLetters.markReplayed('tenant-b', letter.id)).toBeNull();
  expect(await harness.runtime.replayDeadLetter('tenant-b', letter.id)).toBe(false);
  expect((await tables.usage.totals('tenant-b', new Date(new Date().toISOString().slice(0, 10)))).tokens).toBe(0);
  expect(await tables.directory.userById('tenant-b', completed.userId)).toBeNull();
  expect(await harness.runtime.approvals.decide({ tenantId: 'tenant-b', approvalId: approval.id, deciderUserId: usersB.get('linus@acme.test')!, decision: 'approve' })).toMatchObject({ status: 'refused', code: 'wrong_tenant' });
  expect(await harness.runtime.onAccountLinked({ tenantId: 'tenant-b', userId: waiting.userId, connectorId: 'effects' })).toBe(0);
  // Nothing of A changed through B's calls.
  expect((await tables.approvals.get('tenant-a', approval.id))?.status).toBe('pending');
  expect((await tables.runs.get('tenant-a', completed.id))?.status).toBe('completed');
});

test('daily budget counters and delivery dedup carry their tenant', async () => {
  const result = await harness.runtime.gateway.submit(turn('tenant-b', 'ada@acme.test', JSON.stringify({ usage: { inputTokens: 7, outputTokens: 1, costMicros: 1 } }), { deliveryId: 'shared-delivery' }));
  expect(result.status).toBe('accepted');
  // The same delivery id in another tenant is a different delivery.
  expect((await harness.runtime.gateway.submit(turn('tenant-a', 'ada@acme.test', 'hi', { deliveryId: 'shared-delivery' }))).status).toBe('accepted');
  if (result.status === 'accepted') await waitForStatus(database.db.prisma, 'tenant-b', result.runId, ['completed']);
  const day = new Date().toISOString().slice(0, 10);
  expect(await harness.infra.kv.get(`t:tenant-b:budget:${day}:tenant:tokens`)).toBe('8');
  // Deliveries are settled by the run row, unique per tenant (issue 12): one run in each tenant.
  expect(await database.db.prisma.run.count({ where: { tenantId: 'tenant-b', deliveryId: 'shared-delivery' } })).toBe(1);
  expect(await database.db.prisma.run.count({ where: { tenantId: 'tenant-a', deliveryId: 'shared-delivery' } })).toBe(1);
});
