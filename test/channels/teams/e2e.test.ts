/**
 * End-to-end acceptance against the whole product (startSwitchboard: real gateway, engine, tier-0
 * planner, approvals, Postgres, the Jira and Okta sandboxes, the demo tenant), with Microsoft Teams at
 * protocol level: Bot Framework activities POSTed to /api/messages (anonymous development mode, as
 * with no MICROSOFT_APP_ID), whose serviceUrl is a local fake Bot Connector that records every call
 * and keeps the chats' state (posts, edits, streams).
 *
 * Personal chat: streamed progress, then the answer with the new issue's key. Group chat: one reply
 * under the @mention, edited in place. High risk: proactive Adaptive Cards to the approvers (one in
 * the chat an app install announced, one in a 1:1 chat the bot creates), clicks from the requester
 * and a non-approver refused, the approver's Action.Execute answered with the decided card, the
 * result back in the requester's chat, and exactly one Okta reset.
 */
import pg from 'pg';
import { startFakeBotConnector, type ConnectorMessage, type FakeBotConnector } from '../../support/fakeBotConnector.js';
import { cardActionInvoke, messageActivity, postActivity, type ConversationSpec, type TeamsPerson } from '../../support/teamsActivities.js';
import { eventually, startProduct, type RunningProduct } from '../../app/support/product.js';
import { installActivities } from './support/installActivities.js';

const ENTRA_TENANT = '7a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

type Person = TeamsPerson & { readonly email: string };
const people = {
  ada: { id: '29:1ada-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-00000000ada1', name: 'Ada Lovelace', email: 'ada@acme.test' },
  grace: { id: '29:1grace-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-0000000e6ace', name: 'Grace Hopper', email: 'grace@acme.test' },
  alan: { id: '29:1alan-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-000000000a1a', name: 'Alan Turing', email: 'alan@acme.test' },
  linus: { id: '29:1linus-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-0000001f1005', name: 'Linus Torvalds', email: 'linus@acme.test' },
} as const satisfies Record<string, Person>;

const dm = (person: Person): ConversationSpec => ({ kind: 'personal', id: `a:1dm-${person.aadObjectId}`, entraTenantId: ENTRA_TENANT });
const GROUP: ConversationSpec = { kind: 'groupChat', id: '19:e2e-group-chat@thread.v2', entraTenantId: ENTRA_TENANT };
const CHANNEL: ConversationSpec = { kind: 'channel', id: '19:e2e-it-channel@thread.tacv2;messageid=1700000000000', entraTenantId: ENTRA_TENANT };

interface CardAction {
  type: string;
  verb: string;
  data: Record<string, unknown> & { approvalId: string };
}
interface CardContent {
  body: unknown[];
  actions?: CardAction[];
}
interface InvokeAnswer {
  statusCode: number;
  type: string;
  value: unknown;
}

let connector: FakeBotConnector;
let product: RunningProduct;
let db: pg.Client;

beforeAll(async () => {
  connector = await startFakeBotConnector();
  // Teams' member lookup is how the channel learns a sender's work email (GET .../members/{id}).
  for (const person of Object.values(people)) {
    connector.addMember({ id: person.id, aadObjectId: person.aadObjectId, name: person.name, email: person.email, userPrincipalName: person.email });
  }
  // No MICROSOFT_APP_ID: anonymous development mode, no JWT on either side.
  product = await startProduct({ env: {} });
  db = new pg.Client({ connectionString: product.databaseUrl });
  await db.connect();
  // Ada files her bugs in NET: a saved per-user default the tier-0 planner reads (without one it asks
  // which project, which is its own path).
  const saved = await db.query(
    `INSERT INTO user_facts (id, tenant_id, user_id, key, value, updated_at)
     SELECT gen_random_uuid(), tenant_id, id, 'jira.defaultProject', 'NET', now() FROM users WHERE tenant_id = 'acme' AND email = $1`,
    [people.ada.email],
  );
  expect(saved.rowCount).toBe(1);
});

afterAll(async () => {
  await db?.end();
  await product?.close();
  await connector?.stop();
});

const messagesUrl = (): string => `${product.url}/api/messages`;

async function send(conversation: ConversationSpec, from: Person, text: string): Promise<string> {
  const activity = messageActivity(connector.url, conversation, from, text);
  const response = await postActivity(messagesUrl(), activity);
  expect(response.status).toBeLessThan(300);
  return activity.id as string;
}

/** The first bot message in a personal chat whose stream reached `final`. */
async function finalMessage(conversation: ConversationSpec): Promise<ConnectorMessage> {
  return eventually(async () => connector.messages(conversation.id).find((m) => m.streamState === 'final'), `a final message in ${conversation.id}`, 30_000);
}

function jiraIssueKeys(): Set<string> {
  return new Set(product.app.sandboxes!.jira.state.issues.map((issue) => issue.key));
}

