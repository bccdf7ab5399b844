/**
 * Issue 10, deliverable 4: when a chat platform says the app is gone, the installation's stored
 * tokens and conversation references are deleted and the audit log says so. The whole product runs
 * with multi-workspace Slack (signed Events API deliveries) and Teams at protocol level (anonymous
 * embedded Teams, a fake Bot Connector for the member lookup), on its own PostgreSQL database.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { PrismaSlackInstallationStore } from '../../src/channels/slack/installationStore.js';
import { exampleTenantsFilePath } from '../../src/config/tenantsFile.js';
import { createLogger } from '../../src/core/logger.js';
import { generateKeySpec, parseKeyRing, SecretBox } from '../../src/store/crypto/index.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector.js';
import { postSlackEvent } from '../support/slackSigning.js';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fakeSlackApi.js';
import { activityBase, postActivity, type ConversationSpec } from '../support/teamsActivities.js';
import { eventually, startProduct, type RunningProduct } from './support/product.js';

const SIGNING_SECRET = 'uninstall-signing-secret';
const TEAM = 'T0UNINSTALL';
const ENTRA_TENANT = '7a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const ada = { id: '29:1ada-teams-id', aadObjectId: '0a0d0a00-0000-4000-8000-00000000ada1', name: 'Ada Lovelace' };
const adaDm: ConversationSpec = { kind: 'personal', id: 'a:1dm-ada-uninstall', entraTenantId: ENTRA_TENANT };
const keys = generateKeySpec('k1');

let dir: string;
let product: RunningProduct;
let connector: FakeBotConnector;
let database: Database;
let db: pg.Client;
let adaId: string;

function installationOf(teamId: string): Installation<'v2', false> {
  return {
    team: { id: teamId, name: 'Acme' },
    enterprise: undefined,
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
    bot: { token: `xoxb-installed-${teamId}`, scopes: ['chat:write'], id: 'B0BOT', userId: 'U0BOT' },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A0APP',
    authVersion: 'v2',
  };
}

function slackEvent(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'legacy',
    team_id: TEAM,
    api_app_id: 'A0APP',
    event,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
  };
}

async function rows<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(text, values)).rows;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-uninstall-'));
  const content = parseYaml(await readFile(exampleTenantsFilePath(), 'utf8')) as { tenants: { slack: { teamIds: string[] }; teams: { entraTenantIds: string[] } }[] };
  content.tenants[0]!.slack.teamIds = [TEAM];
  content.tenants[0]!.teams.entraTenantIds = [ENTRA_TENANT];
  const tenantsFile = join(dir, 'tenants.json');
  await writeFile(tenantsFile, JSON.stringify(content));
  connector = await startFakeBotConnector();
  connector.addMember({ ...ada, email: 'ada@acme.test', userPrincipalName: 'ada@acme.test' });
  product = await startProduct({
    env: {
      TENANTS_FILE: tenantsFile,
      SWITCHBOARD_ENCRYPTION_KEYS: keys,
      SLACK_CLIENT_ID: '111.222',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret-xyz',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    },
  });
  database = await openDatabase({ url: product.databaseUrl, logger: createLogger({ level: 'silent' }), poolMax: 2 });
  db = new pg.Client({ connectionString: product.databaseUrl });
  await db.connect();
  adaId = (await rows<{ id: string }>(`SELECT id FROM users WHERE email = 'ada@acme.test'`))[0]!.id;
}, 120_000);

afterAll(async () => {
  await db?.end();
  await database?.close();
  await product?.close();
  await connector?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Slack', () => {
  beforeEach(async () => {
    // An installed workspace whose people the bot knows (with their DM channel as the address).
    const store = new PrismaSlackInstallationStore(database.prisma, new SecretBox(parseKeyRing(keys)), () => 'acme');
    await store.storeInstallation(installationOf(TEAM));
    await db.query(
      `INSERT INTO platform_identities (id, tenant_id, user_id, platform, team_id, external_id, address, updated_at)
       VALUES (gen_random_uuid(), 'acme', $1, 'slack', $2, 'U0ADA', '{"channel":"D0ADA"}', now()) ON CONFLICT DO NOTHING`,
      [adaId, TEAM],
    );
  });

  test.each([
    ['app_uninstalled', { type: 'app_uninstalled' }],
    ['tokens_revoked', { type: 'tokens_revoked', tokens: { bot: ['U0BOT'] } }],
  ])('%s deletes the workspace\'s bot token and references, and audits it', async (reason, event) => {
    expect(await rows(`SELECT 1 FROM channel_installations WHERE team_id = $1`, [TEAM])).toHaveLength(1);
    const delivered = await postSlackEvent(`${product.url}/slack/events`, SIGNING_SECRET, slackEvent(event));
    expect(delivered.status).toBe(200);
    const audit = await eventually(async () => {
      const found = await rows<{ target_id: string; data: Record<string, unknown> }>(`SELECT target_id, data FROM audit_log WHERE action = 'slack.uninstalled' AND data->>'reason' = $1`, [reason]);
      return found.length > 0 ? found : undefined;
    }, `the ${reason} audit entry`);
    expect(audit).toEqual([{ target_id: TEAM, data: { reason, installationsDeleted: 1, identitiesDeleted: 1 } }]);
    expect(await rows(`SELECT 1 FROM channel_installations WHERE team_id = $1`, [TEAM])).toEqual([]);
    expect(await rows(`SELECT 1 FROM platform_identities WHERE platform = 'slack' AND team_id = $1`, [TEAM])).toEqual([]);
  });

  test('revoking only user tokens changes nothing (Switchboard keeps none)', async () => {
    const count = async (reason: string): Promise<number> => (await rows(`SELECT 1 FROM audit_log WHERE action = 'slack.uninstalled' AND data->>'reason' = $1`, [reason])).length;
    const [revokedBefore, uninstalledBefore] = [await count('tokens_revoked'), await count('app_uninstalled')];
    expect((await postSlackEvent(`${product.url}/slack/events`, SIGNING_SECRET, slackEvent({ type: 'tokens_revoked', tokens: { oauth: ['U0ADA'] } }))).status).toBe(200);
    // An uninstall delivered afterwards marks the point by which the first delivery was handled.
    expect((await postSlackEvent(`${product.url}/slack/events`, SIGNING_SECRET, slackEvent({ type: 'app_uninstalled' }))).status).toBe(200);
    await eventually(async () => (await count('app_uninstalled')) > uninstalledBefore, 'the later uninstall');
    expect(await count('tokens_revoked')).toBe(revokedBefore);
  });
});

describe('Teams', () => {
  test('a personal uninstall forgets that person\'s chat reference, and audits it', async () => {
    const common = activityBase(connector.url, adaDm, ada);
    // The install is remembered first (the bot can now reach Ada proactively).
    expect((await postActivity(`${product.url}/api/messages`, { ...common, id: randomUUID(), type: 'installationUpdate', action: 'add' })).status).toBeLessThan(300);
    await eventually(async () => (await rows(`SELECT 1 FROM platform_identities WHERE platform = 'teams' AND external_id = $1 AND address IS NOT NULL`, [ada.aadObjectId])).length === 1, 'Ada\'s Teams reference');

    expect((await postActivity(`${product.url}/api/messages`, { ...common, id: randomUUID(), type: 'installationUpdate', action: 'remove' })).status).toBeLessThan(300);
    const audit = await eventually(async () => {
      const found = await rows<{ target_id: string; data: Record<string, unknown> }>(`SELECT target_id, data FROM audit_log WHERE action = 'teams.uninstalled'`);
      return found.length > 0 ? found : undefined;
    }, 'the Teams uninstall audit entry');
    expect(audit[0]).toEqual({ target_id: ENTRA_TENANT, data: { reason: 'installationUpdate.remove', externalUserId: ada.aadObjectId, installationsDeleted: 0, identitiesDeleted: 1 } });
    expect(await rows(`SELECT 1 FROM platform_identities WHERE platform = 'teams' AND external_id = $1`, [ada.aadObjectId])).toEqual([]);
  });

  test('the bot removed from a group chat is recorded too', async () => {
    const group: ConversationSpec = { kind: 'groupChat', id: '19:uninstall-group@thread.v2', entraTenantId: ENTRA_TENANT };
    const removed = { ...activityBase(connector.url, group, ada), type: 'conversationUpdate', membersRemoved: [{ id: '28:switchboard-bot' }] };
    expect((await postActivity(`${product.url}/api/messages`, removed)).status).toBeLessThan(300);
    await eventually(async () => (await rows(`SELECT 1 FROM audit_log WHERE action = 'teams.uninstalled' AND data->>'reason' = 'conversationUpdate.botRemoved'`)).length === 1, 'the group-chat removal audit entry');
  });
});

describe('single-workspace Slack (SLACK_BOT_TOKEN)', () => {
  let slack: FakeSlackApi;
  let single: RunningProduct;
  let singleDb: pg.Client;

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    single = await startProduct({ env: { SLACK_BOT_TOKEN: 'xoxb-single-workspace', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url } });
    singleDb = new pg.Client({ connectionString: single.databaseUrl });
    await singleDb.connect();
  }, 120_000);

  afterAll(async () => {
    await singleDb?.end();
    await single?.close();
    await slack?.stop();
  });

  test('app_uninstalled is recorded although the revoked token can no longer name the workspace', async () => {
    const [ada] = (await singleDb.query<{ id: string }>(`SELECT id FROM users WHERE email = 'ada@acme.test'`)).rows;
    await singleDb.query(
      `INSERT INTO platform_identities (id, tenant_id, user_id, platform, team_id, external_id, address, updated_at)
       VALUES (gen_random_uuid(), 'acme', $1, 'slack', $2, 'U0ADA', '{"channel":"D0ADA"}', now())`,
      [ada!.id, slack.teamId],
    );
    // The token is dead: auth.test (how a single workspace learns its own id) fails from now on.
    slack.failNext('auth.test', { kind: 'error', error: 'token_revoked' }, 100);
    const envelope = { ...slackEvent({ type: 'app_uninstalled' }), team_id: slack.teamId, authorizations: [{ enterprise_id: null, team_id: slack.teamId, user_id: slack.botUserId, is_bot: true, is_enterprise_install: false }] };
    expect((await postSlackEvent(`${single.url}/slack/events`, SIGNING_SECRET, envelope)).status).toBe(200);
    const audit = await eventually(async () => {
      const found = (await singleDb.query<{ target_id: string; data: Record<string, unknown> }>(`SELECT target_id, data FROM audit_log WHERE action = 'slack.uninstalled'`)).rows;
      return found.length > 0 ? found : undefined;
    }, 'the single-workspace uninstall audit entry');
    expect(audit).toEqual([{ target_id: slack.teamId, data: { reason: 'app_uninstalled', installationsDeleted: 0, identitiesDeleted: 1 } }]);
  });
});
