import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { RunEvent, RunEventBody } from '../../src/events/runEvent.js';
import type { JsonObject } from '../../src/core/json.js';
import type { TeamsAddress } from '../../src/channels/teams/index.js';
import { buildActionView } from '../../src/tools/actionView.js';
import { InertStream } from '../../src/core/inertText.js';
import { approvalRequestBlocks } from '../../src/channels/slack/approvalBlocks.js';
import { pendingCard } from '../../src/channels/teams/approvalCard.js';
import { escapeMrkdwn, inertMarkdown, inlineMrkdwn } from '../../src/channels/slack/mrkdwn.js';
import { inertMessage, plain } from '../../src/channels/teams/text.js';
import { startHarness, TEAM, TENANT as SLACK_TENANT, type Harness } from '../channels/slack/support/harness.js';
import { runEventFactory } from '../channels/slack/support/runEvents.js';
import { ENTRA_TENANT, startTeamsHarness, TENANT as TEAMS_TENANT, type TeamsHarness } from '../support/teamsHarness.js';
import { INJECTIONS, liveInSlack, liveInSlackBlocks, liveInTeamsMarkdown, mrkdwnTexts, spoofedInMrkdwn, stringsIn } from './support/liveLinks.js';

/**
 * Issue 11, findings 3 and 4: arguments and data can neither fake card fields nor become live
 * links or mentions on Slack, Teams or the web playground. Counts are printed for the CI log.
 */
const tally = { attempts: 0, liveLinks: 0, spoofed: 0 };
afterAll(() => {
  console.log(`rendering adversarial suite: ${tally.attempts} injection attempts, ${tally.liveLinks} live injected links or mentions, ${tally.spoofed} spoofed card fields`);
});

const LONG_TAIL = 'END-OF-DESCRIPTION';
const longDescription = `${INJECTIONS.join('\n')}\n${'The VPN drops every few minutes when I am on the office wifi. '.repeat(40)}${LONG_TAIL}`;

function adversarialArgs(): Record<string, unknown> {
  return {
    short_description: INJECTIONS[0],
    description: longDescription,
    comment: INJECTIONS[8],
    variables: { justification: INJECTIONS[2], size: INJECTIONS[4], link: INJECTIONS[1] },
    urgency: 1,
  };
}

describe('escaping helpers on every injection', () => {
  test.each(INJECTIONS.map((text) => [text]))('%j stays text everywhere', (text) => {
    tally.attempts += 5;
    const slackInline = inlineMrkdwn(text);
    const slackBlock = escapeMrkdwn(text);
    const slackMarkdown = inertMarkdown(text);
    const live = [...liveInSlack(slackInline), ...liveInSlack(slackBlock), ...liveInSlack(slackMarkdown), ...liveInTeamsMarkdown(plain(text)), ...liveInTeamsMarkdown(inertMessage(text))];
    const spoofed = [...spoofedInMrkdwn(slackInline), ...spoofedInMrkdwn(slackBlock)];
    tally.liveLinks += live.length;
    tally.spoofed += spoofed.length;
    expect(live).toEqual([]);
    expect(spoofed).toEqual([]);
    expect(slackInline).not.toContain('\n');
  });
});

test('a link split across streamed pieces is neutralised once whole (InertStream)', () => {
  const pieces = ['Open [Click to approve](https://ev', 'il.example/approve) or https:', '//evil.example/x now', ''];
  const stream = new InertStream();
  const sent = pieces.map((piece) => inertMarkdown(stream.push(piece))).join('') + inertMarkdown(stream.flush());
  tally.attempts += 2;
  const live = liveInSlack(sent);
  tally.liveLinks += live.length;
  expect(live).toEqual([]);
  expect(sent).toContain('https［:］//evil［.］example/x');
});

