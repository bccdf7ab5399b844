import { ENTRA_TENANT, OTHER_ENTRA_TENANT, startTeamsHarness, TENANT, type TeamsHarness } from '../../support/teamsHarness.js';
import { postActivity, type ConversationSpec } from '../../support/teamsActivities.js';
import { installActivities } from './support/installActivities.js';

const GRACE = { id: '29:grace', aadObjectId: 'aad-grace', name: 'Grace Hopper', email: 'grace@acme.test' };
const STRANGER = { id: '29:stranger', aadObjectId: 'aad-stranger', name: 'Someone Else' };
const personal = (person: { aadObjectId: string }, entraTenantId = ENTRA_TENANT): ConversationSpec => ({ kind: 'personal', id: `a:installed-${person.aadObjectId}`, entraTenantId });

describe('Teams app installs', () => {
  let h: TeamsHarness;
  let graceUserId: string;

  beforeAll(async () => {
    // No development fallback: an Entra tenant that is not configured belongs to nobody.
    h = await startTeamsHarness({}, { defaultTenantId: undefined });
    // Known to Switchboard (an employee), but she has never written to the bot.
    graceUserId = await h.addPerson(GRACE);
  });
  afterAll(async () => h.close());

  const storedChat = async (userId: string): Promise<string | undefined> => {
    const rows = await h.identities.forUser(TENANT, userId, 'teams');
    return rows.map((row) => (row.address as { conversation?: { id?: string } } | null)?.conversation?.id).find((id) => id !== undefined);
  };

  test('a personal install remembers the 1:1 chat (both announcements, once), and nothing is posted', async () => {
    expect(await storedChat(graceUserId)).toBeUndefined();
    for (const activity of installActivities(h.connector.url, personal(GRACE), GRACE)) {
      const res = await postActivity(h.messagesUrl, activity);
      expect(res.status).toBeLessThan(300);
    }
    expect(await storedChat(graceUserId)).toBe(personal(GRACE).id);
    expect(await h.identities.forUser(TENANT, graceUserId, 'teams')).toHaveLength(1);
    // The work email was looked up once (then cached); the new chat stays quiet.
    expect(h.connector.calls((c) => c.method === 'GET' && c.path.includes('/members/'))).toHaveLength(1);
    expect(h.connector.calls((c) => c.method !== 'GET')).toEqual([]);
    expect(h.recorder.turns).toHaveLength(0);
  });

  test('installs by strangers, in group chats or from unmapped tenants remember nothing', async () => {
    h.connector.addMember({ id: STRANGER.id, aadObjectId: STRANGER.aadObjectId, name: STRANGER.name, email: 'someone@elsewhere.test' });
    const group: ConversationSpec = { kind: 'groupChat', id: '19:installed-group@thread.v2', entraTenantId: ENTRA_TENANT };
    const before = await h.identities.forUser(TENANT, graceUserId, 'teams');
    for (const activity of [
      ...installActivities(h.connector.url, personal(STRANGER), STRANGER),
      ...installActivities(h.connector.url, group, GRACE),
      ...installActivities(h.connector.url, personal(GRACE, OTHER_ENTRA_TENANT), GRACE),
    ]) {
      expect((await postActivity(h.messagesUrl, activity)).status).toBeLessThan(300);
    }
    expect(await h.identities.forUser(TENANT, graceUserId, 'teams')).toEqual(before);
    expect(h.connector.calls((c) => c.method !== 'GET')).toEqual([]);
  });
});
