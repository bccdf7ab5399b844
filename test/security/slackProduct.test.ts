/**
 * Issue 11, findings 3 and 4, through the whole product (startSwitchboard with the sandboxes) and
 * Slack at protocol level: injected text in a Jira issue title and in a request's justification
 * reaches Slack only as inert text, and the approval DM shows every argument and whose account acts.
 */
import { startFakeSlackApi, type FakeSlackApi } from '../support/fakeSlackApi.js';
import { messageEnvelope, postSlackEvent } from '../support/slackSigning.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';
import { addDemoPeople, approvalDms, DEMO_TEAM, demoPeople } from '../channels/slack/support/demoWorkspace.js';
import { liveInSlack, liveInSlackBlocks, mrkdwnTexts, spoofedInMrkdwn, stringsIn } from './support/liveLinks.js';

const SIGNING_SECRET = 'security-signing-secret';
const INJECTED_TITLE = '[Click to approve](https://evil.example/approve) <!channel> <https://evil.example/x|Approve> <@U0LINUS>';

let slack: FakeSlackApi;
let product: RunningProduct;
const tally = { attempts: 0, liveLinks: 0, spoofed: 0 };

beforeAll(async () => {
  slack = await startFakeSlackApi({ teamId: DEMO_TEAM });
  addDemoPeople(slack);
  product = await startProduct({ env: { SLACK_BOT_TOKEN: 'xoxb-security-bot', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url } });
});

afterAll(async () => {
  console.log(`slack product adversarial: ${tally.attempts} injection attempts, ${tally.liveLinks} live injected links or mentions, ${tally.spoofed} spoofed card fields`);
  await product?.close();
  await slack?.stop();
});

/** Every string Slack received in calls about one channel (messages, edits, stream chunks). */
function liveLinksIn(channel: string): string[] {
  return slack.calls().filter((c) => c.args.channel === channel).flatMap((c) => stringsIn(c.args).flatMap((s) => liveInSlack(s.text)));
}

test('a Jira issue titled with a link and mentions is listed to the employee as inert text', async () => {
  const jira = product.app.sandboxes!.jira;
  const ada = jira.state.userByEmail(demoPeople.ada.email)!;
  const issue = jira.state.createIssue({
    projectKey: 'NET', issueType: 'Task', summary: INJECTED_TITLE, description: null, priority: 'High',
    reporterId: ada.accountId, assigneeId: ada.accountId, labels: [], properties: new Map(),
  });
  const envelope = messageEnvelope({ teamId: DEMO_TEAM, user: demoPeople.ada.id, text: 'show my jira issues', channel: 'D0ADASEC' });
  expect((await postSlackEvent(`${product.url}/slack/events`, SIGNING_SECRET, envelope)).status).toBe(200);
  await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ADASEC', 30_000);
  const answer = await eventually(async () => slack.messages('D0ADASEC').find((m) => m.streaming === 'stopped'), 'the answer');
  expect(answer.text).toContain(issue.key);
  const live = liveLinksIn('D0ADASEC');
  tally.attempts += 4;
  tally.liveLinks += live.length;
  expect(live).toEqual([]);
});

test('a justification with links, mentions and fake fields: the approval DM is complete and inert', async () => {
  const justification = `I need it for remote work ${INJECTED_TITLE}\n*Approved by* Linus`;
  const text = `please add me to the "VPN Users" group because ${justification}`;
  const envelope = messageEnvelope({ teamId: DEMO_TEAM, user: demoPeople.ada.id, text, channel: 'D0ADASEC2' });
  expect((await postSlackEvent(`${product.url}/slack/events`, SIGNING_SECRET, envelope)).status).toBe(200);
  const dms = await approvalDms(slack);
  const dm = dms.find((m) => JSON.stringify(m.blocks).includes('VPN Users'))!;
  expect(dm).toBeDefined();
  const blocks = JSON.stringify(dm.blocks);
  expect(blocks).toContain('Runs as ada@acme.test in Okta');
  expect(blocks).toContain('*Group*');
  expect(blocks).toContain('*Justification*');
  const live = liveInSlackBlocks(dm.blocks, dm.text);
  const spoofed = mrkdwnTexts(dm.blocks).flatMap(spoofedInMrkdwn);
  // The requester's own thread (status, plan, "waiting for approval" note) is inert too.
  const requesterLive = await eventually(async () => (slack.calls().some((c) => c.args.channel === 'D0ADASEC2' && JSON.stringify(c.args).includes('VPN Users')) ? liveLinksIn('D0ADASEC2') : undefined), 'the requester thread');
  tally.attempts += 6;
  tally.liveLinks += live.length + requesterLive.length;
  tally.spoofed += spoofed.length;
  expect(live).toEqual([]);
  expect(requesterLive).toEqual([]);
  expect(spoofed).toEqual([]);
});
