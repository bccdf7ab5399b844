import { randomUUID } from 'node:crypto';
import type { RunEvent, RunEventBody } from '../../../src/events/runEvent.js';
import type { JsonObject } from '../../../src/core/json.js';
import type { TeamsAddress } from '../../../src/channels/teams/index.js';
import { ENTRA_TENANT, startTeamsHarness, TENANT, type TeamsHarness } from '../../support/teamsHarness.js';
import { cardActionInvoke, cardSubmitMessage, postActivity, type ConversationSpec } from '../../support/teamsActivities.js';

const ADA = { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada Lovelace', email: 'ada@acme.test' };
const GRACE = { id: '29:grace', aadObjectId: 'aad-grace', name: 'Grace Hopper', email: 'grace@acme.test' };
const LINUS = { id: '29:linus', aadObjectId: 'aad-linus', name: 'Linus Torvalds', email: 'linus@acme.test' };
const ALAN = { id: '29:alan', aadObjectId: 'aad-alan', name: 'Alan Turing', email: 'alan@acme.test' };
const dm = (person: { aadObjectId: string }): ConversationSpec => ({ kind: 'personal', id: `a:dm-${person.aadObjectId}`, entraTenantId: ENTRA_TENANT });

interface Card {
  version: string;
  actions?: { type: string; verb: string; data: { approvalId: string }; fallback: { type: string } }[];
  refresh?: { action: { verb: string }; userIds: string[] };
}

describe('Teams approvals', () => {
  let h: TeamsHarness;
  const ids: Record<string, string> = {};
  let requesterAddress: TeamsAddress;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ids.ada = await h.addPerson(ADA, { withPersonalChat: true });
    ids.grace = await h.addPerson(GRACE, { withPersonalChat: true });
    ids.linus = await h.addPerson(LINUS);
    ids.alan = await h.addPerson(ALAN, { withPersonalChat: true });
    requesterAddress = {
      kind: 'teams',
      mode: 'stream',
      entraTenantId: ENTRA_TENANT,
      reference: { channelId: 'msteams', serviceUrl: h.connector.url, conversation: { id: dm(ADA).id, conversationType: 'personal', tenantId: ENTRA_TENANT }, agent: { id: '28:switchboard-bot', name: 'Switchboard' }, user: { id: ADA.id, aadObjectId: ADA.aadObjectId } },
    };
  });
  afterAll(async () => h.close());

  function requestApproval(approvalId: string, approvers: string[]): { events: (body: RunEventBody) => RunEvent } {
    h.decider.add(approvalId, { tenantId: TENANT, requesterId: ids.ada!, approverIds: approvers.map((n) => ids[n]!), action: 'reset your Okta password', expiresAt: new Date(Date.now() + 3_600_000) });
    const runId = randomUUID();
    let seq = 0;
    const events = (body: RunEventBody): RunEvent =>
      ({ runId, tenantId: TENANT, conversationId: 'c1', userId: ids.ada!, reply: { channel: 'teams', address: requesterAddress as unknown as JsonObject }, seq: ++seq, at: new Date().toISOString(), ...body }) as RunEvent;
    return { events };
  }

  function requested(approvalId: string, approvers: [string, { name: string; email: string }][]): RunEventBody {
    return {
      type: 'approval.requested',
      approvalId,
      stepId: 's1',
      tool: 'okta_reset_my_password',
      action: 'reset your Okta password',
      risk: 'high',
      reason: 'Password resets need a second person.',
      requester: { userId: ids.ada!, displayName: ADA.name, email: ADA.email },
      approvers: approvers.map(([key, p]) => ({ userId: ids[key]!, displayName: p.name, email: p.email })),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
  }

  const cardOf = (conversationId: string) => {
    const message = h.connector.messages(conversationId).find((m) => m.attachments.length > 0)!;
    return { message, card: message.attachments[0]!.content as Card };
  };

  test('cards go to approvers proactively; only approvers decide, once; the card is replaced with the decision', async () => {
    const approvalId = randomUUID();
    const { events } = requestApproval(approvalId, ['grace', 'linus']);
    await h.bus.publish(events({ type: 'run.started', text: 'reset my okta password' }));
    await h.bus.publish(events(requested(approvalId, [['grace', GRACE], ['linus', LINUS]])));
    await h.channel.idle();

    // Grace has a stored chat: the card is sent there, with Action.Execute + Action.Submit fallback and refresh for her.
    const { message: graceMessage, card } = cardOf(dm(GRACE).id);
    expect(graceMessage.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.version).toBe('1.5');
    expect(card.actions!.map((a) => [a.type, a.verb, a.data.approvalId, a.fallback.type])).toEqual([
      ['Action.Execute', 'approve', approvalId, 'Action.Submit'],
      ['Action.Execute', 'deny', approvalId, 'Action.Submit'],
    ]);
    expect(card.refresh).toMatchObject({ action: { verb: 'refresh' }, userIds: [GRACE.id] });
    // Linus never wrote to the bot: a 1:1 chat is created for him and remembered.
    expect(h.connector.created).toHaveLength(1);
    expect(h.connector.created[0]!.params).toMatchObject({ isGroup: false, members: [{ id: LINUS.aadObjectId }], tenantId: ENTRA_TENANT });
    const linusChat = h.connector.created[0]!.id;
    expect(cardOf(linusChat).card.actions).toHaveLength(2);
    const [linusIdentity] = await h.identities.forUser(TENANT, ids.linus!, 'teams');
    expect((linusIdentity?.address as { conversation: { id: string } }).conversation.id).toBe(linusChat);
    // The requester's stream ends with the wait explained, saying who was asked only once the cards went out.
    expect(h.connector.messages(dm(ADA).id).map((m) => m.text).join('\n')).toMatch(/Waiting for approval by Grace Hopper, Linus Torvalds to reset your Okta password\. I have asked Grace Hopper and Linus Torvalds and will continue here once they decide\./);

    // The requester and a non-approver are refused with an explanation; nothing is decided.
    const self = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(ADA), ADA, 'approve', card.actions![0]!.data, graceMessage.id));
    expect(self.status).toBe(200);
    expect(self.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'You cannot approve your own request.' });
    const other = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(ALAN), ALAN, 'approve', card.actions![0]!.data));
    expect((other.body as { value: string }).value).toBe('You are not an approver for this request.');
    const stranger = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm({ aadObjectId: 'aad-x' }), { id: '29:x', aadObjectId: 'aad-x', name: 'X' }, 'approve', card.actions![0]!.data));
    expect((stranger.body as { value: string }).value).toMatch(/do not know you as an approver/);
    expect(h.decider.approvals.get(approvalId)!.decided).toBeUndefined();

    // Grace approves: the invoke answers with the replacement card showing the decision.
    const approve = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(GRACE), GRACE, 'approve', card.actions![0]!.data, graceMessage.id));
    expect(approve.status).toBe(200);
    const answer = approve.body as { statusCode: number; type: string; value: { body: { text?: string }[]; actions?: unknown } };
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(answer.value.actions).toBeUndefined();
    expect(JSON.stringify(answer.value.body)).toContain('Approved by Grace Hopper');
    expect(h.decider.approvals.get(approvalId)!.decided).toBe('approved');

    // A second decision does not count.
    const late = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, { ...dm(LINUS), id: linusChat }, LINUS, 'deny', card.actions![1]!.data));
    expect((late.body as { value: string }).value).toBe('This request was already approved.');
    expect(h.decider.approvals.get(approvalId)!.decided).toBe('approved');

    // The engine's decided event replaces every approver's card.
    await h.bus.publish(events({ type: 'approval.decided', approvalId, decision: 'approved', decidedBy: { userId: ids.grace!, displayName: GRACE.name, email: GRACE.email }, action: 'reset your Okta password' }));
    await h.channel.idle();
    for (const conversationId of [dm(GRACE).id, linusChat]) {
      const { message } = cardOf(conversationId);
      expect(message.edits).toBe(1);
      expect(JSON.stringify(message.attachments)).toContain('Approved by Grace Hopper');
      expect(JSON.stringify(message.attachments)).not.toContain('Action.Execute');
    }
    await h.bus.publish(events({ type: 'run.completed', text: 'Your Okta password was reset.' }));
    await h.channel.idle();
    expect(h.connector.messages(dm(ADA).id).map((m) => m.text)).toContain('Your Okta password was reset.');
    expect(h.connector.violations).toEqual([]);
  });

  test('refresh shows buttons to approvers only; the Action.Submit fallback edits the card in place', async () => {
    const approvalId = randomUUID();
    const { events } = requestApproval(approvalId, ['grace']);
    await h.bus.publish(events(requested(approvalId, [['grace', GRACE]])));
    await h.channel.idle();
    const { message, card } = h.connector.messages(dm(GRACE).id).filter((m) => m.attachments.length > 0).map((m) => ({ message: m, card: m.attachments[0]!.content as Card })).find((c) => c.card.actions?.[0]?.data.approvalId === approvalId)!;

    const data = card.actions![0]!.data;
    const forGrace = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(GRACE), GRACE, 'refresh', data));
    expect((forGrace.body as { value: Card }).value.actions).toHaveLength(2);
    const forAlan = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(ALAN), ALAN, 'refresh', data));
    expect((forAlan.body as { value: Card }).value.actions).toBeUndefined();

    const deny = { ...data, verb: 'deny' };
    const res = await postActivity(h.messagesUrl, cardSubmitMessage(h.connector.url, dm(GRACE), GRACE, deny, message.id));
    expect(res.status).toBe(200);
    expect(h.decider.approvals.get(approvalId)!.decided).toBe('denied');
    expect(JSON.stringify(h.connector.message(message.id)!.attachments)).toContain('Denied by Grace Hopper');
  });

  test('an approver Teams cannot reach is reported to the requester', async () => {
    const approvalId = randomUUID();
    const margaret = await h.users.upsert(TENANT, { email: 'margaret@acme.test', displayName: 'Margaret Hamilton' });
    ids.margaret = margaret.id;
    const { events } = requestApproval(approvalId, ['margaret']);
    await h.bus.publish(events(requested(approvalId, [['margaret', { name: 'Margaret Hamilton', email: 'margaret@acme.test' }]])));
    await h.channel.idle();
    expect(h.connector.messages(dm(ADA).id).map((m) => m.text).join('\n')).toMatch(/could not reach Margaret Hamilton in Microsoft Teams/);
  });

  test('unknown card actions get a 400 error response', async () => {
    const res = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, dm(GRACE), GRACE, 'approve', { approvalId: 'x' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  });
});
