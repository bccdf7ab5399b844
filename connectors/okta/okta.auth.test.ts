import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPkcePair } from '../shared/pkce.js';
import { ConnectorTimeoutError } from '../shared/errors.js';
import { OktaClient } from './client.js';
import { OktaApiError, OktaOAuthError } from './errors.js';
import { oktaConnector } from './index.js';
import { oktaOAuth } from './oauth.js';
import { startOktaSandbox, type OktaSandbox } from './sandbox/index.js';
import { capturingLogger, linkAccount, oktaTestConfig, runTool, TestCredentials, toolByName, toolContext } from './testSupport.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';

const ADA = 'ada@acme.test';
const GRACE = 'grace@acme.test';

describe('okta OAuth, refresh and error paths', () => {
  let sandbox: OktaSandbox;
  let config: ConnectorInstanceConfig;

  beforeAll(async () => {
    sandbox = await startOktaSandbox({ seed: 11, clientSecret: 'sandbox-secret' });
    config = oktaTestConfig(sandbox);
  });
  afterAll(() => sandbox.stop());

  const tool = (name: string) => toolByName(oktaConnector.tools(config), name);

  it('authorize without login_hint shows the demo users; with it, PKCE is enforced and a code is single-use', async () => {
    const pkce = createPkcePair();
    const url = oktaOAuth.authorizationUrl(config, { state: 's1', codeChallenge: pkce.challenge });
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const email of ['ada@acme.test', 'linus@acme.test', 'margaret@acme.test']) expect(html).toContain(email);

    const consent = await fetch(`${url}&login_hint=${encodeURIComponent(GRACE)}`, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location') ?? '');
    expect(callback.origin + callback.pathname).toBe(config.oauth.redirectUri);
    expect(callback.searchParams.get('state')).toBe('s1');
    const code = callback.searchParams.get('code') ?? '';

    const wrongVerifier = await oktaOAuth.exchangeCode(config, { code, codeVerifier: createPkcePair().verifier }).catch((e: unknown) => e);
    expect(wrongVerifier).toBeInstanceOf(OktaOAuthError);
    expect(wrongVerifier).toMatchObject({ vendorCode: 'invalid_grant', code: 'connector_grant_invalid' });

    const tokens = await oktaOAuth.exchangeCode(config, { code, codeVerifier: pkce.verifier });
    expect(tokens.externalUserId).toBe(sandbox.user(GRACE).id);
    expect(tokens.refreshToken).toBeDefined();
    expect(tokens.scopes).toContain('okta.users.read.self');
    const reused = await oktaOAuth.exchangeCode(config, { code, codeVerifier: pkce.verifier }).catch((e: unknown) => e);
    expect(reused).toMatchObject({ vendorCode: 'invalid_grant' });
    expect((reused as Error).message).toContain('The authorization code is invalid or has expired.');

    const badSecret = await oktaOAuth.exchangeCode({ ...config, oauth: { ...config.oauth, clientSecret: 'nope' } }, { code: 'x', codeVerifier: pkce.verifier }).catch((e: unknown) => e);
    expect(badSecret).toMatchObject({ status: 401, vendorCode: 'invalid_client' });
  });

  it('an expired access token is refreshed once and the call succeeds; the rotated refresh token is dead', async () => {
    const creds = new TestCredentials(config, await linkAccount(config, ADA));
    const firstRefresh = creds.tokens.refreshToken ?? '';
    sandbox.expireAccessTokens(ADA);
    const profile = await runTool(tool('get_my_profile'), toolContext({ config, credentials: creds, email: ADA }), {});
    expect(profile).toMatchObject({ login: ADA });
    expect(creds.refreshes).toBe(1);
    expect(creds.tokens.refreshToken).not.toBe(firstRefresh);
    expect(creds.tokens.externalUserId).toBe(sandbox.user(ADA).id);
    await expect(oktaOAuth.refresh(config, { refreshToken: firstRefresh })).rejects.toMatchObject({ vendorCode: 'invalid_grant' });
  });

  it('refreshes ahead of expiry without a rejected call when the token is about to lapse', async () => {
    const shortLived = await startOktaSandbox({ seed: 12, tokenTtlSeconds: 30 });
    try {
      const cfg = oktaTestConfig(shortLived);
      const creds = new TestCredentials(cfg, await linkAccount(cfg, ADA), { skewMs: 60_000 });
      await runTool(toolByName(oktaConnector.tools(cfg), 'list_my_groups'), toolContext({ config: cfg, credentials: creds, email: ADA }), {});
      expect(creds.refreshes).toBe(1);
      expect(shortLived.exchanges.filter((e) => e.status === 401)).toHaveLength(0);
    } finally {
      await shortLived.stop();
    }
  });

  it('follows Link rel="next" pages with the after cursor', async () => {
    const paged = await startOktaSandbox({ seed: 13, maxPageSize: 2 });
    try {
      const cfg = oktaTestConfig(paged);
      const creds = new TestCredentials(cfg, await linkAccount(cfg, 'linus@acme.test'));
      const result = await runTool(toolByName(oktaConnector.tools(cfg), 'list_my_groups'), toolContext({ config: cfg, credentials: creds, email: 'linus@acme.test' }), {}) as { count: number };
      expect(result.count).toBe(paged.state.groupsOf(paged.user('linus@acme.test').id).length);
      const pages = paged.exchanges.filter((e) => e.path === '/api/v1/users/me/groups');
      expect(pages.length).toBe(Math.ceil(result.count / 2));
      expect(pages.slice(1).every((e) => e.query.includes('after='))).toBe(true);
    } finally {
      await paged.stop();
    }
  });

  it('rejects schema-violating arguments before any call', () => {
    const before = sandbox.exchanges.length;
    expect(() => tool('request_group_membership').input.parse({})).toThrow();
    expect(() => tool('request_group_membership').input.parse({ group: 42 })).toThrow();
    expect(() => tool('request_group_membership').input.parse({ group: '   ' })).toThrow();
    // No way to name another user: unknown keys are refused, not ignored.
    expect(() => tool('reset_my_password').input.parse({ userId: '00uSomeoneElse' })).toThrow();
    expect(() => tool('request_app_access').input.parse({ app: 'Slack', user: 'linus@acme.test' })).toThrow();
    expect(sandbox.exchanges.length).toBe(before);
  });

  it("vendor error bodies become typed errors carrying Okta's message; no token reaches an error or a log line", async () => {
    const { logger, lines } = capturingLogger();
    const creds = new TestCredentials(config, await linkAccount(config, ADA));
    const secrets = [creds.tokens.accessToken, creds.tokens.refreshToken ?? '', sandbox.serviceToken];
    const client = new OktaClient({ baseUrl: sandbox.url, credentials: creds, logger });
    const caught: unknown[] = [];
    const collect = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: unknown) => void caught.push(e));

    // E0000038: unlock an ACTIVE user through the service credential.
    await collect(client.request({ method: 'POST', path: `/api/v1/users/${sandbox.user(GRACE).id}/lifecycle/unlock`, auth: 'service' }));
    expect(caught[0]).toBeInstanceOf(OktaApiError);
    expect(caught[0]).toMatchObject({ status: 403, vendorCode: 'E0000038' });
    expect((caught[0] as Error).message).toContain("This operation is not allowed in the user's current status.");
    // E0000001 with causes: a directory group cannot be modified.
    const domain = [...sandbox.state.groups.values()].find((g) => g.name === 'Domain Users');
    await collect(client.request({ method: 'PUT', path: `/api/v1/groups/${domain?.id}/users/${sandbox.user(ADA).id}`, auth: 'service', idempotent: true }));
    expect(caught[1]).toMatchObject({ status: 400, vendorCode: 'E0000001', code: 'connector_bad_request' });
    expect((caught[1] as OktaApiError).causes[0]).toContain('APP_GROUP');
    // 401 after one refresh attempt: a revoked grant surfaces as a typed error.
    const revoked = new TestCredentials(config, await linkAccount(config, ADA));
    secrets.push(revoked.tokens.accessToken, revoked.tokens.refreshToken ?? '');
    sandbox.expireAccessTokens(ADA);
    await oktaOAuth.revoke?.(config, { token: revoked.tokens.refreshToken ?? '' });
    await collect(runTool(tool('get_my_profile'), toolContext({ config, credentials: revoked, email: ADA, logger }), {}));
    expect(caught[2]).toBeInstanceOf(OktaOAuthError);
    // A bad service credential.
    const badService = new TestCredentials(config, creds.tokens, { serviceToken: 'not-a-real-token' });
    secrets.push('not-a-real-token');
    await collect(runTool(tool('unlock_my_account'), toolContext({ config, credentials: badService, email: ADA, logger }), {}));
    expect(caught[3]).toMatchObject({ status: 401, vendorCode: 'E0000011' });
    // Timeouts and cancellation are typed too.
    sandbox.setFaults({ latencyMs: 300 });
    const slow = new OktaClient({ baseUrl: sandbox.url, credentials: creds, logger, timeoutMs: 50, maxAttempts: 1 });
    await collect(slow.request({ method: 'GET', path: '/api/v1/users/me', auth: 'user' }));
    sandbox.resetFaults();
    expect(caught[4]).toBeInstanceOf(ConnectorTimeoutError);
    const aborted = new OktaClient({ baseUrl: sandbox.url, credentials: creds, logger, signal: AbortSignal.abort() });
    await collect(aborted.request({ method: 'GET', path: '/api/v1/users/me', auth: 'user' }));
    expect(caught).toHaveLength(6);

    expect(lines.length).toBeGreaterThan(3);
    const text = [...lines, ...caught.map((e) => JSON.stringify(e)), ...caught.map((e) => `${(e as Error).message} ${(e as { userMessage?: string }).userMessage ?? ''} ${(e as Error).stack ?? ''}`)].join('\n');
    for (const secret of secrets.filter(Boolean)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}|SSWS [A-Za-z0-9_-]{10,}/);
  });
});