test('a 30,000-character description fits Slack and Teams limits, complete or saying where the rest is', () => {
  const description = `${'Steps to reproduce the VPN drop on the office wifi. '.repeat(600)}TAIL`;
  const view = buildActionView({ headline: 'Create a Jira Bug in NET', args: { project: 'NET', summary: 'VPN drops', description } });
  const summary = { approvalId: 'a1', requesterName: 'Ada', requesterEmail: 'ada@acme.test', action: view.headline, tool: 'jira_create_issue', risk: 'write', reason: 'policy', expiresAt: new Date().toISOString(), view };
  const blocks = approvalRequestBlocks(summary);
  // Slack: still complete, in 3,000-character plain_text sections within the 50-block limit.
  expect(blocks.length).toBeLessThanOrEqual(50);
  expect(JSON.stringify(blocks).includes('TAIL')).toBe(true);
  const card = pendingCard({ approvalId: 'a1', action: view.headline, tool: 'jira_create_issue', risk: 'write', reason: 'policy', requesterName: 'Ada', expiresAt: new Date().toISOString(), details: view }, { buttons: true, refreshUserIds: [] });
  // Teams: a message holds about 28 KB, so the card says where the rest is instead of failing to send.
  expect(JSON.stringify(card).length).toBeLessThan(24_000);
  expect(JSON.stringify(card).includes('approvals inbox')).toBe(true);
});

describe('Slack, protocol level (fake Slack Web API)', () => {
  let h: Harness;
  const threadTs = '1710000900.000100';

  beforeAll(async () => {
    h = await startHarness();
    h.slack.addUser({ id: 'U0ADA', teamId: TEAM, email: 'ada@acme.test', name: 'Ada Lovelace' });
    h.slack.addUser({ id: 'U0GRACE', teamId: TEAM, email: 'grace@acme.test', name: 'Grace Hopper' });
    h.people.set('U0ADA', { tenantId: SLACK_TENANT, userId: 'user-ada' });
    h.people.set('U0GRACE', { tenantId: SLACK_TENANT, userId: 'user-grace' });
  });
  afterAll(async () => h.close());

  test('an approval card with every injection in its arguments: complete, inert, no fake fields', async () => {
    const run = runEventFactory(SLACK_TENANT, { channel: 'D0ADA', threadTs, teamId: TEAM, userId: 'U0ADA', mode: 'stream' });
    const approvalId = randomUUID();
    h.decider.add(approvalId, { tenantId: SLACK_TENANT, requesterId: 'user-ada', approverIds: ['user-grace'], action: 'open an incident', expiresAt: new Date(Date.now() + 3_600_000) });
    await h.bus.publish(run.next({ type: 'run.started', text: 'open an incident' }));
    await h.bus.publish(run.next({ type: 'plan.created', plan: { summary: INJECTIONS[1]!, steps: [{ id: 's1', title: INJECTIONS[0]!, tool: 'servicenow_create_incident', status: 'pending' }] }, tier: 'model' }));
    const view = buildActionView({ headline: `Open a ServiceNow incident: ${INJECTIONS[0]}`, args: adversarialArgs(), actingAs: { system: 'ServiceNow', account: 'ada@acme.test' } });
    await h.bus.publish(run.next({
      type: 'approval.requested', approvalId, stepId: 's1', tool: 'servicenow_create_incident', action: view.headline, risk: 'write',
      reason: `The model says: ${INJECTIONS[8]} ${INJECTIONS[0]}`,
      requester: { userId: 'user-ada', displayName: 'Ada <!channel> Lovelace', email: 'ada@acme.test' },
      approvers: [{ userId: 'user-grace', displayName: 'Grace Hopper', email: 'grace@acme.test' }],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(), view,
    }));
    await h.channel.idle();

    const dm = h.slack.messages(h.slack.dmChannelOf('U0GRACE'))[0];
    expect(dm).toBeDefined();
    const blocksJson = JSON.stringify(dm!.blocks);
    // Finding 3: every argument on the card, the long one complete, with the acting account.
    expect(blocksJson).toContain('Runs as ada@acme.test in ServiceNow');
    for (const label of ['Short description', 'Description', 'Comment', 'Variables › justification', 'Variables › size', 'Variables › link', 'Urgency']) expect(blocksJson).toContain(label);
    expect(blocksJson).toContain(LONG_TAIL);
    expect(blocksJson).toContain('Show details');
    const checked = assertInertSlack(dm!.blocks, dm!.text);
    tally.attempts += checked;
  });

  test('answers, step titles and notes streamed as markdown_text keep injected links inert', async () => {
    const ts = '1710000901.000100';
    const run = runEventFactory(SLACK_TENANT, { channel: 'D0ADA', threadTs: ts, teamId: TEAM, userId: 'U0ADA', mode: 'stream' });
    await h.bus.publish(run.next({ type: 'run.started', text: 'show my cases' }));
    await h.bus.publish(run.next({ type: 'plan.created', plan: { summary: 'Find your cases', steps: [{ id: 's1', title: 'Find cases', tool: 'salesforce_find_cases', status: 'pending' }] }, tier: 'model' }));
    await h.bus.publish(run.next({ type: 'step.started', stepId: 's1', title: 'Find cases' }));
    await h.bus.publish(run.next({ type: 'step.finished', stepId: 's1', title: 'Find cases', summary: `Found 2 cases: ${INJECTIONS[0]}, ${INJECTIONS[1]}` }));
    const answer = `Here are your cases:\n- ${INJECTIONS.slice(0, 8).join('\n- ')}`;
    // The model's own answer is untrusted too.
    await h.bus.publish(run.next({ type: 'message.delta', text: answer }));
    await h.bus.publish(run.next({ type: 'run.completed', text: answer }));
    await h.channel.idle();
    const calls = h.slack.calls().filter((c) => c.args.thread_ts === ts || c.args.channel === 'D0ADA');
    expect(calls.length).toBeGreaterThan(0);
    let live: string[] = [];
    for (const call of calls) for (const { text } of stringsIn(call.args)) live = live.concat(liveInSlack(text));
    tally.attempts += 11;
    tally.liveLinks += live.length;
    expect(live).toEqual([]);
  });

  function assertInertSlack(blocks: unknown, text: string): number {
    const live = liveInSlackBlocks(blocks, text);
    const spoofed = mrkdwnTexts(blocks).concat(text).flatMap(spoofedInMrkdwn);
    tally.liveLinks += live.length;
    tally.spoofed += spoofed.length;
    expect(live).toEqual([]);
    expect(spoofed).toEqual([]);
    return INJECTIONS.length;
  }
});

