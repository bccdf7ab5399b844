import { messageEnvelope, postSlackEvent } from '../../support/slackSigning.js';
import { OTHER_TEAM, SIGNING_SECRET, startHarness, TEAM, TENANT, type Harness } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.slack.addUser({ id: 'U0ADA', teamId: TEAM, email: 'Ada@acme.test', name: 'Ada Lovelace' });
});

afterAll(async () => {
  await h.close();
});

const dm = (text: string, extra: Partial<Parameters<typeof messageEnvelope>[0]> = {}): Record<string, unknown> =>
  messageEnvelope({ teamId: TEAM, user: 'U0ADA', text, channel: 'D0ADA', ...extra });

describe('request verification', () => {
  test('a bad signature, a stale timestamp and missing headers get 401 and submit nothing', async () => {
    const before = h.gateway.turns.length;
    const forged = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('reset my okta password'), { signWith: 'not-the-secret' });
    const stale = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('reset my okta password'), { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 });
    const bare = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('reset my okta password'), { omitHeaders: true });
    expect([forged.status, stale.status, bare.status]).toEqual([401, 401, 401]);
    // A valid request afterwards is the event that proves nothing from the refused ones slipped through.
    const ok = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('what can you do?'));
    expect(ok.status).toBe(200);
    await h.channel.idle();
    await waitUntil(() => h.gateway.turns.length > before);
    expect(h.gateway.turns.slice(before).map((turn) => turn.text)).toEqual(['what can you do?']);
  });

  test('url_verification is answered with the challenge', async () => {
    const res = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, { type: 'url_verification', challenge: 'c-123', token: 'x' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'c-123' });
  });
});

describe('delivery', () => {
  test('the same event delivered four times (retries 1-3) is submitted once; ack latency printed', async () => {
    const envelope = dm('reset my okta password');
    const turn = h.gateway.nextTurn();
    const latencies: number[] = [];
    for (const retryNum of [undefined, 1, 2, 3]) {
      const res = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, envelope, retryNum === undefined ? {} : { retryNum });
      expect(res.status).toBe(200);
      latencies.push(res.ms);
    }
    const submitted = await turn;
    await h.channel.idle();
    const deliveries = h.gateway.turns.filter((t) => t.deliveryId === envelope.event_id);
    expect(deliveries).toHaveLength(1);
    console.log(`slack ack latency (ms) per delivery: ${latencies.map((ms) => ms.toFixed(1)).join(', ')}`);
    expect(submitted).toMatchObject({
      channel: 'slack',
      tenantId: TENANT,
      deliveryId: envelope.event_id,
      text: 'reset my okta password',
      platformUser: { externalId: 'U0ADA', teamId: TEAM },
      conversation: { externalId: `${TEAM}:D0ADA:${(envelope.event as { ts: string }).ts}`, address: { channel: 'D0ADA', mode: 'stream', userId: 'U0ADA', teamId: TEAM } },
    });
    // The gateway's directory lookup found the employee by email (users.info), lower-cased.
    expect(h.gateway.lookups.at(-1)).toBe('ada@acme.test');
    // First progress: the status line in the agent thread, right after the hand-off.
    await h.slack.waitForCall('assistant.threads.setStatus', (call) => call.args.channel_id === 'D0ADA');
  });

  test('bot messages, the bot itself, edits and other subtypes are ignored', async () => {
    const before = h.gateway.turns.length;
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('from a bot', { extra: { bot_id: 'B999' } }));
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('from myself', { user: h.slack.botUserId }));
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('edited', { extra: { subtype: 'message_changed' } }));
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('joined', { extra: { subtype: 'channel_join' } }));
    const marker = h.gateway.nextTurn();
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('a real request'));
    await marker;
    expect(h.gateway.turns.slice(before).map((turn) => turn.text)).toEqual(['a real request']);
  });

  test('an @mention in a channel starts a thread the bot then follows; the mention is stripped', async () => {
    const mention = messageEnvelope({ teamId: TEAM, user: 'U0ADA', text: `<@${h.slack.botUserId}> open a P2 incident for the VPN drops`, channel: 'C0NET', type: 'app_mention' });
    const first = h.gateway.nextTurn();
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, mention);
    const turn = await first;
    const threadTs = (mention.event as { ts: string }).ts;
    expect(turn.text).toBe('open a P2 incident for the VPN drops');
    expect(turn.conversation.address).toMatchObject({ channel: 'C0NET', threadTs, mode: 'update' });
    await h.channel.idle();

    const reply = h.gateway.nextTurn();
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, messageEnvelope({ teamId: TEAM, user: 'U0ADA', text: 'make it P1 please', channel: 'C0NET', channelType: 'channel', threadTs }));
    expect((await reply).conversation.externalId).toBe(turn.conversation.externalId);

    // A thread the bot was never part of is not its business.
    const before = h.gateway.turns.length;
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, messageEnvelope({ teamId: TEAM, user: 'U0ADA', text: 'unrelated chatter', channel: 'C0NET', channelType: 'channel', threadTs: '1600000000.000001' }));
    const marker = h.gateway.nextTurn();
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('marker'));
    await marker;
    expect(h.gateway.turns.slice(before).map((t) => t.text)).toEqual(['marker']);
  });
});

