import { randomUUID } from 'node:crypto';
import { eventually } from './support/product.js';
import { useProduct } from './support/productAccess.js';

// Issue 11, finding 6: approvers were asked for nothing. Through the whole product (tier 0, the Okta
// sandbox): "unlock my account" for an account that is not locked says so at once, with no approval
// and no unlock call; an identical request by the same person while one is still waiting is merged:
// the employee is told, and no second approval is created.
const env = useProduct();

const SETTLED = ['completed', 'failed', 'budget_exceeded', 'awaiting_approval', 'awaiting_link', 'cancelled'];

async function send(userId: string, text: string): Promise<{ runId: string; status: string; answer: string | null }> {
  const response = await fetch(`${env.product.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, threadId: randomUUID(), clientMessageId: randomUUID(), text }),
  });
  expect(response.status).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  const run = await eventually(async () => {
    const row = (await env.sql.query('SELECT status, answer FROM runs WHERE id = $1', [runId])).rows[0] as { status: string; answer: string | null } | undefined;
    return row && SETTLED.includes(row.status) ? row : undefined;
  }, `the run for "${text}" to settle`);
  return { runId, ...run };
}

const approvalsOf = async (userId: string, tool: string): Promise<{ status: string }[]> =>
  (await env.sql.query('SELECT status FROM approvals WHERE requester_id = $1 AND tool = $2', [userId, tool])).rows as { status: string }[];
const oktaEvents = (type: string): number => env.product.app.sandboxes!.okta.state.count(type);

test('unlocking an account that is not locked asks nobody and changes nothing', async () => {
  const unlocksBefore = oktaEvents('user.account.unlock');
  const run = await send(env.people.alan!, 'unlock my account');
  expect(run.status).toBe('completed');
  expect(run.answer).toMatch(/was not locked, so nothing changed/);
  expect(await approvalsOf(env.people.alan!, 'okta_unlock_my_account')).toEqual([]);
  expect(oktaEvents('user.account.unlock')).toBe(unlocksBefore);
});

test('unlocking a locked account still goes to an approver', async () => {
  const run = await send(env.people.ada!, 'unlock my account');
  expect(run.status).toBe('awaiting_approval');
  expect(await approvalsOf(env.people.ada!, 'okta_unlock_my_account')).toEqual([{ status: 'pending' }]);
});

test('the same request while one is waiting is merged: the employee is told, no second approval', async () => {
  const first = await send(env.people.grace!, 'reset my password');
  expect(first.status).toBe('awaiting_approval');
  const second = await send(env.people.grace!, 'reset my password');
  expect(second.status).toBe('completed');
  expect(second.answer).toMatch(/already asked for exactly this.*still waiting for an approver/);
  expect(await approvalsOf(env.people.grace!, 'okta_reset_my_password')).toEqual([{ status: 'pending' }]);
  const steps = (await env.sql.query('SELECT status FROM steps WHERE run_id = $1', [second.runId])).rows as { status: string }[];
  expect(steps).toEqual([{ status: 'skipped' }]);
});

test('two identical requests at the same moment still ask once', async () => {
  const runs = await Promise.all([send(env.people.margaret!, 'reset my password'), send(env.people.margaret!, 'reset my password')]);
  expect(runs.map((r) => r.status).sort()).toEqual(['awaiting_approval', 'completed']);
  expect(await approvalsOf(env.people.margaret!, 'okta_reset_my_password')).toEqual([{ status: 'pending' }]);
});
