import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../src/core/json.js';
import type { RunEvent, RunEventBody } from '../../src/events/runEvent.js';
import type { TeamsAddress } from '../../src/channels/teams/index.js';
import { startHarness, TEAM, TENANT, type Harness } from '../channels/slack/support/harness.js';
import { runEventFactory } from '../channels/slack/support/runEvents.js';
import { ENTRA_TENANT, startTeamsHarness, type TeamsHarness } from '../support/teamsHarness.js';

// The "connect your account" link belongs to the requester alone: in shared conversations it must
// never be posted where others can open it (issue 11, finding 1). Checked at the protocol level.
const LINK = 'http://127.0.0.1:3000/link/start?t=acme.0123456789abcdef0123456789abcdef01234567';
const linkRequired: RunEventBody = { type: 'account.link_required', connectorId: 'jira', connectorName: 'Jira', url: LINK };
const plan: RunEventBody = { type: 'plan.created', tier: 'deterministic', plan: { summary: 'File a Jira bug', steps: [{ id: 's1', title: 'Create the Jira bug', tool: 'jira_create_issue', status: 'awaiting_link' }] } };

describe('Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.slack.addUser({ id: 'U0ADA', teamId: TEAM, email: 'ada@acme.test', name: 'Ada Lovelace' });
  });
  afterAll(async () => h.close());

  const publicCallsWithLink = (channel: string) => h.slack.calls()
    .filter((c) => c.method !== 'chat.postEphemeral' && c.args.channel === channel)
    .filter((c) => JSON.stringify(c.args).includes(LINK));

  test('in a channel thread the Connect button is ephemeral, for the requester only', async () => {
    const threadTs = '1710000200.000100';
    const run = runEventFactory(TENANT, { channel: 'C0GENERAL', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
    await h.bus.publish(run.next({ type: 'run.started', text: 'file a jira bug for the vpn drops' }));
    await h.bus.publish(run.next(plan));
    await h.bus.publish(run.next(linkRequired));
    await h.channel.idle();
    const ephemeral = await h.slack.waitForCall('chat.postEphemeral', (c) => JSON.stringify(c.args).includes(LINK));
    expect(ephemeral.args).toMatchObject({ channel: 'C0GENERAL', user: 'U0ADA', thread_ts: threadTs });
    expect(publicCallsWithLink('C0GENERAL')).toEqual([]);
    expect(JSON.stringify(h.slack.messages('C0GENERAL'))).not.toContain(LINK);
  });

  test('when Slack refuses the ephemeral, the button goes to the requester\'s DM, never the channel', async () => {
    const threadTs = '1710000300.000100';
    const run = runEventFactory(TENANT, { channel: 'C0RANDOM', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
    h.slack.failNext('chat.postEphemeral', { kind: 'error', error: 'user_not_in_channel' });
    await h.bus.publish(run.next({ type: 'run.started', text: 'file a jira bug' }));
    await h.bus.publish(run.next(linkRequired));
    await h.channel.idle();
    const dm = await h.slack.waitForCall('chat.postMessage', (c) => JSON.stringify(c.args).includes(LINK));
    expect(dm.args.channel).toBe('U0ADA');
    expect(publicCallsWithLink('C0RANDOM')).toEqual([]);
    expect(JSON.stringify(h.slack.messages('C0RANDOM'))).not.toContain(LINK);
  });
});

describe('Teams', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(async () => h.close());

  function groupAddress(conversationId: string): TeamsAddress {
    return {
      kind: 'teams', mode: 'update', entraTenantId: ENTRA_TENANT, replyToId: 'user-message-1',
      reference: {
        channelId: 'msteams', serviceUrl: h.connector.url,
        conversation: { id: conversationId, conversationType: 'groupChat', tenantId: ENTRA_TENANT, isGroup: true },
        agent: { id: '28:switchboard-bot', name: 'Switchboard' },
        user: { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada' },
      },
    };
  }

  function events(address: TeamsAddress): (body: RunEventBody) => RunEvent {
    const runId = randomUUID();
    let seq = 0;
    return (body) => ({ runId, tenantId: 'acme', conversationId: 'conv-1', userId: 'user-ada', reply: { channel: 'teams', address: address as unknown as JsonObject }, seq: ++seq, at: new Date().toISOString(), ...body }) as RunEvent;
  }

  test('in a group chat the link goes to a 1:1 chat with the requester; the group only hears that it was sent', async () => {
    const group = '19:link-prompt-group@thread.v2';
    const next = events(groupAddress(group));
    for (const body of [{ type: 'run.started', text: 'file a jira bug' }, plan, linkRequired] as RunEventBody[]) await h.bus.publish(next(body));
    await h.channel.idle();
    const created = h.connector.created.find((c) => JSON.stringify(c.params).includes('aad-ada'));
    expect(created).toBeDefined();
    const privateMessage = await h.connector.waitForCall((c) => c.conversationId === created!.id && JSON.stringify(c.body ?? {}).includes(LINK));
    expect(privateMessage.conversationId).not.toBe(group);
    await h.channel.idle();
    const groupText = JSON.stringify(h.connector.messages(group));
    expect(groupText).not.toContain(LINK);
    expect(groupText).toContain('the link to connect it goes to you alone, in a private chat');
    expect(h.connector.calls((c) => c.conversationId === group && JSON.stringify(c.body ?? {}).includes(LINK))).toEqual([]);
  });

  test('when no 1:1 chat can be opened, the group is told so, still without the link', async () => {
    const group = '19:link-prompt-no-personal@thread.v2';
    h.connector.failNext({ status: 403, times: 1, match: (c) => c.method === 'POST' && /\/v3\/conversations\/?$/.test(c.path) });
    const next = events(groupAddress(group));
    for (const body of [{ type: 'run.started', text: 'file a jira bug' }, linkRequired] as RunEventBody[]) await h.bus.publish(next(body));
    await h.channel.idle();
    await h.connector.waitForCall((c) => c.conversationId === group && JSON.stringify(c.body ?? {}).includes('Open a personal chat with me'));
    expect(h.connector.calls((c) => JSON.stringify(c.body ?? {}).includes(LINK) && c.conversationId === group)).toEqual([]);
  });
});
