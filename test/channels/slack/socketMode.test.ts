/**
 * Socket Mode against the whole product (startSwitchboard with SLACK_APP_TOKEN + SLACK_BOT_TOKEN),
 * at protocol level: the fake Web API answers apps.connections.open (app-level token only) with a
 * single-use ws:// link to a local Socket Mode server, which greets with Slack's `hello` and then
 * pushes `events_api` / `interactive` envelopes and reads the client's `{ envelope_id }` acks.
 *
 * Proves: the connection is opened with the app token, no HTTP receiver is mounted, every envelope
 * is acked over the socket within moments, the "reset my okta password" flow (status, stream,
 * approval DM, approve click, decided message, one Okta reset, answer) runs through the socket,
 * a redelivered event starts one run, a `disconnect` from Slack is followed by a fresh connection
 * even when apps.connections.open fails with 503s meanwhile, and product.close() ends the socket
 * with a clean close handshake.
 */
import { startFakeSlackApi, type FakeMessage, type FakeSlackApi } from '../../support/fakeSlackApi.js';
import { startFakeSlackSocket, type FakeSlackSocket, type SocketAck } from '../../support/fakeSlackSocket.js';
import { messageEnvelope } from '../../support/slackSigning.js';
import { eventually, startProduct, type RunningProduct } from '../../app/support/product.js';
import { clickPayload } from './support/clicks.js';
import { addDemoPeople, awaitApprovalRequest, DEMO_TEAM, demoPeople } from './support/demoWorkspace.js';

const TEAM = DEMO_TEAM;
const BOT_TOKEN = 'xoxb-socket-bot-token';
const APP_TOKEN = 'xapp-1-A0SWITCH-1-socket-app-token';
/** Slack redelivers when an ack takes longer than this. */
const SLACK_ACK_DEADLINE_MS = 3000;
const people = demoPeople;

let socket: FakeSlackSocket;
let slack: FakeSlackApi;
let product: RunningProduct | undefined;
const ackTimes: { what: string; ms: number }[] = [];

beforeAll(async () => {
  socket = await startFakeSlackSocket({ appId: 'A0SWITCH' });
  slack = await startFakeSlackApi({ teamId: TEAM, socketMode: socket });
  addDemoPeople(slack);
  product = await startProduct({ env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.url } });
});

afterAll(async () => {
  await product?.close();
  await socket?.stop();
  await slack?.stop();
  if (ackTimes.length > 0) console.log(`slack socket mode: acks in ${ackTimes.map((a) => `${a.what} ${a.ms.toFixed(1)} ms`).join(', ')}`);
});

function running(): RunningProduct {
  if (!product) throw new Error('the product is not running');
  return product;
}

/** Awaits the ack, checks its shape and promptness, and keeps the latency for the summary line. */
async function expectAck(delivery: { envelopeId: string; acked: Promise<SocketAck> }, what: string): Promise<SocketAck> {
  const ack = await delivery.acked;
  expect(ack.message.envelope_id).toBe(delivery.envelopeId);
  expect(ack.ms).toBeLessThan(SLACK_ACK_DEADLINE_MS);
  ackTimes.push({ what, ms: ack.ms });
  return ack;
}


