import { randomUUID } from 'node:crypto';
import type { RunEvent, RunEventBody } from '../../../src/events/runEvent.js';
import type { JsonObject } from '../../../src/core/json.js';
import type { TeamsAddress } from '../../../src/channels/teams/index.js';
import { ENTRA_TENANT, startTeamsHarness, TENANT, type TeamsHarness } from '../../support/teamsHarness.js';
import { cardActionInvoke, postActivity, type ConversationSpec } from '../../support/teamsActivities.js';

/**
 * Issue 12, findings 2 and 8 through the Bot Connector: approval cards are sent whatever order
 * events arrive in, and what Ada reads in a group chat is true, in order, and said once.
 */
const ADA = { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada Lovelace', email: 'ada@acme.test' };
const GRACE = { id: '29:grace', aadObjectId: 'aad-grace', name: 'Grace Hopper', email: 'grace@acme.test' };
const dm = (person: { aadObjectId: string }): ConversationSpec => ({ kind: 'personal', id: `a:dm-${person.aadObjectId}`, entraTenantId: ENTRA_TENANT });

describe('Teams run view from the stored log', () => {
  let h: TeamsHarness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startTeamsHarness();
    ids.ada = await h.addPerson(ADA, { withPersonalChat: true });
    ids.grace = await h.addPerson(GRACE, { withPersonalChat: true });
  });
  afterAll(async () => h.close());

  function addressFor(mode: 'stream' | 'update', conversationId: string): TeamsAddress {
    return {
      kind: 'teams', mode, entraTenantId: ENTRA_TENANT,
      reference: {
        channelId: 'msteams', serviceUrl: h.connector.url,
        conversation: { id: conversationId, conversationType: mode === 'stream' ? 'personal' : 'groupChat', tenantId: ENTRA_TENANT },
        agent: { id: '28:switchboard-bot', name: 'Switchboard' }, user: { id: ADA.id, aadObjectId: ADA.aadObjectId },
      },
      ...(mode === 'update' ? { replyToId: 'user-message-1' } : {}),
    };
  }

  function run(address: TeamsAddress): (body: RunEventBody) => RunEvent {
    const runId = randomUUID();
    let seq = 0;
    return (body) => ({ runId, tenantId: TENANT, conversationId: 'c1', userId: ids.ada!, reply: { channel: 'teams', address: address as unknown as JsonObject }, seq: ++seq, at: new Date().toISOString(), ...body }) as RunEvent;
  }

  const plan: RunEventBody = { type: 'plan.created', tier: 'deterministic', plan: { summary: 'Reset your Okta password', steps: [
    { id: 's1', title: 'Look up your Okta profile', tool: 'okta_get_my_profile', status: 'pending' },
    { id: 's2', title: 'Reset your Okta password', tool: 'okta_reset_my_password', status: 'pending' },
  ] } };

  function requested(approvalId: string, approvers: { userId: string; displayName: string; email: string }[]): RunEventBody {
    return {
      type: 'approval.requested', approvalId, stepId: 's2', tool: 'okta_reset_my_password', action: 'Reset your Okta password', risk: 'high',
      reason: 'Password resets need a second person.', requester: { userId: ids.ada!, displayName: ADA.name, email: ADA.email },
      approvers, expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
  }

  const cardsFor = (approvalId: string) => h.connector.messages(dm(GRACE).id).filter((m) => JSON.stringify(m.attachments).includes(approvalId));

  test('step.finished (seq 3) delivered before approval.requested (seq 2): the approver card is still sent, exactly once', async () => {
    const approvalId = randomUUID();
    const next = run(addressFor('stream', dm(ADA).id));
    const events = [next(plan), next(requested(approvalId, [{ userId: ids.grace!, displayName: GRACE.name, email: GRACE.email }])), next({ type: 'step.finished', stepId: 's1', title: 'Look up your Okta profile', summary: 'Found ada@acme.test' })];
    for (const event of events) h.bus.log.store(event);
    for (const event of [events[0]!, events[2]!, events[1]!, events[1]!]) await h.bus.deliver(event);
    await h.channel.idle();
    expect(cardsFor(approvalId)).toHaveLength(1);
    const texts = h.connector.messages(dm(ADA).id).map((m) => m.text).join('\n');
    expect(texts).toContain('I have asked Grace Hopper and will continue here once they decide.');
  });

  test('group chat: the "could not reach" notice is part of the edit that announces the approval, never a message before it', async () => {
    const conversation = `19:${randomUUID()}@thread.v2`;
    const next = run(addressFor('update', conversation));
    const margaret = await h.users.upsert(TENANT, { email: 'margaret@acme.test', displayName: 'Margaret Hamilton' });
    await h.bus.publish(next(plan));
    await h.bus.publish(next(requested(randomUUID(), [{ userId: margaret.id, displayName: 'Margaret Hamilton', email: 'margaret@acme.test' }])));
    await h.channel.idle();
    // The only other message is the requester's Cancel card, sent after the announcement.
    const messages = h.connector.messages(conversation).filter((m) => m.attachments.length === 0);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toContain('I could not reach Margaret Hamilton in Microsoft Teams.');
    expect(messages[0]!.text).not.toContain('I have asked');
    expect(messages[0]!.text).toContain('to reset your Okta password');
    expect(messages[0]!.text).not.toMatch(/(before I|to) Reset/);
  });

  test('group chat: the final edit states the result once, drops "will continue here", and a bullet list renders as a list', async () => {
    const conversation = `19:${randomUUID()}@thread.v2`;
    const approvalId = randomUUID();
    const next = run(addressFor('update', conversation));
    for (const body of [
      plan,
      requested(approvalId, [{ userId: ids.grace!, displayName: GRACE.name, email: GRACE.email }]),
      { type: 'approval.decided', approvalId, decision: 'approved', decidedBy: { userId: ids.grace!, displayName: GRACE.name, email: GRACE.email }, action: 'Reset your Okta password' },
      { type: 'step.finished', stepId: 's1', title: 'Look up your Okta profile', summary: 'Found ada@acme.test' },
      { type: 'step.finished', stepId: 's2', title: 'Reset your Okta password', summary: 'Your Okta password was reset.' },
      { type: 'run.completed', text: '✅ Found ada@acme.test\n✅ Your Okta password was reset.' },
    ] as RunEventBody[]) await h.bus.publish(next(body));
    await h.channel.idle();
    // Besides the progress message there is only the requester's Cancel card, closed once decided.
    const [message, ...others] = h.connector.messages(conversation).filter((m) => m.attachments.length === 0 && m.text !== 'This request is no longer waiting for a decision.');
    expect(others).toHaveLength(0);
    const text = message!.text;
    expect(text.split('Your Okta password was reset.').length - 1).toBe(1);
    expect(text).not.toContain('once they decide');
    expect(text).toContain('✅ Found ada@acme.test\n\n✅ Your Okta password was reset.');
    expect(text).toContain('Approved by Grace Hopper: reset your Okta password.');
  });

  test('the requester cancels from the card in her chat; nobody else can; an approver denies with a reason from the card input', async () => {
    const approvalId = randomUUID();
    h.decider.add(approvalId, { tenantId: TENANT, requesterId: ids.ada!, approverIds: [ids.grace!], action: 'Reset your Okta password', expiresAt: new Date(Date.now() + 3_600_000) });
    const next = run(addressFor('stream', dm(ADA).id));
    await h.bus.publish(next(plan));
    await h.bus.publish(next(requested(approvalId, [{ userId: ids.grace!, displayName: GRACE.name, email: GRACE.email }])));
    await h.channel.idle();
    const offer = h.connector.messages(dm(ADA).id).find((m) => JSON.stringify(m.attachments).includes('"verb":"cancel"') && JSON.stringify(m.attachments).includes(approvalId));
    expect(offer).toBeDefined();
    const cancelData = { marker: 'switchboard.approval', verb: 'cancel', approvalId };
    const byGrace = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(GRACE), GRACE, 'cancel', cancelData, offer!.id));
    expect(JSON.stringify(byGrace.body)).toContain('Only the person who asked');
    expect(h.decider.approvals.get(approvalId)!.decided).toBeUndefined();
    const byAda = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(ADA), ADA, 'cancel', cancelData, offer!.id));
    expect(JSON.stringify(byAda.body)).toContain('You cancelled this request');
    expect(h.decider.approvals.get(approvalId)!.decided).toBe('cancelled');

    // Deny with a reason: the pending card has the input, and the reason reaches the decider.
    const second = randomUUID();
    h.decider.add(second, { tenantId: TENANT, requesterId: ids.ada!, approverIds: [ids.grace!], action: 'Reset your Okta password', expiresAt: new Date(Date.now() + 3_600_000) });
    const again = run(addressFor('stream', dm(ADA).id));
    await h.bus.publish(again(plan));
    await h.bus.publish(again(requested(second, [{ userId: ids.grace!, displayName: GRACE.name, email: GRACE.email }])));
    await h.channel.idle();
    const card = cardsFor(second)[0]!;
    expect(JSON.stringify(card.attachments)).toContain('"type":"Input.Text","id":"reason"');
    await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(GRACE), GRACE, 'deny', { marker: 'switchboard.approval', verb: 'deny', approvalId: second, reason: 'Use the self-service portal.' }, card.id));
    expect(h.decider.calls.find((c) => c.approvalId === second)).toMatchObject({ decision: 'deny', comment: 'Use the self-service portal.' });
  });
});
