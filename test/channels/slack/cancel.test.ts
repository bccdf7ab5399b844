/**
 * Issue 12, deliverable 7 against the whole product: the requester cancels a waiting request from
 * the button in her Slack thread; the run ends `cancelled`, every approver's DM says so, and nothing
 * is done in Okta. Only the requester can cancel.
 */
import pg from 'pg';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fakeSlackApi.js';
import { messageEnvelope, postSlackEvent, postSlackInteraction } from '../../support/slackSigning.js';
import { eventually, startProduct, type RunningProduct } from '../../app/support/product.js';
import { clickPayload } from './support/clicks.js';
import { addDemoPeople, approvalDms, DEMO_TEAM, demoPeople } from './support/demoWorkspace.js';

const SIGNING_SECRET = 'cancel-signing-secret';
let slack: FakeSlackApi;
let product: RunningProduct;

beforeAll(async () => {
  slack = await startFakeSlackApi({ teamId: DEMO_TEAM });
  addDemoPeople(slack);
  product = await startProduct({ env: { SLACK_BOT_TOKEN: 'xoxb-cancel-bot-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url } });
});

afterAll(async () => {
  await product?.close();
  await slack?.stop();
});

test('the requester cancels a waiting request: the run ends cancelled, every approver copy says so, nothing is done', async () => {
  const events = `${product.url}/slack/events`;
  const okta = product.app.sandboxes!.okta;
  const adaOkta = okta.user(demoPeople.ada.email);
  const resetsBefore = okta.state.count('user.account.reset_password', adaOkta.id);
  const channel = 'D0ADACNCL';
  expect((await postSlackEvent(events, SIGNING_SECRET, messageEnvelope({ teamId: DEMO_TEAM, user: demoPeople.ada.id, text: 'reset my okta password', channel }))).status).toBe(200);
  const dms = await approvalDms(slack);
  const offer = await eventually(async () => slack.messages(channel).find((m) => JSON.stringify(m.blocks).includes('switchboard_cancel_request')), 'the cancel button in ada\'s thread');
  const approvalId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(offer.blocks))?.[1];
  expect(approvalId).toBeDefined();

  // Someone else clicking Ada's button is refused and changes nothing.
  await postSlackInteraction(events, SIGNING_SECRET, clickPayload({ userId: demoPeople.alan.id, teamId: DEMO_TEAM, message: offer, actionId: 'switchboard_cancel_request' }));
  const refusal = await slack.waitForCall('chat.postEphemeral', (c) => c.args.user === demoPeople.alan.id && c.args.channel === channel, 10_000);
  expect(String(refusal.args.text)).toMatch(/Only the person who asked/);

  await postSlackInteraction(events, SIGNING_SECRET, clickPayload({ userId: demoPeople.ada.id, teamId: DEMO_TEAM, message: offer, actionId: 'switchboard_cancel_request' }));
  await eventually(async () => dms.every((dm) => JSON.stringify(slack.message(dm.channel, dm.ts)?.blocks).includes('Cancelled by the requester')), 'every approver DM says cancelled');
  for (const dm of dms) expect(JSON.stringify(slack.message(dm.channel, dm.ts)?.blocks)).not.toContain('switchboard_approve');
  await eventually(async () => slack.messages(channel).some((m) => m.text.includes('You cancelled this request, so nothing was done.')), 'the thread tells ada');

  const db = new pg.Client({ connectionString: product.databaseUrl });
  await db.connect();
  try {
    const runs = await db.query<{ status: string }>(`SELECT r.status FROM runs r JOIN approvals a ON a.run_id = r.id WHERE a.status = 'cancelled' ORDER BY r.created_at DESC LIMIT 1`);
    expect(runs.rows[0]?.status).toBe('cancelled');
  } finally {
    await db.end();
  }

  // An approver clicking afterwards is told it was cancelled; Okta was never called.
  const dm = dms[0]!;
  const approverId = dm.channel === slack.dmChannelOf(demoPeople.grace.id) ? demoPeople.grace.id : demoPeople.linus.id;
  await postSlackInteraction(events, SIGNING_SECRET, clickPayload({ userId: approverId, teamId: DEMO_TEAM, message: dm, actionId: 'switchboard_approve', value: approvalId! }));
  const late = await slack.waitForCall('chat.postEphemeral', (c) => c.args.user === approverId, 10_000);
  expect(String(late.args.text)).toMatch(/already cancelled/);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(resetsBefore);
});

test('deny with a reason: the approver fills the modal, the request is denied, and the requester reads the reason', async () => {
  const events = `${product.url}/slack/events`;
  const okta = product.app.sandboxes!.okta;
  const adaOkta = okta.user(demoPeople.ada.email);
  const resetsBefore = okta.state.count('user.account.reset_password', adaOkta.id);
  const channel = 'D0ADADENY';
  const before = new Set((await approvalDms(slack).catch(() => [])).map((m) => m.ts));
  expect((await postSlackEvent(events, SIGNING_SECRET, messageEnvelope({ teamId: DEMO_TEAM, user: demoPeople.ada.id, text: 'reset my okta password', channel }))).status).toBe(200);
  const dm = await eventually(async () => (await approvalDms(slack)).find((m) => !before.has(m.ts) && JSON.stringify(m.blocks).includes('switchboard_approve')), 'a new approval DM');
  const approverId = dm.channel === slack.dmChannelOf(demoPeople.grace.id) ? demoPeople.grace.id : demoPeople.linus.id;

  await postSlackInteraction(events, SIGNING_SECRET, clickPayload({ userId: approverId, teamId: DEMO_TEAM, message: dm, actionId: 'switchboard_deny_reason' }));
  const opened = await slack.waitForCall('views.open', (c) => JSON.stringify(c.args.view ?? '').includes('switchboard_deny_reason_modal'), 10_000);
  const modal = (typeof opened.args.view === 'string' ? JSON.parse(opened.args.view) : opened.args.view) as { callback_id: string; private_metadata: string };
  const submission = {
    type: 'view_submission',
    team: { id: DEMO_TEAM, domain: 'acme' },
    user: { id: approverId, username: approverId.toLowerCase(), team_id: DEMO_TEAM },
    api_app_id: 'A0SWITCH',
    token: 'legacy',
    trigger_id: '456.789.def',
    view: {
      id: 'V2', type: 'modal', callback_id: modal.callback_id, private_metadata: modal.private_metadata, team_id: DEMO_TEAM,
      state: { values: { reason: { reason: { type: 'plain_text_input', value: 'Please use the self-service portal first.' } } } },
    },
  };
  expect((await postSlackInteraction(events, SIGNING_SECRET, submission)).status).toBe(200);
  await eventually(async () => JSON.stringify(slack.message(dm.channel, dm.ts)?.blocks).includes('Denied by'), 'the approver DM updated in place');
  await eventually(async () => slack.messages(channel).some((m) => m.text.includes('Reason given: “Please use the self-service portal first.”')), 'the reason in ada\'s thread');
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(resetsBefore);
});
