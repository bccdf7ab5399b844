import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { createHarness, seedTenant, testTenant, turn, waitForStatus, type Harness } from '../support/engineHarness.js';

let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
const tenant = testTenant('acme');

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
  harness = await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 1 });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
});

async function execute(script: unknown) {
  const result = await harness.runtime.gateway.submit(turn('acme', 'ada@acme.test', JSON.stringify(script)));
  if (result.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  const finished = await waitForStatus(database.db.prisma, 'acme', result.runId, ['completed', 'failed']);
  const events = await harness.runtime.eventsSince('acme', result.runId, 0);
  return { run: finished, events };
}

test('a run whose only step failed ends failed, with the answer as the failure message', async () => {
  const { run, events } = await execute({ say: 'That did not work.', steps: [{ id: 's1', tool: 'effects_echo', args: { text: 5 } }] });
  expect(run.status).toBe('failed');
  expect(run.error).toMatchObject({ code: 'all_steps_failed' });
  const last = events[events.length - 1]!;
  expect(last).toMatchObject({ type: 'run.failed', code: 'all_steps_failed' });
  expect(events.some((e) => e.type === 'run.completed')).toBe(false);
});

test('a partly failed run ends completed (the answer calls out the failure)', async () => {
  const { run, events } = await execute({
    say: 'partly done',
    steps: [{ id: 's1', tool: 'effects_echo', args: { text: 'ok' } }, { id: 's2', tool: 'effects_echo', args: { text: 5 } }],
  });
  expect(run.status).toBe('completed');
  expect(events[events.length - 1]).toMatchObject({ type: 'run.completed' });
});