test('connects with the app-level token and mounts no HTTP endpoint for Slack', async () => {
  const [open, ...more] = slack.calls('apps.connections.open');
  expect(more).toHaveLength(0);
  expect(open).toMatchObject({ token: APP_TOKEN, status: 200 });
  expect(socket.connections()).toHaveLength(1);
  expect(socket.openConnections).toBe(1);
  expect(socket.refusedTickets).toBe(0);
  // The bot token is still what the Web API calls use.
  expect(slack.calls('auth.test').every((c) => c.token === BOT_TOKEN)).toBe(true);
  // No signing secret exists in Socket Mode, so nothing may accept Slack requests over HTTP.
  const response = await fetch(`${running().url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(response.status).toBe(404);
});

test('DM over the socket → acked → plan → approval DM → approve envelope → one Okta reset → answer in the thread', async () => {
  const okta = running().app.sandboxes!.okta;
  const adaOkta = okta.user(people.ada.email);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);

  const message = socket.deliver({ type: 'events_api', payload: messageEnvelope({ teamId: TEAM, user: people.ada.id, text: 'reset my okta password', channel: 'D0ADA' }) });
  const ack = await expectAck(message, 'events_api');
  // Events carry no response payload; Bolt acks them before any listener runs.
  expect(ack.message.payload ?? {}).toEqual({});

  const { dm, approverId } = await awaitApprovalRequest(slack, 'D0ADA');
  expect(JSON.stringify(dm!.blocks)).toMatch(/Ada Lovelace|U0ADA/);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);

  // The requester's own click arrives over the socket too, is acked, and decides nothing.
  await expectAck(socket.deliver({ type: 'interactive', payload: clickPayload({ userId: people.ada.id, teamId: TEAM, message: dm!, actionId: 'switchboard_approve' }) }), 'interactive (refused)');
  await slack.waitForCall('chat.postEphemeral', (c) => c.args.user === people.ada.id && c.args.channel === dm!.channel, 10_000);
  expect(JSON.stringify(slack.message(dm!.channel, dm!.ts)?.blocks)).toContain('switchboard_approve');
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);

  await expectAck(socket.deliver({ type: 'interactive', payload: clickPayload({ userId: approverId, teamId: TEAM, message: dm!, actionId: 'switchboard_approve' }) }), 'interactive');
  // Two writers settle the clicked message: the click handler (mention) and the approval.decided
  // renderer (display name), in either order; both say who approved.
  const approverName = approverId === people.grace.id ? people.grace.name : people.linus.name;
  const approvedBy = new RegExp(`Approved by (<@${approverId}>|${approverName})`);
  await eventually(async () => approvedBy.test(JSON.stringify(slack.message(dm!.channel, dm!.ts)?.blocks)), 'the approval DM updated in place');
  expect(JSON.stringify(slack.message(dm!.channel, dm!.ts)?.blocks)).not.toContain('switchboard_approve');

  await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ADA', 30_000);
  const answer = await eventually(async () => slack.messages('D0ADA').find((m) => m.streaming === 'stopped' && /password/i.test(m.text)), 'the answer in ada\'s thread');
  expect(answer.text).toMatch(/password/i);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(1);
  // Every approver's copy loses its buttons, not only the clicked one.
  const copies = (): FakeMessage[] => [people.grace, people.linus].flatMap((p) => slack.messages(slack.dmChannelOf(p.id)));
  await eventually(async () => copies().every((m) => /Approved by/.test(JSON.stringify(m.blocks))), 'every approval DM settled');
  expect(copies().some((m) => JSON.stringify(m.blocks).includes('switchboard_approve'))).toBe(false);
  // Everything arrived over the one connection Slack handed out.
  expect(socket.connections()).toHaveLength(1);
});

test('the same event delivered twice (Slack redelivers after a late ack) is acked twice and starts one run', async () => {
  const before = slack.calls('chat.startStream').length;
  const payload = messageEnvelope({ teamId: TEAM, user: people.alan.id, text: 'my jira issues', channel: 'D0ALAN' });
  // Each delivery has its own envelope; the redelivery says so, the event_id stays the same.
  const first = socket.deliver({ type: 'events_api', payload });
  const again = socket.deliver({ type: 'events_api', payload, retryAttempt: 1, retryReason: 'timeout' });
  expect(again.envelopeId).not.toBe(first.envelopeId);
  await expectAck(first, 'events_api');
  await expectAck(again, 'events_api (redelivery)');

  await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ALAN', 30_000);
  expect(slack.calls('chat.startStream').filter((c) => c.args.channel === 'D0ALAN')).toHaveLength(1);
  expect(slack.calls('chat.startStream').length).toBe(before + 1);
});

test('a disconnect message from Slack, then a Slack API outage while reconnecting: a fresh connection follows and events flow on it', async () => {
  const [original] = socket.connections();
  // Slack recycles Socket Mode servers routinely; a reconnect that meets a short Web API outage
  // must keep retrying, not give up (a give-up inside the SDK's reconnect timer is an unhandled rejection).
  slack.failNext('apps.connections.open', { kind: 'unavailable', status: 503 }, 3);
  socket.requestReconnect('refresh_requested');
  // The client closes the old link itself, with a normal close handshake.
  await expect(original!.closed).resolves.toMatchObject({ code: 1000, initiatedBy: 'client' });
  // The SDK waits one client-ping interval (5 s) before reconnecting, then backs off on each 503.
  const fresh = await socket.waitForConnection(2, 30_000);
  expect(fresh.ticket).not.toBe(original!.ticket);
  const opens = slack.calls('apps.connections.open');
  expect(opens.map((c) => c.status)).toEqual([200, 503, 503, 503, 200]);
  expect(opens.every((c) => c.token === APP_TOKEN)).toBe(true);
  expect(socket.openConnections).toBe(1);

  const delivery = socket.deliver({ type: 'events_api', payload: messageEnvelope({ teamId: TEAM, user: people.alan.id, text: 'my jira issues', channel: 'D0ALAN2' }) });
  await expectAck(delivery, 'events_api (new connection)');
  await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ALAN2', 30_000);
});

test('product.close() ends the Socket Mode connection with a close handshake and does not reconnect', async () => {
  const current = socket.connections().at(-1)!;
  await running().close();
  product = undefined;
  // That stop() waits for the handshake (Bolt's does not) is pinned in socketModeReceiver.test.ts.
  await expect(current.closed).resolves.toMatchObject({ code: 1000, initiatedBy: 'client' });
  expect(socket.openConnections).toBe(0);
  // Stopping is not a reason to reconnect.
  expect(slack.calls('apps.connections.open')).toHaveLength(5);
  expect(socket.connections()).toHaveLength(2);
});
