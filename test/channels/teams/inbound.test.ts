import { teamsAddressSchema } from '../../../src/channels/teams/index.js';
import { tenantResolver } from '../../../src/channels/teams/tenancy.js';
import { ENTRA_TENANT, OTHER_ENTRA_TENANT, startTeamsHarness, TENANT, type TeamsHarness } from '../../support/teamsHarness.js';
import { messageActivity, postActivity, type ConversationSpec } from '../../support/teamsActivities.js';

const ADA = { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada Lovelace', email: 'ada@acme.test' };
const STRANGER = { id: '29:stranger', aadObjectId: 'aad-stranger', name: 'Someone Else' };

describe('Teams inbound messages', () => {
  let h: TeamsHarness;
  let adaUserId: string;
  const personal: ConversationSpec = { kind: 'personal', id: 'a:dm-ada', entraTenantId: ENTRA_TENANT };
  const group: ConversationSpec = { kind: 'groupChat', id: '19:group@thread.v2', entraTenantId: ENTRA_TENANT };
  const channel: ConversationSpec = { kind: 'channel', id: '19:general@thread.tacv2;messageid=1700000000000', entraTenantId: ENTRA_TENANT };

  beforeAll(async () => {
    h = await startTeamsHarness();
    adaUserId = await h.addPerson(ADA);
  });
  afterAll(async () => h.close());

  test('a personal chat message becomes a turn with the member email, and the chat is remembered for proactive messages', async () => {
    const activity = messageActivity(h.connector.url, personal, ADA, 'create a Jira bug for the VPN drops');
    const res = await postActivity(h.messagesUrl, activity);
    expect(res.status).toBe(200);
    const turn = h.recorder.turns.at(-1)!;
    expect(turn).toMatchObject({
      channel: 'teams',
      deliveryId: activity.id,
      tenantId: TENANT,
      text: 'create a Jira bug for the VPN drops',
      platformUser: { externalId: ADA.aadObjectId, teamId: ENTRA_TENANT, email: ADA.email },
    });
    const address = teamsAddressSchema.parse(turn.conversation.address);
    expect(address.mode).toBe('stream');
    expect(address.reference.conversation.id).toBe(personal.id);
    expect(h.connector.calls((c) => c.method === 'GET' && c.path.includes('/members/'))).toHaveLength(1);
    const [identity] = await h.identities.forUser(TENANT, adaUserId, 'teams');
    expect((identity?.address as { conversation: { id: string } }).conversation.id).toBe(personal.id);
  });

  test('group chats and channels: the @mention is removed and progress is edited in place', async () => {
    await postActivity(h.messagesUrl, messageActivity(h.connector.url, group, ADA, 'list my jira issues'));
    await postActivity(h.messagesUrl, messageActivity(h.connector.url, channel, ADA, 'show my okta groups'));
    const [groupTurn, channelTurn] = h.recorder.turns.slice(-2);
    expect(groupTurn!.text).toBe('list my jira issues');
    expect(channelTurn!.text).toBe('show my okta groups');
    expect(teamsAddressSchema.parse(groupTurn!.conversation.address).mode).toBe('update');
    expect(teamsAddressSchema.parse(channelTurn!.conversation.address).replyToId).toBeDefined();
    // The personal chat stays the stored reference; group chats do not replace it.
    const [identity] = await h.identities.forUser(TENANT, adaUserId, 'teams');
    expect((identity?.address as { conversation: { id: string } }).conversation.id).toBe(personal.id);
  });

  test('a redelivered activity (same id) starts nothing new', async () => {
    const activity = messageActivity(h.connector.url, personal, ADA, 'reset my okta password');
    const before = h.recorder.turns.length;
    await postActivity(h.messagesUrl, activity);
    await postActivity(h.messagesUrl, activity);
    expect(h.recorder.turns.length).toBe(before + 1);
  });

  test('refusals and empty messages are answered, never silent', async () => {
    const sent = h.connector.calls().length;
    await postActivity(h.messagesUrl, messageActivity(h.connector.url, { kind: 'personal', id: 'a:dm-stranger', entraTenantId: ENTRA_TENANT }, STRANGER, 'hello'));
    await postActivity(h.messagesUrl, messageActivity(h.connector.url, group, ADA, ''));
    const replies = h.connector.calls().slice(sent).filter((c) => c.method === 'POST' && c.path.includes('/activities'));
    expect(replies.map((c) => c.body?.text)).toEqual([expect.stringMatching(/do not know you/), expect.stringMatching(/Tell me what you need/)]);
  });

  test('an unmapped Entra tenant falls back to the default tenant in development', async () => {
    const other = { kind: 'personal' as const, id: 'a:dm-other', entraTenantId: OTHER_ENTRA_TENANT };
    const before = h.recorder.turns.length;
    await postActivity(h.messagesUrl, messageActivity(h.connector.url, other, { ...ADA, aadObjectId: 'aad-ada' }, 'list my jira issues'));
    expect(h.recorder.turns.length).toBe(before + 1);
    expect(h.recorder.turns.at(-1)!.tenantId).toBe(TENANT);
  });

  test('malformed bodies get a 400 and start nothing', async () => {
    const before = h.recorder.turns.length;
    const res = await fetch(h.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    const noConversation = await postActivity(h.messagesUrl, { type: 'message', text: 'hi', serviceUrl: h.connector.url, channelId: 'msteams' });
    expect(noConversation.status).toBe(400);
    expect(h.recorder.turns.length).toBe(before);
  });
});

describe('Teams tenant mapping without a fallback', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({}, { defaultTenantId: undefined });
  });
  afterAll(async () => h.close());

  test('an unmapped Entra tenant is told it is not set up, and nothing starts', async () => {
    const other = { kind: 'personal' as const, id: 'a:dm-other', entraTenantId: OTHER_ENTRA_TENANT };
    await postActivity(h.messagesUrl, messageActivity(h.connector.url, other, ADA, 'list my jira issues'));
    expect(h.recorder.turns).toHaveLength(0);
    const reply = await h.connector.waitForCall((c) => c.method === 'POST' && c.conversationId === other.id);
    expect(reply.body?.text).toMatch(/not set up for your organization/);
  });

  test('production never falls back to the default tenant', async () => {
    const resolve = tenantResolver(() => null, { production: true, defaultTenantId: TENANT });
    const dev = tenantResolver(() => null, { production: false, defaultTenantId: TENANT });
    expect(await resolve(OTHER_ENTRA_TENANT)).toBeNull();
    expect(await dev(OTHER_ENTRA_TENANT)).toBe(TENANT);
  });
});
