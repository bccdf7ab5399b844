import type { RunEventBody } from '../../../src/events/runEvent.js';
import { eventually } from '../../app/support/product.js';
import { startHarness, TEAM, TENANT, type Harness } from './support/harness.js';
import { runEventFactory } from './support/runEvents.js';

/**
 * Issue 12, finding 2: renderers used to drop any event whose seq was not newer than the last one
 * they saw, so an approval request delivered after a later event reached nobody. Channels now render
 * from the stored log: gaps, duplicates and restarts are caught up from it.
 */
let h: Harness;
const ref = (name: string, id: string) => ({ userId: `user-${id}`, displayName: name, email: `${id}@acme.test` });
const people = [['U0ADA', 'ada', 'Ada Lovelace'], ['U0GRACE', 'grace', 'Grace Hopper'], ['U0LINUS', 'linus', 'Linus Torvalds']] as const;

beforeAll(async () => {
  h = await startHarness();
  for (const [slackId, id, name] of people) h.slack.addUser({ id: slackId, teamId: TEAM, email: `${id}@acme.test`, name });
});

afterAll(async () => {
  await h.close();
});

const plan = { summary: 'Reset your Okta password and look up your profile', steps: [
  { id: 's1', title: 'Look up your Okta profile', tool: 'okta_get_my_profile', status: 'pending' as const },
  { id: 's2', title: 'Reset your Okta password', tool: 'okta_reset_my_password', status: 'pending' as const },
] };

function approvalRequested(approvalId: string, approvers = [ref('Grace Hopper', 'grace'), ref('Linus Torvalds', 'linus')]): RunEventBody {
  return {
    type: 'approval.requested', approvalId, stepId: 's2', tool: 'okta_reset_my_password', action: 'Reset your Okta password', risk: 'high',
    reason: 'Password resets need a second person.', requester: ref('Ada Lovelace', 'ada'), approvers, expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  };
}

const approvalDmsFor = (harness: Harness, approvalId: string) =>
  ['U0GRACE', 'U0LINUS'].flatMap((id) => harness.slack.messages(harness.slack.dmChannelOf(id))).filter((m) => JSON.stringify(m.blocks).includes(approvalId));

