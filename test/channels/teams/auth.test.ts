import { ConfigError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import { HttpApp } from '../../../src/http/httpApp.js';
import { createTeamsChannel, teamsSettingsFromEnv } from '../../../src/channels/teams/index.js';
import { ENTRA_TENANT, startTeamsHarness, testSettings, type TeamsHarness } from '../../support/teamsHarness.js';
import { messageActivity, postActivity, cardActionInvoke } from '../../support/teamsActivities.js';
import { startTokenIssuer, type TokenIssuer } from '../../support/teamsJwt.js';

const APP_ID = '0b7f6a3e-5c1d-4e2f-9a8b-7c6d5e4f3a2b';
const BOT_TENANT = '5f1e2d3c-4b5a-4697-8877-665544332211';
const ADA = { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada Lovelace', email: 'ada@acme.test' };
const personal = { kind: 'personal' as const, id: 'a:dm-ada', entraTenantId: ENTRA_TENANT };

describe('Teams settings', () => {
  test('without credentials: anonymous in development, refused in production', () => {
    expect(teamsSettingsFromEnv({ NODE_ENV: 'development' }).auth).toEqual({ mode: 'anonymous' });
    expect(() => teamsSettingsFromEnv({ NODE_ENV: 'production' })).toThrow(ConfigError);
    const logger = createLogger({ level: 'silent' });
    expect(() =>
      createTeamsChannel({ settings: testSettings({ production: true }), http: new HttpApp(logger), logger } as unknown as Parameters<typeof createTeamsChannel>[0]),
    ).toThrow(/anonymous mode is for development only/);
  });

  test('single-tenant and managed identity registrations', () => {
    expect(teamsSettingsFromEnv({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret', MICROSOFT_APP_TENANT_ID: BOT_TENANT, NODE_ENV: 'production' }).auth).toEqual({
      mode: 'credentials', appId: APP_ID, appType: 'SingleTenant', password: 's3cret', tenantId: BOT_TENANT,
    });
    expect(teamsSettingsFromEnv({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: BOT_TENANT }).auth).toMatchObject({ appType: 'UserAssignedMSI' });
    expect(() => teamsSettingsFromEnv({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TENANT_ID: BOT_TENANT })).toThrow(/MICROSOFT_APP_PASSWORD is required/);
    expect(() => teamsSettingsFromEnv({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' })).toThrow(/MICROSOFT_APP_TENANT_ID is required/);
    expect(() => teamsSettingsFromEnv({ MICROSOFT_APP_TYPE: 'Other' })).toThrow(ConfigError);
  });
});

describe('Teams with credentials: Bot Framework JWT on /api/messages', () => {
  let issuer: TokenIssuer;
  let h: TeamsHarness;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: `https://login.microsoftonline.com/${BOT_TENANT}/v2.0`,
    tid: BOT_TENANT,
    aud: APP_ID,
    iat: now() - 10,
    nbf: now() - 10,
    exp: now() + 3600,
    serviceurl: 'http://127.0.0.1/',
    ...overrides,
  });

  beforeAll(async () => {
    issuer = await startTokenIssuer(BOT_TENANT);
    h = await startTeamsHarness({
      production: true,
      auth: { mode: 'credentials', appId: APP_ID, appType: 'SingleTenant', password: 'not-used-by-this-test', tenantId: BOT_TENANT, authority: issuer.authority },
    });
    await h.addPerson(ADA);
  });
  afterAll(async () => {
    await h.close();
    await issuer.stop();
  });

  const post = (headers: Record<string, string>, activity = messageActivity(h.connector.url, personal, ADA, 'reset my okta password')) => postActivity(h.messagesUrl, activity, headers);

  test.each([
    ['no token', () => ({})],
    ['a malformed header', () => ({ authorization: 'Basic abc' })],
    ['a token that is not a JWT', () => ({ authorization: 'Bearer not.a.jwt' })],
    ['a token signed with an unpublished key', () => ({ authorization: `Bearer ${issuer.token(claims(), { foreignKey: true })}` })],
    ['a token for an unknown key id', () => ({ authorization: `Bearer ${issuer.token(claims(), { kid: 'other' })}` })],
    ['a token for another bot', () => ({ authorization: `Bearer ${issuer.token(claims({ aud: 'another-app' }))}` })],
    ['an expired token', () => ({ authorization: `Bearer ${issuer.token(claims({ exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 }))}` })],
    ['a token whose tenant does not match its issuer', () => ({ authorization: `Bearer ${issuer.token(claims({ tid: ENTRA_TENANT }))}` })],
  ])('an activity with %s is rejected with 401 and starts nothing', async (_name, headers) => {
    const res = await post(headers());
    expect(res.status).toBe(401);
    expect(h.recorder.turns).toHaveLength(0);
    expect(h.connector.calls()).toHaveLength(0);
  });

  test('an invoke without a valid token gets no answer either', async () => {
    const res = await postActivity(h.messagesUrl, cardActionInvoke(h.connector.url, personal, ADA, 'approve', { marker: 'switchboard.approval', verb: 'approve', approvalId: 'a1' }));
    expect(res.status).toBe(401);
    expect(h.decider.calls).toHaveLength(0);
  });

  test('a correctly signed token passes authentication and reaches the bot logic', async () => {
    // expectReplies without a serviceUrl needs no outbound Bot Connector token (which would need Entra).
    const activity = { ...cardActionInvoke(h.connector.url, personal, ADA, 'approve', { unknown: true }), deliveryMode: 'expectReplies' } as Record<string, unknown>;
    delete activity.serviceUrl;
    const res = await post({ authorization: `Bearer ${issuer.token(claims())}` }, activity);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('This card action is not one I understand.');
    expect(issuer.jwksRequests).toBeGreaterThan(0);
  });
});
