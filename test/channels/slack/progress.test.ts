import type { FakeMessage } from '../../support/fakeSlackApi.js';
import { startHarness, TEAM, TENANT, type Harness } from './support/harness.js';
import { runEventFactory } from './support/runEvents.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

const dmAddress = (threadTs: string) => ({ channel: 'D0ADA', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'stream' });
const channelAddress = (threadTs: string) => ({ channel: 'C0NET', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'update' });
const plan = {
  summary: 'Reset your Okta password',
  steps: [
    { id: 's1', title: 'Look up your Okta profile', tool: 'okta_get_my_profile', status: 'pending' as const },
    { id: 's2', title: 'Reset the password', tool: 'okta_reset_my_password', status: 'pending' as const },
  ],
};

function streamOf(threadTs: string): FakeMessage {
  const message = h.slack.messages('D0ADA').find((m) => m.threadTs === threadTs && m.streaming !== 'none');
  if (!message) throw new Error('no stream in thread');
  return message;
}

describe('agent DM: status line and streamed checklist', () => {
  test('status, plan checklist, step states and the answer land in the right thread with the right recipient', async () => {
    const run = runEventFactory(TENANT, dmAddress('1710000001.000100'));
    for (const body of [
      { type: 'run.started', text: 'reset my okta password' },
      { type: 'run.status', status: 'planning' },
      { type: 'plan.created', plan, tier: 'deterministic' },
      { type: 'step.started', stepId: 's1', title: 'Look up your Okta profile' },
      { type: 'step.finished', stepId: 's1', title: 'Look up your Okta profile', summary: 'Found ada@acme.test <ACTIVE> & enrolled' },
      { type: 'message.delta', text: 'Your password ' },
      { type: 'message.delta', text: 'was reset.' },
      { type: 'run.completed', text: 'Your password was reset. Check <your> inbox & phone.' },
    ] as const) await h.bus.publish(run.next(body));
    await h.channel.idle();

    const statuses = h.slack.calls('assistant.threads.setStatus').filter((c) => c.args.thread_ts === '1710000001.000100');
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses[0]?.args.channel_id).toBe('D0ADA');

    const start = h.slack.calls('chat.startStream').find((c) => c.args.thread_ts === '1710000001.000100');
    expect(start?.args).toMatchObject({ channel: 'D0ADA', recipient_user_id: 'U0ADA', recipient_team_id: TEAM, task_display_mode: 'plan' });

    const stream = streamOf('1710000001.000100');
    expect(stream.streaming).toBe('stopped');
    expect(stream.chunks.find((c) => c.type === 'plan_update')).toEqual({ type: 'plan_update', title: 'Reset your Okta password' });
    const tasks = stream.chunks.filter((c) => c.type === 'task_update');
    expect(tasks.filter((c) => c.id === 's1').map((c) => c.status)).toEqual(expect.arrayContaining(['complete']));
    expect(tasks.find((c) => c.id === 's1' && c.status === 'complete')?.output).toBe('Found ada@acme.test &lt;ACTIVE&gt; &amp; enrolled');
    expect(tasks.some((c) => c.id === 's2' && c.status === 'pending')).toBe(true);
    // Deltas, then only the remainder of the final text; connector/model text escaped.
    expect(stream.text).toBe('Your password was reset. Check &lt;your&gt; inbox &amp; phone.');
  });

  test('a long answer is split across appends within the 12,000-character limit', async () => {
    const run = runEventFactory(TENANT, dmAddress('1710000002.000100'));
    const paragraph = `${'All systems nominal. '.repeat(40)}\n\n`;
    const answer = paragraph.repeat(40);
    await h.bus.publish(run.next({ type: 'run.started', text: 'status?' }));
    await h.bus.publish(run.next({ type: 'run.completed', text: answer }));
    await h.channel.idle();
    const stream = streamOf('1710000002.000100');
    const streamCalls = h.slack.calls().filter((c) => ['chat.startStream', 'chat.appendStream', 'chat.stopStream'].includes(c.method) && (c.args.ts === stream.ts || c.args.thread_ts === '1710000002.000100'));
    const sizes = streamCalls.map((c) => ((c.args.chunks as { type: string; text?: string }[] | undefined) ?? []).reduce((n, chunk) => n + (chunk.text?.length ?? 0), 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(12_000);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(stream.text.replace(/\s+/g, '')).toBe(answer.replace(/\s+/g, ''));
  });

  test('where streaming is refused, the run falls back to one edited message', async () => {
    h.slack.failNext('chat.startStream', { kind: 'error', error: 'method_not_supported_for_channel_type' });
    const run = runEventFactory(TENANT, dmAddress('1710000003.000100'));
    await h.bus.publish(run.next({ type: 'plan.created', plan, tier: 'deterministic' }));
    await h.bus.publish(run.next({ type: 'run.completed', text: 'Done.' }));
    await h.channel.idle();
    const posted = h.slack.messages('D0ADA').filter((m) => m.threadTs === '1710000003.000100');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.streaming).toBe('none');
    expect(JSON.stringify(posted[0]?.blocks)).toContain('Done.');
    expect(JSON.stringify(posted[0]?.blocks)).toContain('Reset the password');
  });
});

