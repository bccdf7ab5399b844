import { postSlackInteraction } from '../../support/slackSigning.js';
import type { FakeMessage } from '../../support/fakeSlackApi.js';
import { OTHER_TEAM, OTHER_TENANT, SIGNING_SECRET, startHarness, TEAM, TENANT, type Harness } from './support/harness.js';
import { runEventFactory } from './support/runEvents.js';
import { clickPayload } from './support/clicks.js';

let h: Harness;
const APPROVAL = 'appr-0001';
const threadTs = '1710000100.000100';
const run = runEventFactory(TENANT, { channel: 'D0ADA', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'stream' });
const ref = (name: string, id: string) => ({ userId: `user-${id}`, displayName: name, email: `${id}@acme.test` });

beforeAll(async () => {
  h = await startHarness();
  for (const [slackId, id, name] of [['U0ADA', 'ada', 'Ada Lovelace'], ['U0GRACE', 'grace', 'Grace Hopper'], ['U0LINUS', 'linus', 'Linus Torvalds'], ['U0ALAN', 'alan', 'Alan Turing']] as const) {
    h.slack.addUser({ id: slackId, teamId: TEAM, email: `${id}@acme.test`, name });
    h.people.set(slackId, { tenantId: TENANT, userId: `user-${id}` });
  }
  h.people.set('U0STRANGER', { tenantId: OTHER_TENANT, userId: 'user-stranger' });
  h.people.set('U0MOLE', { tenantId: OTHER_TENANT, userId: 'user-mole' });
  h.decider.add(APPROVAL, { tenantId: TENANT, requesterId: 'user-ada', approverIds: ['user-grace', 'user-linus'], action: 'reset the Okta password of ada@acme.test', expiresAt: new Date(Date.now() + 3600_000) });
  await h.bus.publish(run.next({ type: 'plan.created', plan: { summary: 'Reset your Okta password', steps: [{ id: 's1', title: 'Reset the password', tool: 'okta_reset_my_password', status: 'pending' }] }, tier: 'deterministic' }));
  await h.bus.publish(run.next({
    type: 'approval.requested',
    approvalId: APPROVAL,
    stepId: 's1',
    tool: 'okta_reset_my_password',
    action: 'reset the Okta password of ada@acme.test',
    risk: 'high',
    reason: 'Password resets are high-risk <policy: okta_*>',
    requester: ref('Ada Lovelace', 'ada'),
    approvers: [ref('Grace Hopper', 'grace'), ref('Linus Torvalds', 'linus')],
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  }));
  await h.channel.idle();
});

afterAll(async () => {
  await h.close();
});

const dmOf = (slackUserId: string): FakeMessage => {
  // The bot posts exactly one message into each approver's DM in this file: the approval request.
  const message = h.slack.messages(h.slack.dmChannelOf(slackUserId))[0];
  if (!message) throw new Error(`no approval DM for ${slackUserId}`);
  return message;
};
type Block = { type: string; elements?: Record<string, unknown>[]; text?: { text: string } };
const actionsOf = (message: FakeMessage) => (message.blocks as Block[]).find((b) => b.type === 'actions');
const click = (userId: string, teamId: string, actionId: string, message = dmOf('U0GRACE'), value?: string) =>
  postSlackInteraction(`${h.eventsUrl}`, SIGNING_SECRET, clickPayload({ userId, teamId, message, actionId, ...(value ? { value } : {}) }));
const ephemeralFor = (userId: string) => h.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === userId);

test('each approver gets a DM with who, what, why and Approve/Deny buttons carrying only the approval id', () => {
  for (const approver of ['U0GRACE', 'U0LINUS']) {
    const message = dmOf(approver);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Ada Lovelace');
    expect(text).toContain('reset the Okta password of ada@acme.test');
    expect(text).toContain('okta_reset_my_password');
    expect(text).toContain('Password resets are high-risk &lt;policy: okta＿＊&gt;');
    const [approve, deny] = actionsOf(message)?.elements ?? [];
    expect(approve).toMatchObject({ type: 'button', action_id: 'switchboard_approve', style: 'primary', value: APPROVAL });
    expect(approve?.confirm).toMatchObject({ confirm: { text: 'Approve' }, deny: { text: 'Cancel' } });
    expect(deny).toMatchObject({ type: 'button', action_id: 'switchboard_deny', style: 'danger', value: APPROVAL });
  }
  expect(h.slack.calls('users.lookupByEmail').map((c) => c.args.email).sort()).toEqual(['grace@acme.test', 'linus@acme.test']);
});

test("the requester's thread says whom it is waiting for", () => {
  const stream = h.slack.messages('D0ADA').find((m) => m.threadTs === threadTs);
  expect(stream?.text).toContain('Waiting for approval by Grace Hopper, Linus Torvalds');
});

