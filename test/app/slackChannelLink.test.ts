/**
 * The whole product with Slack at protocol level and nobody linked: a request in a shared channel
 * thread that needs an account link gets the Connect button as an ephemeral message for the
 * requester alone; the link leads to our origin, and finishing it as the requester resumes the run.
 */
import pg from 'pg';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fakeSlackApi.js';
import { messageEnvelope, postSlackEvent } from '../support/slackSigning.js';
import { eventually, startProduct, type RunningProduct } from './support/product.js';
import { addDemoPeople, DEMO_TEAM, demoPeople } from '../channels/slack/support/demoWorkspace.js';

const SIGNING_SECRET = 'link-signing-secret';
let slack: FakeSlackApi;
let product: RunningProduct;
let sql: pg.Client;

beforeAll(async () => {
  slack = await startFakeSlackApi({ teamId: DEMO_TEAM });
  addDemoPeople(slack);
  product = await startProduct({ env: { SLACK_BOT_TOKEN: 'xoxb-link-bot-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, DEMO_AUTOLINK: 'false' } });
  sql = new pg.Client({ connectionString: product.databaseUrl });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await product?.close();
  await slack?.stop();
});

test('in a channel thread the Connect button reaches only the requester, and their own link resumes the run', async () => {
  const channel = 'C0GENERAL';
  const ack = await postSlackEvent(`${product.url}/slack/events`, SIGNING_SECRET, messageEnvelope({
    teamId: DEMO_TEAM, user: demoPeople.ada.id, channel, channelType: 'channel', type: 'app_mention', text: '<@U0BOT> please reset my okta password',
  }));
  expect(ack.status).toBe(200);

  const ephemeral = await slack.waitForCall('chat.postEphemeral', (c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes('/link/start'), 30_000);
  expect(ephemeral.args.user).toBe(demoPeople.ada.id);
  const button = (ephemeral.args.blocks as { type: string; elements?: { url?: string }[] }[]).find((b) => b.type === 'actions')?.elements?.[0];
  const linkUrl = new URL(button!.url!);
  expect(linkUrl.origin).toBe(new URL(product.url).origin);
  // Nothing anyone else in the channel can see carries the link.
  const visible = slack.calls().filter((c) => c.method !== 'chat.postEphemeral' && c.args.channel === channel);
  expect(visible.length).toBeGreaterThan(0);
  expect(visible.filter((c) => JSON.stringify(c.args).includes('/link/start'))).toEqual([]);
  expect(JSON.stringify(slack.messages(channel))).not.toContain('/link/start');

  // Ada opens it, continues, and signs in to Okta as herself: linked, and the run goes on to its approval.
  const posted = await fetch(`${product.url}/link/start`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t: linkUrl.searchParams.get('t')! }) });
  expect(posted.status).toBe(303);
  const authorize = new URL(posted.headers.get('location')!);
  authorize.searchParams.set('login_hint', demoPeople.ada.email);
  const consent = await fetch(authorize, { redirect: 'manual' });
  const done = await fetch(consent.headers.get('location')!, { headers: { cookie: posted.headers.get('set-cookie')!.split(';')[0]! } });
  expect(done.status).toBe(200);
  await eventually(async () => (await sql.query(`SELECT count(*)::int AS n FROM approvals`)).rows[0].n === 1, 'the approval request after the link');
});
