import { randomUUID } from 'node:crypto';
import type { RunEvent, RunEventBody } from '../../../src/events/runEvent.js';
import type { JsonObject } from '../../../src/core/json.js';
import type { TeamsAddress } from '../../../src/channels/teams/index.js';
import { ENTRA_TENANT, startTeamsHarness, TENANT, type TeamsHarness } from '../../support/teamsHarness.js';

function addressFor(h: TeamsHarness, mode: 'stream' | 'update', conversationId: string): TeamsAddress {
  return {
    kind: 'teams',
    mode,
    entraTenantId: ENTRA_TENANT,
    reference: {
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      conversation: { id: conversationId, conversationType: mode === 'stream' ? 'personal' : 'groupChat', tenantId: ENTRA_TENANT },
      agent: { id: '28:switchboard-bot', name: 'Switchboard' },
      user: { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada' },
    },
    replyToId: 'user-message-1',
  };
}

function runEvents(address: TeamsAddress): (body: RunEventBody) => RunEvent {
  const runId = randomUUID();
  let seq = 0;
  return (body) => ({ runId, tenantId: TENANT, conversationId: 'conv-1', userId: 'user-ada', reply: { channel: 'teams', address: address as unknown as JsonObject }, seq: ++seq, at: new Date().toISOString(), ...body }) as RunEvent;
}

const plan: RunEventBody = {
  type: 'plan.created',
  tier: 'deterministic',
  plan: { summary: 'File a Jira bug', steps: [{ id: 's1', title: 'Create the Jira bug', tool: 'jira_create_issue', status: 'pending' }] },
};

describe('Teams progress rendering', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(async () => h.close());

  test('personal chat: informative updates, streamed answer, final message, following the streaming protocol', async () => {
    const next = runEvents(addressFor(h, 'stream', 'a:dm-stream'));
    for (const body of [
      { type: 'run.started', text: 'create a Jira bug' },
      plan,
      { type: 'step.started', stepId: 's1', title: 'Create the Jira bug' },
      { type: 'step.finished', stepId: 's1', title: 'Create the Jira bug', summary: 'NET-42 created' },
      { type: 'message.delta', text: 'I created ' },
    ] as RunEventBody[]) await h.bus.publish(next(body));
    // The model is still writing when the first chunk goes out.
    await h.connector.waitForCall((c) => c.conversationId === 'a:dm-stream' && JSON.stringify(c.body?.entities ?? []).includes('"streaming"'));
    await h.bus.publish(next({ type: 'message.delta', text: 'NET-42 for the VPN drops.' }));
    await h.bus.publish(next({ type: 'run.completed', text: 'I created NET-42 for the VPN drops.' }));
    await h.channel.idle();
    await h.connector.waitForCall((c) => c.conversationId === 'a:dm-stream' && c.body?.type === 'message');
    const [message, ...others] = h.connector.messages('a:dm-stream');
    expect(others).toHaveLength(0);
    expect(h.connector.violations).toEqual([]);
    const kinds = message!.stream.map((s) => s.streamType);
    expect(kinds[0]).toBe('informative');
    expect(kinds).toContain('streaming');
    expect(kinds.at(-1)).toBe('final');
    expect(message!.stream.filter((s) => s.streamType === 'informative').map((s) => s.text).join('|')).toMatch(/File a Jira bug/);
    expect(message!.text).toBe('I created NET-42 for the VPN drops.');
    expect(message!.streamState).toBe('final');
    expect(h.channel.activeRuns).toBe(0);
  });

  test('group chat: one reply under the message, edited in place, survives 429/412 throttling', async () => {
    const next = runEvents(addressFor(h, 'update', '19:group-progress@thread.v2'));
    h.connector.failNext({ status: 429, times: 1, retryAfterSeconds: 0, match: (c) => c.method === 'POST' && c.path.includes('group-progress') });
    h.connector.failNext({ status: 412, times: 1, match: (c) => c.method === 'PUT' && c.path.includes('group-progress') });
    for (const body of [
      { type: 'run.started', text: 'create a Jira bug' },
      plan,
      { type: 'step.started', stepId: 's1', title: 'Create the Jira bug' },
      { type: 'step.finished', stepId: 's1', title: 'Create the Jira bug', summary: 'NET-43 created' },
      { type: 'run.completed', text: 'I created NET-43 for the VPN drops.' },
    ] as RunEventBody[]) await h.bus.publish(next(body));
    await h.channel.idle();
    const messages = h.connector.messages('19:group-progress@thread.v2');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.replyToId).toBe('user-message-1');
    expect(messages[0]!.text).toContain('I created NET-43 for the VPN drops.');
    expect(messages[0]!.text).toContain('✅ Create the Jira bug');
    expect(messages[0]!.edits).toBeGreaterThanOrEqual(1);
    const statuses = h.connector.calls((c) => c.path.includes('group-progress')).map((c) => c.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(412);
    // Coalesced edits: never more calls than events.
    expect(h.connector.calls((c) => c.method === 'PUT' && c.path.includes('group-progress') && c.status === 200).length).toBeLessThanOrEqual(4);
    const pairs = h.connector.calls((c) => c.path.includes('group-progress') && c.status < 300);
    console.log(`group chat: ${pairs.length} successful Bot Connector calls for 5 run events`);
  });

  test('a failed run ends the stream with an explanation', async () => {
    const next = runEvents(addressFor(h, 'stream', 'a:dm-fail'));
    await h.bus.publish(next({ type: 'run.started', text: 'x' }));
    await h.bus.publish(next({ type: 'run.failed', code: 'account_not_linked', message: 'Please connect your Jira account so I can act as you.' }));
    await h.channel.idle();
    const [message] = h.connector.messages('a:dm-fail');
    expect(message!.text).toMatch(/^Sorry, I could not finish this\. Please connect your Jira account/);
    expect(h.connector.violations).toEqual([]);
  });

  test('streaming refused by Teams: the answer still arrives as a plain message', async () => {
    const next = runEvents(addressFor(h, 'stream', 'a:dm-nostream'));
    h.connector.failNext({ status: 400, times: 10, match: (c) => c.path.includes('a:dm-nostream') && JSON.stringify(c.body ?? {}).includes('streaminfo') });
    await h.bus.publish(next({ type: 'run.started', text: 'x' }));
    await h.bus.publish(next({ type: 'run.completed', text: 'Here is your answer.' }));
    await h.channel.idle();
    await h.connector.waitForCall((c) => c.path.includes('a:dm-nostream') && c.status === 201);
    const texts = h.connector.messages('a:dm-nostream').map((m) => m.text);
    expect(texts).toContain('Here is your answer.');
  });
});
