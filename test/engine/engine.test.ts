import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { createHarness, linkAccount, seedTenant, testTenant, turn, unlinkAccount, waitForStatus, type Harness } from '../support/engineHarness.js';
import type { RunEvent } from '../../src/events/runEvent.js';

let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
let users: Map<string, string>;
const tenant = testTenant('acme');

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  users = await seedTenant(database.db.prisma, tenant);
  harness = await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 2 });
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
});

async function submit(text: string, email = 'ada@acme.test') {
  const result = await harness.runtime.gateway.submit(turn('acme', email, text));
  if (result.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  return result.runId;
}

test('a plain request is answered, streamed and stored as the assistant message', async () => {
  const seen: RunEvent[] = [];
  const unsubscribe = await harness.runtime.events.subscribe((e) => void seen.push(e));
  const runId = await submit('hello there');
  const run = await waitForStatus(database.db.prisma, 'acme', runId, ['completed', 'failed']);
  await unsubscribe();
  expect(run.status).toBe('completed');
  expect(run.answer).toBe('You said: hello there');
  const events = await harness.runtime.eventsSince('acme', runId, 0);
  expect(events.map((e) => e.type)).toEqual(['run.started', 'message.delta', 'message.delta', 'run.completed']);
  expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  expect(seen.filter((e) => e.runId === runId).map((e) => e.seq).sort()).toEqual([1, 2, 3, 4]);
  const messages = await database.db.prisma.message.findMany({ where: { tenantId: 'acme', runId }, orderBy: { createdAt: 'asc' } });
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
});

test('a DAG plan runs with $ref arguments, records tool calls and answers from the observations', async () => {
  const script = {
    say: 'done',
    steps: [
      { id: 's1', tool: 'effects_echo', args: { text: 'alpha' }, title: 'Echo' },
      { id: 's2', tool: 'effects_echo', args: { text: { $ref: 's1.data.text' } }, dependsOn: ['s1'], title: 'Echo again' },
      { id: 's3', tool: 'effects_put_effect', args: { label: 'p' }, title: 'Put' },
    ],
  };
  const runId = await submit(JSON.stringify(script));
  const run = await waitForStatus(database.db.prisma, 'acme', runId, ['completed', 'failed']);
  expect(run.status).toBe('completed');
  expect(run.answer).toContain('s2:succeeded:{"untrusted":true,"data":{"text":"alpha"}}');
  const calls = await database.db.prisma.toolCall.findMany({ where: { tenantId: 'acme', runId } });
  expect(calls).toHaveLength(3);
  expect(calls.every((c) => c.status === 'succeeded' && c.actingUserId === users.get('ada@acme.test'))).toBe(true);
  expect(effects.applied(calls.find((c) => c.tool === 'effects_put_effect')!.idempotencyKey)).toBe(1);
  expect(run.stepsUsed).toBe(3);
});

test('a failed dependency skips the steps behind it; invalid arguments fail with a clear message', async () => {
  const script = {
    steps: [
      { id: 's1', tool: 'effects_echo', args: { text: 5 } },
      { id: 's2', tool: 'effects_echo', args: { text: 'x' }, dependsOn: ['s1'] },
      { id: 's3', tool: 'nope_tool', args: {} },
    ],
  };
  const runId = await submit(JSON.stringify(script));
  const run = await waitForStatus(database.db.prisma, 'acme', runId, ['completed', 'failed']);
  // Nothing that ran succeeded, so the run honestly ends failed (issue 13), with the answer as its message.
  expect(run.status).toBe('failed');
  const steps = await database.db.prisma.step.findMany({ where: { tenantId: 'acme', runId }, orderBy: { key: 'asc' } });
  expect(steps.map((s) => s.status)).toEqual(['failed', 'skipped', 'failed']);
  expect(JSON.stringify(steps[0]!.error)).toContain('inputs were not valid');
  expect(JSON.stringify(steps[2]!.error)).toContain('do not have a tool called');
});

test('clarify ends the run with the question as the answer', async () => {
  const runId = await submit(JSON.stringify({ clarify: 'Which project?' }));
  const run = await waitForStatus(database.db.prisma, 'acme', runId, ['completed', 'failed']);
  expect(run.answer).toBe('Which project?');
});

test('an unlinked account pauses the run with a link URL, and linking resumes it', async () => {
  const alan = users.get('alan@acme.test')!;
  await unlinkAccount(database.db.prisma, 'acme', alan);
  const runId = await submit(JSON.stringify({ steps: [{ id: 's1', tool: 'effects_record_effect', args: { label: 'after-link' } }] }), 'alan@acme.test');
  const waiting = await waitForStatus(database.db.prisma, 'acme', runId, ['awaiting_link', 'completed', 'failed']);
  expect(waiting.status).toBe('awaiting_link');
  const events = await harness.runtime.eventsSince('acme', runId, 0);
  const link = events.find((e) => e.type === 'account.link_required');
  expect(link).toMatchObject({ connectorId: 'effects', url: expect.stringContaining(`run=${runId}`) });
  await linkAccount(database.db.prisma, 'acme', alan);
  expect(await harness.runtime.onAccountLinked({ tenantId: 'acme', userId: alan, connectorId: 'effects' })).toBe(1);
  const done = await waitForStatus(database.db.prisma, 'acme', runId, ['completed', 'failed']);
  expect(done.status).toBe('completed');
  expect(done.answer).toContain('s1:succeeded');
});
