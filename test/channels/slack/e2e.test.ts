/**
 * End-to-end acceptance against the whole product (startSwitchboard: real engine, gateway, planner,
 * approvals, Postgres, the Okta sandbox), with Slack at protocol level: signed HTTP requests into
 * /slack/events, and a local fake Slack Web API (SLACK_API_URL) that records every call.
 *
 * A DM "reset my okta password" from ada → ack < 3 s → status and streamed plan in her thread →
 * approval DM to an approver → the approver's signed block_actions → the approver's message updated
 * in place → the result in ada's thread, with the Okta sandbox showing exactly one password reset.
 */
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fakeSlackApi.js';
import { messageEnvelope, postSlackEvent, postSlackInteraction } from '../../support/slackSigning.js';
import { eventually, startProduct, type RunningProduct } from '../../app/support/product.js';
import { clickPayload } from './support/clicks.js';
import { addDemoPeople, awaitApprovalRequest, DEMO_TEAM, demoPeople } from './support/demoWorkspace.js';

const SIGNING_SECRET = 'e2e-signing-secret';
const TEAM = DEMO_TEAM;
const people = demoPeople;

let slack: FakeSlackApi;
let product: RunningProduct;

beforeAll(async () => {
  slack = await startFakeSlackApi({ teamId: TEAM });
  addDemoPeople(slack);
  product = await startProduct({
    env: { SLACK_BOT_TOKEN: 'xoxb-e2e-bot-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
  });
});

afterAll(async () => {
  await product?.close();
  await slack?.stop();
});

const events = (): string => `${product.url}/slack/events`;


test('DM → plan → approval DM → forged clicks refused → signed approve → one Okta reset → result in thread', async () => {
  const okta = product.app.sandboxes!.okta;
  const adaOkta = okta.user(people.ada.email);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);

  const envelope = messageEnvelope({ teamId: TEAM, user: people.ada.id, text: 'reset my okta password', channel: 'D0ADA' });
  const ack = await postSlackEvent(events(), SIGNING_SECRET, envelope);
  expect(ack.status).toBe(200);
  expect(ack.ms).toBeLessThan(3000);
  console.log(`slack e2e: ack in ${ack.ms.toFixed(1)} ms`);

  const { dm, approverId } = await awaitApprovalRequest(slack, 'D0ADA');
  expect(JSON.stringify(dm!.blocks)).toMatch(/Ada Lovelace|U0ADA/);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);

  // The requester and a non-approver cannot decide; nothing changes.
  for (const forger of [people.ada.id, people.alan.id]) {
    const forged = await postSlackInteraction(events(), SIGNING_SECRET, clickPayload({ userId: forger, teamId: TEAM, message: dm!, actionId: 'switchboard_approve' }));
    expect(forged.status).toBe(200);
  }
  // A click from another workspace is not this tenant's decision.
  await postSlackInteraction(events(), SIGNING_SECRET, clickPayload({ userId: approverId, teamId: 'T0OTHER', message: dm!, actionId: 'switchboard_approve' }));
  // Each refusal is told to the clicker alone; waiting for all three means every click was handled.
  for (const clicker of [people.ada.id, people.alan.id, approverId]) {
    await slack.waitForCall('chat.postEphemeral', (c) => c.args.user === clicker && c.args.channel === dm!.channel, 10_000);
  }
  expect(JSON.stringify(slack.message(dm!.channel, dm!.ts)?.blocks)).toContain('switchboard_approve');
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);

  const click = await postSlackInteraction(events(), SIGNING_SECRET, clickPayload({ userId: approverId, teamId: TEAM, message: dm!, actionId: 'switchboard_approve' }));
  expect(click.status).toBe(200);
  await eventually(async () => JSON.stringify(slack.message(dm!.channel, dm!.ts)?.blocks).includes(`Approved by <@${approverId}>`), 'the approval DM updated in place');
  expect(JSON.stringify(slack.message(dm!.channel, dm!.ts)?.blocks)).not.toContain('switchboard_approve');

  await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ADA', 30_000);
  const answer = await eventually(async () => slack.messages('D0ADA').find((m) => m.streaming === 'stopped' && /password/i.test(m.text)), 'the answer in ada\'s thread');
  expect(answer.text).toMatch(/password/i);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(1);

  // A second click on the decided approval counts for nothing.
  await postSlackInteraction(events(), SIGNING_SECRET, clickPayload({ userId: approverId, teamId: TEAM, message: dm!, actionId: 'switchboard_approve' }));
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(1);
});

