import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { generateKeySpec, parseKeyRing, SecretBox } from '../../../src/store/crypto/index.js';
import { PrismaSlackInstallationStore } from '../../../src/channels/slack/installationStore.js';
import { messageEnvelope, postSlackEvent } from '../../support/slackSigning.js';
import { SIGNING_SECRET, startHarness, type Harness } from './support/harness.js';

let database: TestDatabase;
let h: Harness;

const tenantLookup = (teamId: string, enterpriseId: string | undefined): string | null =>
  teamId === 'T0NEW' ? 'acme' : enterpriseId === 'E0GRID' ? 'acme' : null;

beforeAll(async () => {
  database = await createTestDatabase();
  const store = new PrismaSlackInstallationStore(database.db.prisma, new SecretBox(parseKeyRing(generateKeySpec('k1'))), tenantLookup);
  h = await startHarness(
    { mode: 'multi', botToken: undefined, tenantId: undefined, oauth: { clientId: '111.222', clientSecret: 'client-secret', stateSecret: 'state-secret-xyz' }, publicUrl: 'http://127.0.0.1:1' },
    { installationStore: store, tenantLookup },
  );
});

afterAll(async () => {
  await h.close();
  await database.drop();
});

const base = (): string => h.eventsUrl.replace('/slack/events', '');

async function install(code: string): Promise<Response> {
  const start = await fetch(`${base()}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(200);
  const html = await start.text();
  const state = /state=([^"&]+)/.exec(html)?.[1];
  expect(state).toBeDefined();
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return fetch(`${base()}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${state}`, { headers: { cookie }, redirect: 'manual' });
}

test('the OAuth install stores the workspace encrypted, and its events then use its own bot token', async () => {
  const done = await install('team:T0NEW');
  expect(done.status).toBe(200);
  const rows = await database.db.prisma.channelInstallation.findMany();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ tenantId: 'acme', platform: 'slack', teamId: 'T0NEW', enterpriseId: null });
  expect(Buffer.from(rows[0]!.ciphertext).toString('utf8')).not.toContain('xoxb-installed-T0NEW');

  const turn = h.gateway.nextTurn();
  const envelope = messageEnvelope({ teamId: 'T0NEW', user: 'U0ADA', text: 'reset my okta password', channel: 'D0ADA' });
  expect((await postSlackEvent(h.eventsUrl, SIGNING_SECRET, envelope)).status).toBe(200);
  expect(await turn).toMatchObject({ tenantId: 'acme', platformUser: { teamId: 'T0NEW' } });
  const status = await h.slack.waitForCall('assistant.threads.setStatus');
  expect(status.token).toBe('xoxb-installed-T0NEW');
});

test('an install from a workspace no tenant claims is refused with a clear page and stores nothing', async () => {
  const refused = await install('team:T0STRANGER');
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('not set up for Switchboard');
  expect(await database.db.prisma.channelInstallation.count({ where: { teamId: 'T0STRANGER' } })).toBe(0);
});

test('an Enterprise Grid org-wide install serves the workspaces of the org', async () => {
  expect((await install('enterprise:E0GRID')).status).toBe(200);
  const row = await database.db.prisma.channelInstallation.findFirst({ where: { enterpriseId: 'E0GRID' } });
  expect(row).toMatchObject({ teamId: null, tenantId: 'acme' });
  const turn = h.gateway.nextTurn();
  const envelope = messageEnvelope({ teamId: 'T0GRIDWS', enterpriseId: 'E0GRID', user: 'W0ADA', text: 'hello from grid', channel: 'D0GRID' });
  (envelope.authorizations as Record<string, unknown>[])[0]!.is_enterprise_install = true;
  envelope.is_enterprise_install = true;
  expect((await postSlackEvent(h.eventsUrl, SIGNING_SECRET, envelope)).status).toBe(200);
  // On Grid the identity key is the org id: user ids are org-wide there.
  expect(await turn).toMatchObject({ tenantId: 'acme', platformUser: { externalId: 'W0ADA', teamId: 'E0GRID' }, conversation: { address: { enterpriseId: 'E0GRID', teamId: 'T0GRIDWS' } } });
  const status = await h.slack.waitForCall('assistant.threads.setStatus', (call) => call.args.channel_id === 'D0GRID');
  expect(status.token).toBe('xoxb-installed-E0GRID');
});

test('events from a workspace that never installed fail authorization and submit nothing', async () => {
  const before = h.gateway.turns.length;
  const callsBefore = h.slack.calls().length;
  // Bolt acks (so Slack stops retrying) only after authorization failed, so nothing is left in flight.
  const res = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, messageEnvelope({ teamId: 'T0NEVER', user: 'U0X', text: 'hi', channel: 'D0X' }));
  expect(res.status).toBe(200);
  expect(h.gateway.turns.length).toBe(before);
  expect(h.slack.calls().slice(callsBefore)).toEqual([]);
});
