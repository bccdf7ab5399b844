import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { JiraApiError } from './errors.js';
import { jiraOAuth } from './oauth.js';
import { startJiraSandbox, type JiraSandbox } from './sandbox/index.js';
import { expectOpenApiConformance } from './contract.js';
import { TestCredentials, jiraConfig, jiraTool, linkAccount, rejectionOf, runTool, toolContext } from './testSupport.js';

describe('jira OAuth 2.0 (3LO): PKCE, expiry and rotating refresh tokens', () => {
  let sandbox: JiraSandbox;
  let config: ConnectorInstanceConfig;

  beforeAll(async () => {
    sandbox = await startJiraSandbox({ tokenTtlSeconds: 3600 });
    config = jiraConfig(sandbox.url);
  });
  afterAll(async () => sandbox.stop());

  it('builds the Atlassian authorize URL and the sandbox lists demo users without login_hint', async () => {
    const url = new URL(jiraOAuth.authorizationUrl(config, { state: 's1', codeChallenge: 'c'.repeat(43) }));
    expect(url.pathname).toBe('/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ audience: 'api.atlassian.com', prompt: 'consent', response_type: 'code', code_challenge_method: 'S256', state: 's1', redirect_uri: config.oauth.redirectUri });
    expect(url.searchParams.get('scope')?.split(' ')).toContain('offline_access');
    const page = await fetch(url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('login_hint=ada%40acme.test');
    expect(html).toContain('Linus Torvalds');
  });

  it('refuses a code exchange with the wrong PKCE verifier', async () => {
    const url = new URL(jiraOAuth.authorizationUrl(config, { state: 's2', codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' }));
    url.searchParams.set('login_hint', 'ada@acme.test');
    const redirect = await fetch(url, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const error = (await rejectionOf(jiraOAuth.exchangeCode(config, { code, codeVerifier: 'not-the-verifier-'.repeat(3) }))) as JiraApiError;
    expect([error.status, error.vendorCode]).toEqual([403, 'invalid_grant']);
  });

  it('refreshes an expired access token once, then the call succeeds', async () => {
    let clock = Date.now();
    const credentials = new TestCredentials(config, await linkAccount(config, 'ada@acme.test'), () => clock);
    const ctx = toolContext({ config, credentials, email: 'ada@acme.test' });
    await runTool(jiraTool(config, 'get_issue'), ctx, { key: 'NET-1' });
    expect(credentials.refreshCount).toBe(0);
    sandbox.advanceClock(3700);
    clock += 3_700_000;
    const issue = (await runTool(jiraTool(config, 'get_issue'), toolContext({ config, credentials, email: 'ada@acme.test' }), { key: 'NET-1' })) as { key: string };
    expect(issue.key).toBe('NET-1');
    expect(credentials.refreshCount).toBe(1);
    expect(credentials.invalidations).toBe(0);
  });

  it('a token the accessor still trusts but Jira rejects (401) is invalidated, refreshed and the call retried once', async () => {
    const credentials = new TestCredentials(config, await linkAccount(config, 'linus@acme.test'));
    sandbox.advanceClock(3700);
    const ctx = toolContext({ config, credentials, email: 'linus@acme.test' });
    const out = (await runTool(jiraTool(config, 'list_my_issues'), ctx, {})) as { count: number };
    expect(out.count).toBeGreaterThan(0);
    expect(credentials.invalidations).toBe(1);
    expect(credentials.refreshCount).toBe(1);
  });

  it('rotates refresh tokens: the new one is stored, the old one is rejected with invalid_grant', async () => {
    const linked = await linkAccount(config, 'grace@acme.test');
    const first = await jiraOAuth.refresh(config, { refreshToken: linked.refreshToken ?? '' });
    expect(first.refreshToken).toBeDefined();
    expect(first.refreshToken).not.toBe(linked.refreshToken);
    expect(first.metadata['cloud_id']).toBe(sandbox.cloudId);
    const reuse = (await rejectionOf(jiraOAuth.refresh(config, { refreshToken: linked.refreshToken ?? '' }))) as JiraApiError;
    expect([reuse.status, reuse.vendorCode, reuse.code]).toEqual([403, 'invalid_grant', 'connector_forbidden']);
    expect(reuse.message).toContain('Unknown or invalid refresh token.');
    expect(reuse.userMessage).toContain('reconnect');
    const rejected = sandbox.exchanges.filter((e) => e.path === '/oauth/token' && e.status === 403).at(-1);
    expect(rejected?.responseBody).toEqual({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
    const second = await jiraOAuth.refresh(config, { refreshToken: first.refreshToken ?? '' });
    expect(second.accessToken).not.toBe(first.accessToken);
  });

  it('issueTokenFor gives other tests a working demo-user token without the browser', async () => {
    const { accessToken } = sandbox.issueTokenFor('margaret@acme.test');
    const res = await fetch(`${sandbox.url}/ex/jira/${sandbox.cloudId}/rest/api/3/myself`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { emailAddress: string }).emailAddress).toBe('margaret@acme.test');
    const anonymous = await fetch(`${sandbox.url}/ex/jira/${sandbox.cloudId}/rest/api/3/myself`);
    expect(anonymous.status).toBe(401);
  });

  it('conforms to the Jira OpenAPI document', () => {
    expectOpenApiConformance(sandbox.exchanges);
  });
});
