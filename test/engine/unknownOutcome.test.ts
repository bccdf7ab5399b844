import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { createHarness, seedTenant, testTenant, turn, waitForStatus, type Harness } from '../support/engineHarness.js';

/**
 * Issue 12, finding 6 ("a timeout reported as a failure"): a write whose response was lost or came
 * too late may have been applied. It is read back before anything is reported: applied means
 * succeeded (and nobody asks again to create a duplicate); unknowable means "unconfirmed".
 */
let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
const tenant = testTenant('unknown', { approvalPolicy: { rules: [{ risk: ['write', 'high'], autoApprove: true }] } });

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
  harness = await createHarness({
    prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 2,
    overrides: { resilience: { timeoutMs: 400, retryInitialDelayMs: 10, retryMaxDelayMs: 50 } },
  });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
});

async function runWrite(label: string) {
  const submitted = await harness.runtime.gateway.submit(turn('unknown', 'ada@acme.test', JSON.stringify({ say: 'result', steps: [{ id: 's1', tool: 'effects_record_effect', args: { label } }] })));
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const run = await waitForStatus(database.db.prisma, 'unknown', submitted.runId, ['completed', 'failed', 'budget_exceeded']);
  const call = await database.db.prisma.toolCall.findFirstOrThrow({ where: { tenantId: 'unknown', runId: run.id } });
  return { run, call };
}

test.each(['late:ticket', 'lost:ticket'])('a write answered %s is read back and reported as done, once', async (label) => {
  const { run, call } = await runWrite(label);
  expect(run.status).toBe('completed');
  expect(call.status).toBe('succeeded');
  expect(run.answer).toContain('s1:succeeded');
  expect(effects.applied(call.idempotencyKey)).toBe(1);
});


test('a write whose outcome cannot be read back is reported as unconfirmed, not as a failure', async () => {
  const submitted = await harness.runtime.gateway.submit(turn('unknown', 'ada@acme.test', JSON.stringify({ say: 'result', steps: [{ id: 's1', tool: 'effects_put_effect', args: { label: 'lost:no-read-back' } }] })));
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const run = await waitForStatus(database.db.prisma, 'unknown', submitted.runId, ['completed', 'failed', 'budget_exceeded']);
  const call = await database.db.prisma.toolCall.findFirstOrThrow({ where: { tenantId: 'unknown', runId: run.id } });
  expect(call.status).toBe('unverified');
  expect(call.error).toMatchObject({ code: 'tool_unconfirmed', message: expect.stringContaining('could not confirm whether it took effect') });
  expect(run.answer).toContain('s1:unverified');
});
