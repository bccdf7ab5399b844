import { testTenant, turn, waitForStatus } from '../support/engineHarness.js';
import { useEngineWithEffects } from '../support/engineWithEffects.js';

const engine = useEngineWithEffects(testTenant('acme'));

async function execute(script: unknown) {
  const result = await engine.harness.runtime.gateway.submit(turn('acme', 'ada@acme.test', JSON.stringify(script)));
  if (result.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  const finished = await waitForStatus(engine.database.db.prisma, 'acme', result.runId, ['completed', 'failed']);
  const events = await engine.harness.runtime.eventsSince('acme', result.runId, 0);
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