describe('Teams, protocol level (fake Bot Connector)', () => {
  let h: TeamsHarness;
  const ADA = { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada Lovelace', email: 'ada@acme.test' };
  const GRACE = { id: '29:grace', aadObjectId: 'aad-grace', name: 'Grace Hopper', email: 'grace@acme.test' };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startTeamsHarness();
    ids.ada = await h.addPerson(ADA, { withPersonalChat: true });
    ids.grace = await h.addPerson(GRACE, { withPersonalChat: true });
  });
  afterAll(async () => h.close());

  /** Events of one new run of Ada's, streamed to her personal chat, numbered in order. */
  function adaRunEvents(conversationId: string): (body: RunEventBody) => RunEvent {
    const address: TeamsAddress = {
      kind: 'teams', mode: 'stream', entraTenantId: ENTRA_TENANT,
      reference: { channelId: 'msteams', serviceUrl: h.connector.url, conversation: { id: 'a:dm-aad-ada', conversationType: 'personal', tenantId: ENTRA_TENANT }, agent: { id: '28:switchboard-bot', name: 'Switchboard' }, user: { id: ADA.id, aadObjectId: ADA.aadObjectId } },
    };
    const runId = randomUUID();
    let seq = 0;
    return (body) =>
      ({ runId, tenantId: TEAMS_TENANT, conversationId, userId: ids.ada!, reply: { channel: 'teams', address: address as unknown as JsonObject }, seq: ++seq, at: new Date().toISOString(), ...body }) as RunEvent;
  }

  test('the approval card shows every argument (long text behind Show details) and nothing in it is a live link', async () => {
    const event = adaRunEvents('c1');
    const approvalId = randomUUID();
    h.decider.add(approvalId, { tenantId: TEAMS_TENANT, requesterId: ids.ada!, approverIds: [ids.grace!], action: 'open an incident', expiresAt: new Date(Date.now() + 3_600_000) });
    const view = buildActionView({ headline: `Open a ServiceNow incident: ${INJECTIONS[0]}`, args: adversarialArgs(), actingAs: { system: 'ServiceNow', account: 'ada@acme.test' } });
    await h.bus.publish(event({ type: 'run.started', text: 'open an incident' }));
    await h.bus.publish(event({
      type: 'approval.requested', approvalId, stepId: 's1', tool: 'servicenow_create_incident', action: view.headline, risk: 'write',
      reason: `The model says: ${INJECTIONS[0]}`,
      requester: { userId: ids.ada!, displayName: 'Ada [boss](https://evil.example) Lovelace', email: ADA.email },
      approvers: [{ userId: ids.grace!, displayName: GRACE.name, email: GRACE.email }],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(), view,
    }));
    await h.channel.idle();
    const card = h.connector.messages('a:dm-aad-grace').find((m) => m.attachments.length > 0)?.attachments[0]?.content;
    expect(card).toBeDefined();
    const json = JSON.stringify(card);
    expect(json).toContain('Runs as ada@acme.test in ServiceNow');
    expect(json).toContain('Action.ToggleVisibility');
    expect(json).toContain('Show details');
    expect(json).toContain(LONG_TAIL);
    for (const label of ['Short description: ', 'Description: ', 'Comment: ', 'Variables › justification: ', 'Urgency: ']) expect(json).toContain(label);
    const live = stringsIn(card).flatMap((s) => liveInTeamsMarkdown(s.text));
    tally.attempts += INJECTIONS.length;
    tally.liveLinks += live.length;
    expect(live).toEqual([]);
  });

  test("the model's streamed answer quoting injected case titles stays inert in the stream and the final message", async () => {
    const event = adaRunEvents('c2');
    const before = h.connector.messages('a:dm-aad-ada').length;
    await h.bus.publish(event({ type: 'run.started', text: 'show my cases' }));
    const answer = `Here are your cases:\n- ${INJECTIONS.slice(0, 8).join('\n- ')}\nDone.`;
    await h.bus.publish(event({ type: 'message.delta', text: answer }));
    await h.bus.publish(event({ type: 'run.completed', text: answer }));
    await h.channel.idle();
    const sent = h.connector.messages('a:dm-aad-ada').slice(before);
    const texts = sent.flatMap((m) => [m.text, ...m.stream.map((chunk) => chunk.text)]);
    expect(texts.join('\n')).toContain('Here are your cases');
    const answerLive = texts.flatMap(liveInTeamsMarkdown);
    tally.attempts += 8;
    tally.liveLinks += answerLive.length;
    expect(answerLive).toEqual([]);
  });
});

describe('web playground', () => {
  test('the page writes data only as text nodes, never as HTML', async () => {
    const source = await readFile(fileURLToPath(new URL('../../src/channels/web/static/app.js', import.meta.url)), 'utf8');
    tally.attempts += 1;
    // No HTML sink exists, so no argument or answer can become markup or a link there.
    const sinks = source.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.href\s*=|setAttribute\(\s*['"]href/g) ?? [];
    tally.liveLinks += sinks.length;
    expect(sinks).toEqual([]);
    expect(source).toContain("if (key === 'text') node.textContent = value;");
  });
});