describe('channel thread: one message edited in place', () => {
  test('edits are coalesced; a 429 with Retry-After delays the next edit and the final state still lands', async () => {
    const threadTs = '1710000004.000100';
    const run = runEventFactory(TENANT, channelAddress(threadTs));
    await h.bus.publish(run.next({ type: 'plan.created', plan, tier: 'deterministic' }));
    const first = await h.slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === threadTs);
    h.slack.failNext('chat.update', { kind: 'ratelimit', retryAfterSeconds: 1 });
    for (const body of [
      { type: 'step.started', stepId: 's1', title: 'Look up your Okta profile' },
      { type: 'step.finished', stepId: 's1', title: 'Look up your Okta profile', summary: 'ok' },
      { type: 'step.started', stepId: 's2', title: 'Reset the password' },
      { type: 'step.failed', stepId: 's2', title: 'Reset the password', error: { code: 'x', message: 'Okta said <no> & stopped' } },
      { type: 'run.completed', text: 'I could not reset it <sorry>.' },
    ] as const) await h.bus.publish(run.next(body));
    await h.channel.idle();

    const updates = h.slack.calls('chat.update').filter((c) => c.args.ts === first.args.ts || c.args.channel === 'C0NET');
    const limited = updates.filter((c) => c.status === 429);
    const succeeded = updates.filter((c) => c.status === 200);
    expect(limited).toHaveLength(1);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    // Coalesced: five events, far fewer edits.
    expect(updates.length).toBeLessThan(5);
    // The edit after the 429 came later than Slack asked (Retry-After: 1 s) — ordering, not timing, is asserted:
    expect(updates.indexOf(limited[0]!)).toBeLessThan(updates.indexOf(succeeded.at(-1)!));
    const message = h.slack.messages('C0NET').find((m) => m.threadTs === threadTs);
    const rendered = JSON.stringify(message?.blocks);
    expect(rendered).toContain('Okta said &lt;no&gt; &amp; stopped');
    expect(rendered).toContain('I could not reset it &lt;sorry&gt;.');
    expect(rendered).toContain(':x: Reset the password');
    expect(h.slack.messages('C0NET').filter((m) => m.threadTs === threadTs)).toHaveLength(1);
  });

  test('a long answer in a channel thread is split into sections and extra messages within Slack limits', async () => {
    const threadTs = '1710000005.000100';
    const run = runEventFactory(TENANT, channelAddress(threadTs));
    const answer = `${'word '.repeat(700)}\n`.repeat(30);
    await h.bus.publish(run.next({ type: 'run.completed', text: answer }));
    await h.channel.idle();
    const messages = h.slack.messages('C0NET').filter((m) => m.threadTs === threadTs);
    expect(messages.length).toBeGreaterThan(1);
    const sections = messages.flatMap((m) => m.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section');
    expect(Math.max(...sections.map((b) => b.text?.text.length ?? 0))).toBeLessThanOrEqual(3000);
    for (const m of messages) expect((m.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    expect(sections.map((b) => b.text?.text).join('').replace(/\s+/g, '')).toBe(answer.replace(/\s+/g, ''));
  });

  test('renderer state is dropped when runs end, and replayed events of a finished run post nothing', async () => {
    const threadTs = '1710000006.000100';
    const run = runEventFactory(TENANT, channelAddress(threadTs));
    const done = run.next({ type: 'run.completed', text: 'Finished.' });
    await h.bus.publish(done);
    await waitFor(async () => (await activeRuns()) === 0);
    await h.bus.publish(done);
    await h.bus.publish(run.next({ type: 'message.delta', text: 'late' }));
    await h.channel.idle();
    expect(h.slack.messages('C0NET').filter((m) => m.threadTs === threadTs)).toHaveLength(1);
    await waitFor(async () => (await activeRuns()) === 0);
  });
});

async function activeRuns(): Promise<number> {
  await h.channel.idle();
  return h.channel.activeRuns;
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}
