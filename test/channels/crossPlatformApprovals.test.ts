/**
 * Issue 12, deliverable 7: an approver is reached wherever they are known, whatever the requester's
 * platform. The whole product runs with both Slack (single workspace, a fake Web API) and Teams
 * (anonymous embedded mode, a fake Bot Connector). Ada asks in Teams; her approvers (Grace, her
 * manager, and Linus, an it-admin) use only Slack. They get exactly one Slack DM each, Ada's note says
 * she has asked them and never "could not reach", and Grace's Slack click completes the run once.
 */
import pg from 'pg';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fakeSlackApi.js';
import { postSlackInteraction } from '../support/slackSigning.js';
import { messageActivity, postActivity, type ConversationSpec } from '../support/teamsActivities.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';
import { clickPayload } from './slack/support/clicks.js';
import { DEMO_TEAM, demoPeople } from './slack/support/demoWorkspace.js';

const SIGNING_SECRET = 'cross-platform-signing-secret';
const ENTRA_TENANT = '7a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const ada = { id: '29:1ada-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-00000000ada1', name: 'Ada Lovelace', email: 'ada@acme.test' };
const adaDm: ConversationSpec = { kind: 'personal', id: 'a:1dm-ada-cross', entraTenantId: ENTRA_TENANT };

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let product: RunningProduct;
let db: pg.Client;

beforeAll(async () => {
  slack = await startFakeSlackApi({ teamId: DEMO_TEAM });
  // Only the approvers are in Slack; Ada is only in Teams, and they are not in Teams at all.
  for (const person of [demoPeople.grace, demoPeople.linus]) slack.addUser({ ...person, teamId: DEMO_TEAM });
  connector = await startFakeBotConnector();
  connector.addMember({ id: ada.id, aadObjectId: ada.aadObjectId, name: ada.name, email: ada.email, userPrincipalName: ada.email });
  product = await startProduct({ env: { SLACK_BOT_TOKEN: 'xoxb-cross-bot-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url } });
  db = new pg.Client({ connectionString: product.databaseUrl });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await product?.close();
  await connector?.stop();
  await slack?.stop();
});

const approvalDmsOf = (userId: string) => slack.messages(slack.dmChannelOf(userId)).filter((m) => JSON.stringify(m.blocks).includes('switchboard_approve') || JSON.stringify(m.blocks).includes('Approved by'));

test('a Teams requester whose approvers are known only in Slack: one Slack DM each, no "could not reach", approved from Slack', async () => {
  const okta = product.app.sandboxes!.okta;
  const adaOkta = okta.user(ada.email);
  const resetsBefore = okta.state.count('user.account.reset_password', adaOkta.id);
  const activity = messageActivity(connector.url, adaDm, ada, 'reset my okta password');
  expect((await postActivity(`${product.url}/api/messages`, activity)).status).toBeLessThan(300);

  const waiting = await eventually(async () => connector.messages(adaDm.id).find((m) => m.streamState === 'final'), 'the wait note in ada\'s Teams chat', 30_000);
  expect(waiting.text).toMatch(/I have asked (Grace Hopper and Linus Torvalds|Linus Torvalds and Grace Hopper)/);
  expect(waiting.text).not.toMatch(/could not reach/i);
  expect(waiting.text).not.toMatch(/Nobody could be asked/);
  for (const person of [demoPeople.grace, demoPeople.linus]) expect(approvalDmsOf(person.id)).toHaveLength(1);
  // Nobody was looked for in Teams by creating chats: they have no Teams identity.
  expect(connector.created).toHaveLength(0);

  const graceDm = approvalDmsOf(demoPeople.grace.id)[0]!;
  const approvalId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(graceDm.blocks))?.[1];
  expect(approvalId).toBeDefined();
  await postSlackInteraction(`${product.url}/slack/events`, SIGNING_SECRET, clickPayload({ userId: demoPeople.grace.id, teamId: DEMO_TEAM, message: graceDm, actionId: 'switchboard_approve', value: approvalId! }));

  const run = await eventually(async () => {
    const { rows } = await db.query<{ status: string; answer: string | null }>('SELECT status, answer FROM runs WHERE channel = $1 AND delivery_id = $2', ['teams', activity.id]);
    return rows[0]?.status === 'completed' ? rows[0] : undefined;
  }, 'the run to complete', 30_000);
  expect(run.answer).toMatch(/Okta password/i);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(resetsBefore + 1);
  // Linus's copy, posted for a Teams run, is settled too.
  await eventually(async () => (JSON.stringify(slack.message(approvalDmsOf(demoPeople.linus.id)[0]!.channel, approvalDmsOf(demoPeople.linus.id)[0]!.ts)?.blocks).includes('Approved by') ? true : undefined), 'linus\'s Slack DM settled');
  for (const person of [demoPeople.grace, demoPeople.linus]) expect(approvalDmsOf(person.id)).toHaveLength(1);
  expect(slack.calls('chat.postMessage').filter((c) => c.args.channel === demoPeople.grace.id || c.args.channel === demoPeople.linus.id)).toHaveLength(2);
});
