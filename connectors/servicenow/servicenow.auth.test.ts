import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPkcePair } from '../shared/pkce.js';
import { ServiceNowOAuthError } from './errors.js';
import { servicenowConnector } from './index.js';
import { servicenowOAuth } from './oauth.js';
import { startServiceNowSandbox, type ServiceNowSandbox } from './sandbox/index.js';
import { linkAccount, linkedUser, runTool, servicenowTestConfig, TestCredentials, toolByName, toolContext } from './testSupport.js';

describe('servicenow OAuth and token lifecycle', () => {
  let sandbox: ServiceNowSandbox;
  beforeAll(async () => {
    sandbox = await startServiceNowSandbox({ seed: 3, tokenTtlSeconds: 1800, clientSecret: 'sandbox-secret' });
  });
  afterAll(async () => sandbox.stop());

  it('builds the /oauth_auth.do URL with PKCE S256 and state', () => {
    const url = new URL(servicenowOAuth.authorizationUrl(servicenowTestConfig(sandbox), { state: 's1', codeChallenge: 'c'.repeat(43) }));
    expect(url.pathname).toBe('/oauth_auth.do');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: 'switchboard', state: 's1', code_challenge_method: 'S256', scope: 'useraccount' });
  });

  it('without login_hint the authorize page lists the demo users as links', async () => {
    const url = servicenowOAuth.authorizationUrl(servicenowTestConfig(sandbox), { state: 's2', codeChallenge: createPkcePair().challenge });
    const response = await fetch(url, { redirect: 'manual' });
    const page = await response.text();
    expect(response.status).toBe(200);
    for (const email of ['ada@acme.test', 'linus@acme.test', 'grace@acme.test']) expect(page).toContain(`login_hint=${encodeURIComponent(email)}`);
  });

  it('refuses a code exchanged with the wrong PKCE verifier, and a code used twice', async () => {
    const config = servicenowTestConfig(sandbox);
    const pkce = createPkcePair();
    const url = new URL(servicenowOAuth.authorizationUrl(config, { state: 's3', codeChallenge: pkce.challenge }));
    url.searchParams.set('login_hint', 'ada@acme.test');
    const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    await expect(servicenowOAuth.exchangeCode(config, { code, codeVerifier: createPkcePair().verifier })).rejects.toBeInstanceOf(ServiceNowOAuthError);
    await expect(servicenowOAuth.exchangeCode(config, { code, codeVerifier: pkce.verifier })).resolves.toMatchObject({ externalUserId: sandbox.user('ada@acme.test')['sys_id'] });
    await expect(servicenowOAuth.exchangeCode(config, { code, codeVerifier: pkce.verifier })).rejects.toMatchObject({ code: 'connector_grant_invalid' });
  });

  it('refresh returns a new access token and keeps the (non-rotating) refresh token', async () => {
    const config = servicenowTestConfig(sandbox);
    const linked = await linkAccount(config, 'grace@acme.test');
    const refreshed = await servicenowOAuth.refresh(config, { refreshToken: linked.refreshToken ?? '' });
    expect(refreshed.accessToken).not.toBe(linked.accessToken);
    expect(refreshed.refreshToken).toBe(linked.refreshToken);
    expect(refreshed.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 1700_000);
    await expect(servicenowOAuth.refresh(config, { refreshToken: 'not-a-token' })).rejects.toMatchObject({ code: 'connector_grant_invalid' });
  });

  it('an access token that expired server-side is refreshed once after a 401 and the call succeeds', async () => {
    const ada = await linkedUser(sandbox, 'ada@acme.test');
    const list = toolByName(servicenowConnector.tools(ada.config), 'list_my_incidents');
    sandbox.expireAccessTokens('ada@acme.test');
    const result = await runTool(list, ada.ctx(), {}) as { count: number };
    expect(result.count).toBeGreaterThan(0);
    expect(ada.credentials.invalidations).toBe(1);
    expect(ada.credentials.refreshes).toBe(1);
  });

  it('a token past its expiresAt is refreshed before the call, without a 401', async () => {
    const config = servicenowTestConfig(sandbox);
    const linked = await linkAccount(config, 'linus@acme.test');
    sandbox.expireAccessTokens('linus@acme.test');
    const credentials = new TestCredentials(config, { ...linked, expiresAt: new Date(Date.now() - 1000) });
    const before = sandbox.exchanges.filter((e) => e.status === 401).length;
    const result = await runTool(toolByName(servicenowConnector.tools(config), 'search_catalog'), toolContext({ config, credentials, email: 'linus@acme.test' }), { query: 'laptop' }) as { count: number };
    expect(result.count).toBe(2);
    expect(credentials.refreshes).toBe(1);
    expect(sandbox.exchanges.filter((e) => e.status === 401).length).toBe(before);
  });

  it('a revoked grant surfaces a typed 401 after exactly one refresh attempt', async () => {
    const ada = await linkedUser(sandbox, 'ada@acme.test');
    sandbox.expireAccessTokens('ada@acme.test');
    sandbox.state.refreshTokens.delete(ada.credentials.tokens.refreshToken ?? '');
    const list = toolByName(servicenowConnector.tools(ada.config), 'list_my_incidents');
    await expect(runTool(list, ada.ctx(), {})).rejects.toMatchObject({ code: 'connector_grant_invalid' });
    expect(ada.credentials.invalidations).toBe(1);
  });
});