test('the same event delivered four times (Slack retries) starts one run', async () => {
  const before = slack.calls('chat.startStream').length;
  const envelope = messageEnvelope({ teamId: TEAM, user: people.alan.id, text: 'my jira issues', channel: 'D0ALAN' });
  const deliveries = await Promise.all([0, 1, 2, 3].map((retry) => postSlackEvent(events(), SIGNING_SECRET, envelope, retry === 0 ? {} : { retryNum: retry })));
  for (const delivery of deliveries) expect(delivery.status).toBe(200);
  await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ALAN', 30_000);
  expect(slack.calls('chat.startStream').filter((c) => c.args.channel === 'D0ALAN')).toHaveLength(1);
  expect(slack.calls('chat.startStream').length).toBe(before + 1);
});

test('a message from another organisation (Slack Connect) is told the workspace is not set up and starts nothing', async () => {
  const before = slack.calls('chat.startStream').length;
  slack.addUser({ id: 'U0OUTSIDER', teamId: 'T0OTHER', email: 'ada@acme.test', name: 'Not Ada' });
  const envelope = messageEnvelope({ teamId: 'T0OTHER', user: 'U0OUTSIDER', text: 'reset my okta password', channel: 'C0SHARED' });
  const ack = await postSlackEvent(events(), SIGNING_SECRET, envelope);
  expect(ack.status).toBe(200);
  const reply = await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0SHARED', 10_000);
  expect(String(reply.args.text)).toMatch(/not set up/i);
  expect(slack.calls('chat.startStream').length).toBe(before);
});

test('"open a P2 incident for the VPN drops and file a Jira bug for the network team": two systems, one turn, as the employee', async () => {
  const { servicenow, jira } = product.app.sandboxes!;
  const incidentsBefore = servicenow.state.tables.get('incident')!.size;
  const issuesBefore = jira.state.issues.length;
  const envelope = messageEnvelope({ teamId: TEAM, user: people.ada.id, text: 'open a P2 incident for the VPN drops and file a Jira bug for the network team', channel: 'D0ADA2' });
  expect((await postSlackEvent(events(), SIGNING_SECRET, envelope)).status).toBe(200);
  await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ADA2', 30_000);
  const answer = await eventually(async () => slack.messages('D0ADA2').find((m) => m.streaming === 'stopped'), 'the answer in the thread');

  const incidents = [...servicenow.state.tables.get('incident')!.values()];
  expect(incidents.length).toBe(incidentsBefore + 1);
  const incident = incidents.at(-1)!;
  expect(incident).toMatchObject({ short_description: 'VPN drops', priority: '2' });
  expect(jira.state.issues.length).toBe(issuesBefore + 1);
  const issue = jira.state.issues.at(-1)!;
  expect(answer.text).toContain(String(incident['number']));
  expect(answer.text).toContain(issue.key);
  expect(answer.text).toMatch(/2 - High/);
  // Acting as Ada in both systems: she is the caller and the reporter.
  const adaSysId = [...servicenow.state.tables.get('sys_user')!.values()].find((u) => u['email'] === people.ada.email)?.['sys_id'];
  expect(incident['caller_id']).toBe(adaSysId);
  expect(issue.reporterId).toBe(jira.state.userByEmail(people.ada.email)?.accountId);
});
