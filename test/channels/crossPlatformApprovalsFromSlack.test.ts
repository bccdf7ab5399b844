/**
 * Issue 12, deliverable 7, the other direction: Ada asks in Slack; Grace (her manager) is known only
 * in Teams (the app was installed for her, so the bot has her 1:1 chat) and Linus (it-admin) is
 * known nowhere. Grace gets exactly one Teams card; Ada's note says she has asked Grace and, in the
 * same note, that Linus could not be reached in Slack or Microsoft Teams. Whole product, Slack and
 * Teams at protocol level (fake Slack Web API, fake Bot Connector).
 */
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fakeSlackApi.js';
import { messageEnvelope, postSlackEvent } from '../support/slackSigning.js';
import { postActivity, type ConversationSpec } from '../support/teamsActivities.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';
import { DEMO_TEAM, demoPeople } from './slack/support/demoWorkspace.js';
import { installActivities } from './teams/support/installActivities.js';

const SIGNING_SECRET = 'cross-platform-from-slack-secret';
const ENTRA_TENANT = '7a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const grace = { id: '29:1grace-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-0000000e6ace', name: 'Grace Hopper', email: 'grace@acme.test' };
const graceDm: ConversationSpec = { kind: 'personal', id: 'a:1dm-grace-cross', entraTenantId: ENTRA_TENANT };

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let product: RunningProduct;

beforeAll(async () => {
  slack = await startFakeSlackApi({ teamId: DEMO_TEAM });
  slack.addUser({ ...demoPeople.ada, teamId: DEMO_TEAM });
  connector = await startFakeBotConnector();
  connector.addMember({ ...grace, userPrincipalName: grace.email });
  product = await startProduct({ env: { SLACK_BOT_TOKEN: 'xoxb-cross-slack-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url } });
  for (const activity of installActivities(connector.url, graceDm, grace)) expect((await postActivity(`${product.url}/api/messages`, activity)).status).toBeLessThan(300);
}, 120_000);

afterAll(async () => {
  await product?.close();
  await connector?.stop();
  await slack?.stop();
});

test('a Slack requester: the approver known only in Teams gets one card; the one known nowhere is named at once', async () => {
  const channel = 'D0ADACROSS';
  expect((await postSlackEvent(`${product.url}/slack/events`, SIGNING_SECRET, messageEnvelope({ teamId: DEMO_TEAM, user: demoPeople.ada.id, text: 'reset my okta password', channel }))).status).toBe(200);

  const card = await eventually(async () => connector.messages(graceDm.id).find((m) => m.attachments.length > 0), 'the approval card in grace\'s Teams chat', 30_000);
  expect(JSON.stringify(card.attachments)).toContain('Ada Lovelace');
  const note = await eventually(async () => {
    const text = slack.messages(channel).map((m) => `${m.text} ${JSON.stringify(m.chunks)} ${JSON.stringify(m.blocks)}`).join('\n');
    return /Waiting for approval/.test(text) ? text : undefined;
  }, 'the wait note in ada\'s Slack thread', 30_000);
  expect(note).toContain('I have asked Grace Hopper');
  expect(note).toContain('I could not reach Linus Torvalds in Slack or Microsoft Teams.');
  expect(note).not.toMatch(/could not reach[^.]*Grace/);
  expect(connector.messages(graceDm.id).filter((m) => m.attachments.length > 0)).toHaveLength(1);
});