/** The run a Teams activity started, once it has finished (the engine's own record, not the chat's). */
async function finishedRun(deliveryId: string): Promise<{ status: string; answer: string | null }> {
  return eventually(async () => {
    const { rows } = await db.query<{ status: string; answer: string | null }>('SELECT status, answer FROM runs WHERE channel = $1 AND delivery_id = $2', ['teams', deliveryId]);
    return rows[0] && ['completed', 'failed', 'cancelled'].includes(rows[0].status) ? rows[0] : undefined;
  }, `the run of activity ${deliveryId} to finish`, 30_000);
}

async function approvalStatus(approvalId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM approvals WHERE id = $1', [approvalId]);
  return rows[0]?.status;
}

function cardOf(message: ConnectorMessage): CardContent {
  const attachment = message.attachments[0] as { contentType: string; content: CardContent };
  expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachment.content;
}

async function click(conversation: ConversationSpec, from: Person, action: CardAction, replyToId: string): Promise<InvokeAnswer> {
  const response = await postActivity(messagesUrl(), cardActionInvoke(connector.url, conversation, from, action.verb, action.data, replyToId));
  expect(response.status).toBe(200);
  return response.body as InvokeAnswer;
}

test('personal chat: "create a Jira bug" streams progress and ends with the new issue key; one issue is created', async () => {
  const before = jiraIssueKeys();
  const asked = await send(dm(people.ada), people.ada, 'create a Jira bug for the VPN drops');

  const message = await finalMessage(dm(people.ada));
  const run = await finishedRun(asked);
  expect(run.status).toBe('completed');
  const created = [...jiraIssueKeys()].filter((key) => !before.has(key));
  expect(created).toHaveLength(1);
  const issue = product.app.sandboxes!.jira.state.issue(created[0]!)!;
  expect(issue.key).toMatch(/^NET-\d+$/);
  expect(issue.summary).toMatch(/VPN drops/i);
  expect(product.app.sandboxes!.jira.state.userById(issue.reporterId)?.email).toBe(people.ada.email);

  // One streamed message in ada's chat: informative progress (the plan among it), then the answer
  // as the `final` activity, in Teams' streaming protocol (checked by the fake on every call). Tier 0
  // writes its answer in one piece just before the run ends, so the SDK folds that text chunk into
  // the final activity instead of sending a `streaming` one (progress.test.ts covers chunked text).
  expect(connector.messages(dm(people.ada).id)).toHaveLength(1);
  expect(connector.violations).toEqual([]);
  const kinds = message.stream.map((s) => s.streamType);
  expect(kinds[0]).toBe('informative');
  expect(kinds.filter((k) => k === 'informative').length).toBeGreaterThanOrEqual(2);
  expect(kinds.at(-1)).toBe('final');
  expect(message.stream.filter((s) => s.streamType === 'informative').map((s) => s.text).join('\n')).toMatch(/Jira/);
  expect(message.text).toContain(issue.key);
  expect(message.text).toBe(run.answer);
  console.log(`teams e2e personal: ${message.stream.length} stream activities (${kinds.join(', ')}), answer: ${message.text}`);
});

test('group chat: the @mentioned request gets one reply, edited in place, ending with the new issue key; one issue', async () => {
  const before = jiraIssueKeys();
  const asked = await send(GROUP, people.ada, 'create a Jira bug for the VPN drops');

  const run = await finishedRun(asked);
  expect(run.status).toBe('completed');
  // The last edit carries the answer (edits are paced, so it may land just after the run ends).
  await eventually(async () => connector.messages(GROUP.id)[0]?.text.includes(run.answer!), 'the group reply showing the answer', 30_000);
  const created = [...jiraIssueKeys()].filter((key) => !before.has(key));
  expect(created).toHaveLength(1);
  expect(run.answer).toContain(created[0]);

  // Exactly one bot message in the chat, threaded under ada's message, never streamed; the result
  // arrived by editing it (PUT .../activities/{id}).
  const replies = connector.messages(GROUP.id);
  expect(replies).toHaveLength(1);
  const reply = replies[0]!;
  expect(reply.replyToId).toBe(asked);
  expect(reply.stream).toEqual([]);
  expect(reply.edits).toBeGreaterThanOrEqual(1);
  expect(connector.calls((c) => c.method === 'PUT' && c.conversationId === GROUP.id && c.activityId === reply.id && c.status === 200)).toHaveLength(reply.edits);
  expect(reply.text).toContain('✅');
  expect(reply.text).toContain(created[0]);
  console.log(`teams e2e group chat: 1 reply, ${reply.edits} edits; final text:\n${reply.text}`);
});