describe('forged and misplaced clicks are refused and change nothing', () => {
  test.each([
    ['a non-approver', 'U0ALAN', TEAM, /not an approver/],
    ['the requester', 'U0ADA', TEAM, /cannot approve your own/],
    ['someone from another workspace (other tenant)', 'U0STRANGER', OTHER_TEAM, /could not find that approval/],
    ['a person of another tenant clicking in this workspace', 'U0MOLE', TEAM, /different organisation/],
    ['an unknown person', 'U0NOBODY', TEAM, /could not match your Slack account/],
  ])('%s', async (_label, userId, teamId, expected) => {
    const editsBefore = dmOf('U0GRACE').edits;
    const res = await click(userId, teamId, 'switchboard_approve');
    expect(res.status).toBe(200);
    const refusal = await ephemeralFor(userId);
    expect(String(refusal.args.text)).toMatch(expected);
    await h.channel.idle();
    expect(dmOf('U0GRACE').edits).toBe(editsBefore);
    expect(actionsOf(dmOf('U0GRACE'))).toBeDefined();
    expect(h.decider.approvals.get(APPROVAL)?.decided).toBeUndefined();
  });

  test('a forged signature is rejected before anything runs', async () => {
    const calls = h.decider.calls.length;
    const res = await postSlackInteraction(h.eventsUrl, SIGNING_SECRET, clickPayload({ userId: 'U0GRACE', teamId: TEAM, message: dmOf('U0GRACE'), actionId: 'switchboard_approve' }), { signWith: 'guess' });
    expect(res.status).toBe(401);
    expect(h.decider.calls.length).toBe(calls);
  });
});

test("the approver's click decides once and updates the message in place; a replay and a late click are refused", async () => {
  const callsBefore = h.decider.calls.length;
  const payload = clickPayload({ userId: 'U0GRACE', teamId: TEAM, message: dmOf('U0GRACE'), actionId: 'switchboard_approve' });
  const res = await postSlackInteraction(h.eventsUrl, SIGNING_SECRET, payload);
  expect(res.status).toBe(200);
  const update = await h.slack.waitForCall('chat.update', (c) => c.args.channel === h.slack.dmChannelOf('U0GRACE'));
  expect(h.decider.calls.slice(callsBefore)).toEqual([{ tenantId: TENANT, approvalId: APPROVAL, deciderUserId: 'user-grace', decision: 'approve' }]);
  expect(update.args.ts).toBe(dmOf('U0GRACE').ts);
  expect(actionsOf(dmOf('U0GRACE'))).toBeUndefined();
  expect(JSON.stringify(dmOf('U0GRACE').blocks)).toContain('Approved by <@U0GRACE> at <!date^');

  // Replaying the very same signed click, and the other approver clicking late, change nothing.
  const edits = dmOf('U0GRACE').edits;
  await postSlackInteraction(h.eventsUrl, SIGNING_SECRET, payload);
  expect(String((await ephemeralFor('U0GRACE')).args.text)).toMatch(/already approved/);
  await click('U0LINUS', TEAM, 'switchboard_deny', dmOf('U0LINUS'));
  expect(String((await ephemeralFor('U0LINUS')).args.text)).toMatch(/already approved/);
  await h.channel.idle();
  expect(dmOf('U0GRACE').edits).toBe(edits);
  expect(h.decider.approvals.get(APPROVAL)?.decided).toBe('approved');
});

test('approval.decided replaces every approver copy and tells the requester in the thread', async () => {
  await h.bus.publish(run.next({ type: 'approval.decided', approvalId: APPROVAL, decision: 'approved', decidedBy: ref('Grace Hopper', 'grace'), action: 'reset the Okta password of ada@acme.test' }));
  await h.channel.idle();
  expect(actionsOf(dmOf('U0LINUS'))).toBeUndefined();
  expect(JSON.stringify(dmOf('U0LINUS').blocks)).toContain('Approved by Grace Hopper');
  const stream = h.slack.messages('D0ADA').find((m) => m.threadTs === threadTs);
  expect(stream?.text).toContain('Approved by Grace Hopper: reset the Okta password of ada@acme.test.');
});

test('a click after expiry is refused', async () => {
  h.decider.add('appr-expired', { tenantId: TENANT, requesterId: 'user-ada', approverIds: ['user-grace'], action: 'reset MFA', expiresAt: new Date(Date.now() - 1000) });
  await click('U0GRACE', TEAM, 'switchboard_approve', dmOf('U0GRACE'), 'appr-expired');
  const refusal = await h.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === 'U0GRACE' && /expired/.test(String(c.args.text)));
  expect(refusal.args.channel).toBe(h.slack.dmChannelOf('U0GRACE'));
  expect(h.decider.approvals.get('appr-expired')?.decided).toBeUndefined();
});

test('account linking: a button to the OAuth URL is posted in the thread', async () => {
  await h.bus.publish(run.next({ type: 'account.link_required', connectorId: 'okta', connectorName: 'Okta', url: 'http://127.0.0.1:4104/oauth2/v1/authorize?state=abc' }));
  await h.channel.idle();
  const posted = await h.slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === threadTs && JSON.stringify(c.args.blocks ?? '').includes('authorize?state=abc'));
  const button = (posted.args.blocks as Block[]).find((b) => b.type === 'actions')?.elements?.[0];
  expect(button).toMatchObject({ type: 'button', url: 'http://127.0.0.1:4104/oauth2/v1/authorize?state=abc', text: { text: 'Connect Okta' } });
});
