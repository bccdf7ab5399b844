import { testTenant, turn, waitForStatus } from '../support/engineHarness.js';
import { useEngineWithEffects } from '../support/engineWithEffects.js';

// Issue 11, finding 5: step keys repeat across plan versions, so a replan that retried a failed step
// used to get the stored failure back and never ran. A replanned retry takes the next attempt's
// idempotency key and really runs; the crash tests (crash.test.ts) keep the same-attempt half:
// a call left `started` is reconciled under its own key, never repeated.
const engine = useEngineWithEffects(testTenant('acme'));

test('a step that failed and is planned again runs again, once', async () => {
  const step = { id: 's1', tool: 'effects_record_effect', args: { label: 'retry-me' }, title: 'Record it' };
  engine.effects.refuseNextPosts(1);
  const result = await engine.harness.runtime.gateway.submit(turn('acme', 'ada@acme.test', JSON.stringify({ say: 'after retry', steps: [step], replanSteps: [step] })));
  if (result.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  const run = await waitForStatus(engine.database.db.prisma, 'acme', result.runId, ['completed', 'failed']);
  expect(run.status).toBe('completed');
  expect(run.answer).toContain('s1:succeeded');

  const calls = await engine.database.db.prisma.toolCall.findMany({ where: { tenantId: 'acme', runId: result.runId }, orderBy: { startedAt: 'asc' } });
  expect(calls.map((c) => c.status)).toEqual(['failed', 'succeeded']);
  expect(new Set(calls.map((c) => c.stepId)).size).toBe(2);
  expect(calls[0]!.idempotencyKey).not.toBe(calls[1]!.idempotencyKey);
  // The effects server saw the retry, under the new key, exactly once.
  expect(engine.effects.applied(calls[0]!.idempotencyKey)).toBe(0);
  expect(engine.effects.applied(calls[1]!.idempotencyKey)).toBe(1);
  expect([...engine.effects.all().values()].filter((e) => e.label === 'retry-me').map((e) => e.applied)).toEqual([1]);
});

test('a step that succeeded is not repeated when a replan plans it again', async () => {
  const step = { id: 's1', tool: 'effects_record_effect', args: { label: 'once-only' }, title: 'Record it' };
  const result = await engine.harness.runtime.gateway.submit(turn('acme', 'ada@acme.test', JSON.stringify({ say: 'again', steps: [step], replanSteps: [step] })));
  if (result.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  const run = await waitForStatus(engine.database.db.prisma, 'acme', result.runId, ['completed', 'failed']);
  expect(run.status).toBe('completed');
  const calls = await engine.database.db.prisma.toolCall.findMany({ where: { tenantId: 'acme', runId: result.runId } });
  expect(calls).toHaveLength(1);
  expect([...engine.effects.all().values()].filter((e) => e.label === 'once-only').map((e) => e.applied)).toEqual([1]);
});
