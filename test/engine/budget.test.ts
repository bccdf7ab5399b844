import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { createHarness, seedTenant, testTenant, turn, waitForStatus, type Harness } from '../support/engineHarness.js';

let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
const tenants = [
  testTenant('steps', { budgets: { perRequest: { steps: 2 } } }),
  testTenant('tokens', { budgets: { perRequest: { tokens: 1000 } } }),
  testTenant('usd', { budgets: { perRequest: { usd: 0.01 } } }),
  testTenant('time', { budgets: { perRequest: { wallTimeMs: 300 } } }),
  testTenant('daily', { budgets: { perUserDay: { tokens: 1000 } } }),
];

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  for (const tenant of tenants) await seedTenant(database.db.prisma, tenant);
  harness = await createHarness({ prisma: database.db.prisma, tenants, effectsUrl: effects.url, workers: 2 });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
});

async function runScript(tenantId: string, script: unknown) {
  const result = await harness.runtime.gateway.submit(turn(tenantId, 'ada@acme.test', JSON.stringify(script)));
  if (result.status !== 'accepted') throw new Error(JSON.stringify(result));
  const finished = await waitForStatus(database.db.prisma, tenantId, result.runId, ['completed', 'failed', 'budget_exceeded']);
  const events = await harness.runtime.eventsSince(tenantId, result.runId, 0);
  return { run: finished, failure: events.find((e) => e.type === 'run.failed') };
}

const echo = (id: string) => ({ id, tool: 'effects_echo', args: { text: id } });

test('the per-request step cap stops the run before the step that would cross it', async () => {
  const { run, failure } = await runScript('steps', { steps: [echo('s1'), { ...echo('s2'), dependsOn: ['s1'] }, { ...echo('s3'), dependsOn: ['s2'] }] });
  expect(run.status).toBe('budget_exceeded');
  expect(run.stepsUsed).toBe(2);
  expect(failure).toMatchObject({ code: 'budget_exceeded', message: expect.stringContaining('limit of 2 actions') });
  const steps = await database.db.prisma.step.findMany({ where: { tenantId: 'steps', runId: run.id } });
  expect(steps.filter((s) => s.status === 'succeeded')).toHaveLength(2);
});

test('the per-request token cap refuses a model call whose reservation would cross it', async () => {
  const { run, failure } = await runScript('tokens', { usage: { inputTokens: 1500, outputTokens: 10, costMicros: 1 } });
  expect(run.status).toBe('budget_exceeded');
  expect(failure?.type === 'run.failed' && failure.message).toContain('1,000 tokens');
  expect(run.tokensUsed).toBe(0);
});

test('the per-request USD cap (integer micro-dollars) stops the run', async () => {
  const { run, failure } = await runScript('usd', { usage: { inputTokens: 10, outputTokens: 10, costMicros: 20_000 } });
  expect(run.status).toBe('budget_exceeded');
  expect(failure?.type === 'run.failed' && failure.message).toContain('$0.01 of AI spend');
});

test('the wall-time cap cancels a slow step and stops the run', async () => {
  const { run, failure } = await runScript('time', { steps: [{ id: 's1', tool: 'effects_sleep', args: { ms: 20_000 } }] });
  expect(run.status).toBe('budget_exceeded');
  expect(failure?.type === 'run.failed' && failure.message).toContain('longer than the 0.3 seconds');
});

test('the per-user daily cap is settled from real usage and then refuses the next request at the gateway', async () => {
  const first = await runScript('daily', { usage: { inputTokens: 900, outputTokens: 100, costMicros: 50 } });
  expect(first.run.status).toBe('completed');
  expect(first.run.tokensUsed).toBe(1000);
  const ledger = await database.db.prisma.usageLedger.findMany({ where: { tenantId: 'daily', runId: first.run.id } });
  expect(ledger).toHaveLength(1);
  expect(Number(ledger[0]!.costMicros)).toBe(50);
  const refused = await harness.runtime.gateway.submit(turn('daily', 'ada@acme.test', 'one more please'));
  expect(refused).toMatchObject({ status: 'refused', code: 'budget_exceeded' });
  expect(refused.status === 'refused' && refused.message).toMatch(/daily limit of 1,000 tokens.*resets at 00:00 UTC \(in \d+ h \d+ min|resets at 00:00 UTC \(in \d+ min/);
  // Another employee of the same tenant still has budget.
  expect(await harness.runtime.gateway.submit(turn('daily', 'alan@acme.test', 'hi'))).toMatchObject({ status: 'accepted' });
});