test('high risk: approval cards to the approvers, forged clicks refused, approve → decided card → result for ada; one Okta reset', async () => {
  const okta = product.app.sandboxes!.okta;
  const adaOkta = okta.user(people.ada.email);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);

  // Okta resets need the it-admins (linus) or ada's manager (grace). How Switchboard can reach each:
  // grace never wrote to the bot, but the app was installed for her (Teams announces the new 1:1
  // chat); linus only used the bot in a team channel, so there is no 1:1 chat with him yet; alan (no
  // approver) said hi in his own chat.
  for (const activity of installActivities(connector.url, dm(people.grace), people.grace)) {
    expect((await postActivity(messagesUrl(), activity)).status).toBeLessThan(300);
  }
  expect((await finishedRun(await send(dm(people.alan), people.alan, 'hi'))).status).toBe('completed');
  expect((await finishedRun(await send(CHANNEL, people.linus, 'my jira issues'))).status).toBe('completed');
  expect(connector.messages(dm(people.grace).id)).toEqual([]);
  expect(connector.created).toHaveLength(0);

  const adaBefore = connector.messages(dm(people.ada).id).length;
  const asked = await send(dm(people.ada), people.ada, 'reset my okta password');

  // Grace's card goes proactively to the 1:1 chat her install announced: the first bot message there.
  const graceCard = await eventually(async () => connector.messages(dm(people.grace).id).find((m) => m.attachments.length > 0), 'the approval card in grace\'s chat', 30_000);
  expect(connector.messages(dm(people.grace).id)).toHaveLength(1);
  const pending = cardOf(graceCard);
  expect(JSON.stringify(pending.body)).toContain('Ada Lovelace');
  expect(pending.actions!.map((a) => [a.type, a.verb])).toEqual([['Action.Execute', 'approve'], ['Action.Execute', 'deny']]);
  const approve = pending.actions!.find((a) => a.verb === 'approve')!;
  const approvalId = approve.data.approvalId;
  expect(await approvalStatus(approvalId)).toBe('pending');

  // Linus's card needs a 1:1 chat first: the bot creates it through the Bot Connector with his AAD id.
  const linusChat = await eventually(async () => connector.created[0], 'a 1:1 chat created for linus', 30_000);
  expect(connector.created).toHaveLength(1);
  expect(linusChat.params).toMatchObject({ isGroup: false, members: [{ id: people.linus.aadObjectId }], tenantId: ENTRA_TENANT });
  const linusCard = await eventually(async () => connector.messages(linusChat.id).find((m) => m.attachments.length > 0), 'the approval card in linus\'s new chat');
  expect((cardOf(linusCard).actions ?? []).map((a) => a.data.approvalId)).toEqual([approvalId, approvalId]);

  // Ada's stream ended with the wait explained.
  const waiting = await eventually(async () => connector.messages(dm(people.ada).id).slice(adaBefore).find((m) => m.streamState === 'final'), 'the wait note in ada\'s chat');
  // Said only once the cards went out (issue 12: never "I have asked them" before a card was sent).
  expect(waiting.text).toMatch(/Waiting for approval by .*(Grace Hopper.*Linus Torvalds|Linus Torvalds.*Grace Hopper).* I have asked .*(Grace Hopper.*Linus Torvalds|Linus Torvalds.*Grace Hopper)/);

  // The requester and a non-approver click the same button: refused with a reason, nothing decided.
  const self = await click(dm(people.ada), people.ada, approve, graceCard.id);
  expect(self).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'You asked for this action, so someone else has to approve it.' });
  const other = await click(dm(people.alan), people.alan, approve, graceCard.id);
  expect(other).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'You are not one of the approvers for this request.' });
  expect(await approvalStatus(approvalId)).toBe('pending');
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(0);
  expect(connector.message(graceCard.id)!.edits).toBe(0);

  // Grace approves: the invoke's answer is the replacement card showing the decision, without buttons.
  const decided = await click(dm(people.grace), people.grace, approve, graceCard.id);
  expect(decided.statusCode).toBe(200);
  expect(decided.type).toBe('application/vnd.microsoft.card.adaptive');
  const decidedCard = decided.value as CardContent;
  expect(decidedCard.actions).toBeUndefined();
  expect(JSON.stringify(decidedCard.body)).toContain('Approved by Grace Hopper');
  expect(await approvalStatus(approvalId)).toBe('approved');

  // The run resumes: the result reaches ada's chat, and both approvers' cards are replaced.
  const run = await finishedRun(asked);
  expect(run.status).toBe('completed');
  const result = await eventually(async () => connector.messages(dm(people.ada).id).slice(adaBefore).find((m) => m.streamState === 'final' && m.text === run.answer), 'the result in ada\'s chat', 30_000);
  expect(result.text).toMatch(/Okta password/i);
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(1);
  for (const card of [graceCard, linusCard]) {
    await eventually(async () => (connector.message(card.id)!.edits >= 1 ? true : undefined), `the card ${card.id} edited to its decided form`);
    const settled = connector.message(card.id)!;
    expect(JSON.stringify(settled.attachments)).toContain('Approved by Grace Hopper');
    expect(JSON.stringify(settled.attachments)).not.toContain('Action.Execute');
  }

  // A late click on the decided approval (linus, from his stale card) changes nothing.
  const late = await click({ kind: 'personal', id: linusChat.id, entraTenantId: ENTRA_TENANT }, people.linus, { ...approve, verb: 'deny' }, linusCard.id);
  expect(late).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'This request was already approved.' });
  expect(await approvalStatus(approvalId)).toBe('approved');
  expect(okta.state.count('user.account.reset_password', adaOkta.id)).toBe(1);
  expect(connector.violations).toEqual([]);
  console.log(`teams e2e approval: result for ada: ${result.text}`);
});