describe('refusals are shown, never silent', () => {
  test('a gateway refusal is posted in the thread as the gateway worded it (escaped)', async () => {
    h.gateway.refuse = { status: 'refused', code: 'rate_limited', message: 'You are sending requests faster than I can take them <slow down>.' };
    try {
      const envelope = dm('again');
      await postSlackEvent(h.eventsUrl, SIGNING_SECRET, envelope);
      const posted = await h.slack.waitForCall('chat.postMessage', (call) => String(call.args.text).includes('faster than I can'));
      expect(posted.args).toMatchObject({ channel: 'D0ADA', thread_ts: (envelope.event as { ts: string }).ts });
      expect(posted.args.text).toBe('You are sending requests faster than I can take them &lt;slow down&gt;.');
    } finally {
      h.gateway.refuse = undefined;
    }
  });

  test('invalid input (too long) is refused by the gateway and explained', async () => {
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, dm('x'.repeat(4001)));
    const posted = await h.slack.waitForCall('chat.postMessage', (call) => String(call.args.text).includes('limited to 4000 characters'));
    expect(posted.args.channel).toBe('D0ADA');
  });

  test('a workspace that belongs to no tenant is told it is not set up, once per event', async () => {
    const unknown = await startHarness({ tenantId: undefined });
    try {
      const envelope = messageEnvelope({ teamId: 'T0NOBODY', user: 'U0X', text: 'hello', channel: 'D0X' });
      await postSlackEvent(unknown.eventsUrl, SIGNING_SECRET, envelope);
      await postSlackEvent(unknown.eventsUrl, SIGNING_SECRET, envelope, { retryNum: 1 });
      const posted = await unknown.slack.waitForCall('chat.postMessage');
      expect(posted.args.text).toMatch(/not set up for Switchboard/);
      await unknown.channel.idle();
      // The known workspace of the other tenant still works on the same app.
      const turn = unknown.gateway.nextTurn();
      await postSlackEvent(unknown.eventsUrl, SIGNING_SECRET, messageEnvelope({ teamId: OTHER_TEAM, user: 'U0Y', text: 'hi', channel: 'D0Y' }));
      expect((await turn).tenantId).toBe('globex');
      expect(unknown.slack.calls('chat.postMessage').filter((call) => String(call.args.text).includes('not set up'))).toHaveLength(1);
      expect(unknown.gateway.turns.map((t) => t.text)).toEqual(['hi']);
    } finally {
      await unknown.close();
    }
  });
});

describe('home surfaces', () => {
  test('opening App Home publishes a view; opening the Messages tab sets suggested prompts', async () => {
    const base = { token: 't', team_id: TEAM, api_app_id: 'A0SWITCH', type: 'event_callback', event_time: 1 };
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, { ...base, event_id: 'EvHome1', event: { type: 'app_home_opened', user: 'U0ADA', channel: 'D0ADA', tab: 'home', event_ts: '1.1' } });
    const published = await h.slack.waitForCall('views.publish');
    expect(published.args.user_id).toBe('U0ADA');
    expect(JSON.stringify(published.args.view)).toContain('Reset my Okta password');
    await postSlackEvent(h.eventsUrl, SIGNING_SECRET, { ...base, event_id: 'EvHome2', event: { type: 'app_home_opened', user: 'U0ADA', channel: 'D0ADA', tab: 'messages', event_ts: '1.2' } });
    const prompts = await h.slack.waitForCall('assistant.threads.setSuggestedPrompts');
    expect(prompts.args.channel_id).toBe('D0ADA');
    expect(prompts.args.thread_ts).toBeUndefined();
    expect((prompts.args.prompts as unknown[]).length).toBe(4);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