test('step.finished (seq 3) delivered before approval.requested (seq 2): every approver still gets the DM, exactly once', async () => {
  const threadTs = '1710000900.000100';
  const run = runEventFactory(TENANT, { channel: 'C0NET', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
  const started = run.next({ type: 'plan.created', plan, tier: 'deterministic' });
  const requested = run.next(approvalRequested('appr-order'));
  const finished = run.next({ type: 'step.finished', stepId: 's1', title: 'Look up your Okta profile', summary: 'Found ada@acme.test' });
  // The engine stores every event before publishing it; parallel steps publish out of order.
  for (const event of [started, requested, finished]) h.bus.log.store(event);
  await h.bus.deliver(started);
  await h.bus.deliver(finished);
  await h.bus.deliver(requested);
  await h.bus.deliver(requested); // a redelivery
  await h.channel.idle();

  const dms = approvalDmsFor(h, 'appr-order');
  expect(dms.map((m) => m.channel).sort()).toEqual([h.slack.dmChannelOf('U0GRACE'), h.slack.dmChannelOf('U0LINUS')].sort());
  const thread = JSON.stringify(h.slack.messages('C0NET').filter((m) => m.threadTs === threadTs).map((m) => m.blocks));
  expect(thread).toContain('Found ada@acme.test');
  expect(thread).toContain('I have asked Grace Hopper and Linus Torvalds');
});

test('an approval request stored but never published (a crash between storing and publishing) is sent when the channel starts again', async () => {
  const threadTs = '1710000901.000100';
  const run = runEventFactory(TENANT, { channel: 'C0NET', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
  await h.bus.publish(run.next({ type: 'plan.created', plan, tier: 'deterministic' }));
  await h.channel.idle();
  h.bus.log.store(run.next(approvalRequested('appr-crash')));
  expect(approvalDmsFor(h, 'appr-crash')).toHaveLength(0);

  // This process goes away (its owner claim lapses); another one runs on the same store and shared state.
  const next = await startHarness({}, { kv: h.infra.kv, eventLog: h.bus.log, catchUpIntervalMs: 50 });
  try {
    for (const [slackId, id, name] of people) next.slack.addUser({ id: slackId, teamId: TEAM, email: `${id}@acme.test`, name });
    await h.infra.kv.delete(`t:${TENANT}:slack:render:${run.runId}`);
    await eventually(async () => (approvalDmsFor(next, 'appr-crash').length === 2 ? true : undefined), 'the approval DMs after catch-up');
    // A late live delivery of the same event, and further sweeps, send nothing more.
    await next.bus.deliver((await h.bus.log.eventsSince(TENANT, run.runId, 1))[0]!);
    await next.channel.idle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await next.channel.idle();
    expect(approvalDmsFor(next, 'appr-crash')).toHaveLength(2);
    expect(approvalDmsFor(h, 'appr-crash')).toHaveLength(0);
  } finally {
    await next.close();
  }
});

test('an approver Slack cannot reach is named in the same note that announces the wait, never "I have asked" them', async () => {
  const threadTs = '1710000902.000100';
  const run = runEventFactory(TENANT, { channel: 'C0NET', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
  await h.bus.publish(run.next({ type: 'plan.created', plan, tier: 'deterministic' }));
  await h.bus.publish(run.next(approvalRequested('appr-nobody', [ref('Margaret Hamilton', 'margaret')])));
  await h.channel.idle();
  const messages = h.slack.messages('C0NET').filter((m) => m.threadTs === threadTs);
  // One progress message carries the announcement and who could not be reached; no separate notice
  // (the only other message is the requester's Cancel button, posted after the announcement).
  expect(messages.filter((m) => JSON.stringify(m.blocks).includes('could not reach'))).toHaveLength(1);
  expect(messages.filter((m) => !JSON.stringify(m.blocks).includes('switchboard_cancel_request'))).toHaveLength(1);
  const text = JSON.stringify(messages[0]?.blocks);
  expect(text).toContain('I could not reach Margaret Hamilton in Slack');
  expect(text).not.toContain('I have asked');
  // The action reads as part of the sentence, not as a capitalised title.
  expect(text).toContain('to reset your Okta password');
  expect(text).not.toContain('to Reset');
});

test('the final edited message states the result once and no longer says it will continue once they decide', async () => {
  const threadTs = '1710000903.000100';
  const run = runEventFactory(TENANT, { channel: 'C0NET', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
  await h.bus.publish(run.next({ type: 'plan.created', plan, tier: 'deterministic' }));
  await h.bus.publish(run.next(approvalRequested('appr-final')));
  await h.bus.publish(run.next({ type: 'approval.decided', approvalId: 'appr-final', decision: 'approved', decidedBy: ref('Grace Hopper', 'grace'), action: 'Reset your Okta password' }));
  await h.bus.publish(run.next({ type: 'step.finished', stepId: 's2', title: 'Reset your Okta password', summary: 'Your Okta password was reset.' }));
  await h.bus.publish(run.next({ type: 'run.completed', text: 'Your Okta password was reset.' }));
  await h.channel.idle();
  const text = JSON.stringify(h.slack.messages('C0NET').find((m) => m.threadTs === threadTs)?.blocks);
  expect(text.split('Your Okta password was reset.').length - 1).toBe(1);
  expect(text).not.toContain('once they decide');
  expect(text).toContain('Approved by Grace Hopper: reset your Okta password.');
});

test('a reminder reaches each approver who was asked; an escalation asks the fallback approver once and tells the requester', async () => {
  h.slack.addUser({ id: 'U0ALAN', teamId: TEAM, email: 'alan@acme.test', name: 'Alan Turing' });
  const threadTs = '1710000904.000100';
  const run = runEventFactory(TENANT, { channel: 'C0NET', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
  const grace = ref('Grace Hopper', 'grace');
  const alan = ref('Alan Turing', 'alan');
  await h.bus.publish(run.next({ type: 'plan.created', plan, tier: 'deterministic' }));
  await h.bus.publish(run.next(approvalRequested('appr-life', [grace])));
  const reminder = run.next({ type: 'approval.reminder', approvalId: 'appr-life', action: 'Reset your Okta password', approvers: [grace], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
  await h.bus.publish(reminder);
  await h.bus.deliver(reminder);
  const escalated = run.next({
    type: 'approval.escalated', approvalId: 'appr-life', stepId: 's2', tool: 'okta_reset_my_password', action: 'Reset your Okta password', risk: 'high',
    reason: 'Password resets need a second person.', requester: ref('Ada Lovelace', 'ada'), added: [alan], approvers: [grace, alan], expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  await h.bus.publish(escalated);
  await h.bus.deliver(escalated);
  await h.channel.idle();

  const graceDms = h.slack.messages(h.slack.dmChannelOf('U0GRACE'));
  expect(graceDms.filter((m) => JSON.stringify(m.blocks).includes('appr-life'))).toHaveLength(1);
  expect(graceDms.filter((m) => m.text.startsWith('Reminder: Ada Lovelace is still waiting for your decision to reset your Okta password'))).toHaveLength(1);
  expect(h.slack.messages(h.slack.dmChannelOf('U0ALAN')).filter((m) => JSON.stringify(m.blocks).includes('appr-life'))).toHaveLength(1);
  const thread = JSON.stringify(h.slack.messages('C0NET').filter((m) => m.threadTs === threadTs).map((m) => m.blocks));
  expect(thread).toContain('No decision yet, so I reminded Grace Hopper.');
  expect(thread).toContain('No decision yet, so I also asked Alan Turing.');
});

test('an approver who was not reachable when the request was made gets it once they are known to the bot, exactly once', async () => {
  const known = new Map<string, string>();
  const late = await startHarness({}, { catchUpIntervalMs: 50, findSlackUser: async (_tenantId, userId) => known.get(userId) ?? null });
  try {
    for (const [slackId, id, name] of people) late.slack.addUser({ id: slackId, teamId: TEAM, email: `${id}@acme.test`, name });
    const threadTs = '1710000905.000100';
    const run = runEventFactory(TENANT, { channel: 'C0NET', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
    await late.bus.publish(run.next({ type: 'plan.created', plan, tier: 'deterministic' }));
    await late.bus.publish(run.next(approvalRequested('appr-late', [ref('Margaret Hamilton', 'margaret')])));
    await late.channel.idle();
    expect(JSON.stringify(late.slack.messages('C0NET').map((m) => m.blocks))).toContain('I could not reach Margaret Hamilton in Slack');

    // Margaret installs the app / writes to the bot: her Slack identity becomes known.
    late.slack.addUser({ id: 'U0MARGARET', teamId: TEAM, email: 'margaret.h@elsewhere.test', name: 'Margaret Hamilton' });
    known.set('user-margaret', 'U0MARGARET');
    const dms = () => late.slack.messages(late.slack.dmChannelOf('U0MARGARET')).filter((m) => JSON.stringify(m.blocks).includes('appr-late'));
    await eventually(async () => (dms().length > 0 ? true : undefined), 'the waiting request reaching Margaret');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await late.channel.idle();
    expect(dms()).toHaveLength(1);
  } finally {
    await late.close();
  }
});
