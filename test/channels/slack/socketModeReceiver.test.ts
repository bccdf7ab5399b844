/**
 * The Socket Mode receiver's shutdown, against the local Socket Mode server: stop() returns only
 * once the SDK client has disconnected, and a Slack that never answers the close frame cannot hold
 * shutdown for the SDK's 30 s.
 */
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fakeSlackApi.js';
import { startFakeSlackSocket, type FakeSlackSocket } from '../../support/fakeSlackSocket.js';
import { createLogger } from '../../../src/core/logger.js';
import { toSlackLogger } from '../../../src/channels/slack/slackLogger.js';
import { SlackSocketModeReceiver } from '../../../src/channels/slack/socketModeReceiver.js';

const APP_TOKEN = 'xapp-1-A0SWITCH-1-receiver-test';
const slackLogger = toSlackLogger(createLogger({ level: 'silent' }));

let socket: FakeSlackSocket;
let slack: FakeSlackApi;
const started: SlackSocketModeReceiver[] = [];

beforeEach(async () => {
  socket = await startFakeSlackSocket();
  slack = await startFakeSlackApi({ socketMode: socket });
});

afterEach(async () => {
  for (const receiver of started.splice(0)) await receiver.stop();
  await socket.stop();
  await slack.stop();
});

async function connectedReceiver(closeTimeoutMs?: number): Promise<{ receiver: SlackSocketModeReceiver; order: string[] }> {
  const receiver = new SlackSocketModeReceiver({ appToken: APP_TOKEN, apiUrl: slack.url, slackLogger, ...(closeTimeoutMs !== undefined ? { closeTimeoutMs } : {}) });
  started.push(receiver);
  const order: string[] = [];
  receiver.client.on('disconnected', () => order.push('disconnected'));
  await receiver.start();
  expect(slack.calls('apps.connections.open')).toMatchObject([{ token: APP_TOKEN, status: 200 }]);
  expect(socket.openConnections).toBe(1);
  return { receiver, order };
}

test('stop() resolves after the client has disconnected with a close handshake, and nothing reconnects', async () => {
  const { receiver, order } = await connectedReceiver();
  const [connection] = socket.connections();
  await receiver.stop();
  order.push('stop() returned');
  expect(order).toEqual(['disconnected', 'stop() returned']);
  await expect(connection!.closed).resolves.toMatchObject({ code: 1000, initiatedBy: 'client' });
  expect(receiver.client.websocket?.isActive() ?? false).toBe(false);
  expect(slack.calls('apps.connections.open')).toHaveLength(1);
});

test('when Slack never answers the close frame, stop() drops the connection after its bound instead of the SDK\'s 30 s', async () => {
  const { receiver, order } = await connectedReceiver(200);
  const [connection] = socket.connections();
  socket.stallCloseHandshakes();
  const began = performance.now();
  await receiver.stop();
  const elapsed = performance.now() - began;
  console.log(`slack socket mode: stop() with a stalled close handshake took ${elapsed.toFixed(0)} ms`);
  expect(elapsed).toBeGreaterThanOrEqual(150);
  expect(elapsed).toBeLessThan(5_000);
  expect(order).toEqual(['disconnected']);
  // The client did send its close frame; the TCP connection is gone without the server's answer.
  await expect(connection!.closed).resolves.toMatchObject({ code: 1000, initiatedBy: 'client' });
  expect(socket.openConnections).toBe(0);
});
