import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SwitchboardError } from '../../src/core/errors.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { createPkcePair } from '../shared/pkce.js';
import { SalesforceApiError, SalesforceOAuthError } from './errors.js';
import { salesforceOAuth } from './oauth.js';
import { salesforceTools } from './index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './sandbox/index.js';
import { capturingLogger, issuedCredentials, linkAccount, runTool, salesforceTestConfig, TestCredentials, toolByName, toolContext } from './testSupport.js';

let sandbox: SalesforceSandbox;
let config: ConnectorInstanceConfig;
const ADA = 'ada@acme.test';

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ seed: 11, tokenTtlSeconds: 3600 });
  config = salesforceTestConfig(sandbox);
});

afterAll(async () => {
  await sandbox.stop();
});

async function authorize(email: string | undefined, challenge: string): Promise<Response> {
  const url = new URL(salesforceOAuth.authorizationUrl(config, { state: 'st-1', codeChallenge: challenge }));
  if (email) url.searchParams.set('login_hint', email);
  return fetch(url, { redirect: 'manual' });
}

async function codeFor(email: string, challenge: string): Promise<string> {
  const response = await authorize(email, challenge);
  const location = new URL(response.headers.get('location') ?? '');
  expect(location.origin + location.pathname).toBe(config.oauth.redirectUri);
  expect(location.searchParams.get('state')).toBe('st-1');
  return location.searchParams.get('code') ?? '';
}

async function caught(promise: Promise<unknown>): Promise<SwitchboardError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SwitchboardError)) throw new Error(`expected a typed error, got ${String(error)}`);
  return error;
}

describe('OAuth web-server flow', () => {
  it('builds the documented authorize URL on the login host with PKCE S256', () => {
    const url = new URL(salesforceOAuth.authorizationUrl(config, { state: 'abc', codeChallenge: 'xyz' }));
    expect(url.origin + url.pathname).toBe(`${sandbox.url}/services/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code', client_id: 'switchboard', redirect_uri: config.oauth.redirectUri, scope: 'api refresh_token openid',
      state: 'abc', code_challenge: 'xyz', code_challenge_method: 'S256',
    });
  });

  it('without login_hint shows a page listing the demo users as links', async () => {
    const response = await authorize(undefined, createPkcePair().challenge);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const email of ['ada@acme.test', 'alan@acme.test', 'grace@acme.test', 'linus@acme.test', 'margaret@acme.test']) {
      expect(html).toContain(`login_hint=${encodeURIComponent(email)}`);
    }
  });

  it('enforces PKCE: a wrong verifier and a reused code are invalid_grant', async () => {
    const pkce = createPkcePair();
    const code = await codeFor(ADA, pkce.challenge);
    const wrong = await caught(salesforceOAuth.exchangeCode(config, { code, codeVerifier: createPkcePair().verifier }));
    expect(wrong).toBeInstanceOf(SalesforceOAuthError);
    expect(wrong).toMatchObject({ vendorCode: 'invalid_grant', code: 'connector_grant_invalid' });
    expect(wrong.message).toContain('invalid code verifier');
    // The code was spent by the failed attempt: even the right verifier cannot use it again.
    const reused = await caught(salesforceOAuth.exchangeCode(config, { code, codeVerifier: pkce.verifier }));
    expect(reused).toMatchObject({ vendorCode: 'invalid_grant' });
    expect(reused.message).toContain('invalid authorization code');

    const good = await salesforceOAuth.exchangeCode(config, { code: await codeFor(ADA, pkce.challenge), codeVerifier: pkce.verifier });
    expect(good.externalUserId).toBe(sandbox.user(ADA).id);

    const noChallenge = new URL(salesforceOAuth.authorizationUrl(config, { state: 's', codeChallenge: 'c' }));
    noChallenge.searchParams.delete('code_challenge');
    noChallenge.searchParams.set('login_hint', ADA);
    const refused = new URL((await fetch(noChallenge, { redirect: 'manual' })).headers.get('location') ?? '');
    expect(refused.searchParams.get('error')).toBe('invalid_request');
  });

  it('a session that timed out is refreshed once and the call succeeds', async () => {
    const tokens = await linkAccount(config, ADA);
    const credentials = new TestCredentials(config, tokens);
    const findCases = toolByName(salesforceTools(config), 'find_cases');
    // The org's session timeout passes: the sandbox clock moves beyond the one-hour lifetime.
    sandbox.state.clockOffsetMs = 3601_000;
    try {
      const result = await runTool(findCases, toolContext({ config, credentials, email: ADA }), {});
      expect(result).toMatchObject({ count: 1 });
    } finally {
      sandbox.state.clockOffsetMs = 0;
    }
    expect(credentials.invalidations).toBe(1);
    expect(credentials.refreshes).toBe(1);
    expect(credentials.tokens.accessToken).not.toBe(tokens.accessToken);
    // Salesforce does not rotate refresh tokens by default: the original one is kept.
    expect(credentials.tokens.refreshToken).toBe(tokens.refreshToken);
    expect(credentials.tokens.metadata['instance_url']).toBe(sandbox.instanceUrl);
  });

  it('a revoked grant surfaces as a typed error after exactly one refresh attempt', async () => {
    const credentials = issuedCredentials(sandbox, config, ADA);
    await salesforceOAuth.revoke?.(config, { token: credentials.tokens.refreshToken ?? '' });
    const error = await caught(runTool(toolByName(salesforceTools(config), 'find_cases'), toolContext({ config, credentials, email: ADA }), {}));
    expect(error).toBeInstanceOf(SalesforceOAuthError);
    expect(error).toMatchObject({ code: 'connector_grant_invalid' });
    expect(error.userMessage).toContain('reconnect your Salesforce account');
    expect(credentials.invalidations).toBe(1);
  });

  it('no access or refresh token reaches an error message or a log line', async () => {
    const { logger, lines } = capturingLogger();
    const tokens = await linkAccount(config, ADA);
    const credentials = new TestCredentials(config, tokens);
    const tools = salesforceTools(config);
    const errors: unknown[] = [];
    const attempt = async (name: string, args: unknown): Promise<void> => {
      try {
        await runTool(toolByName(tools, name), toolContext({ config, credentials, email: ADA, logger }), args);
      } catch (error) {
        errors.push(error);
      }
    };
    const alanAccount = String(sandbox.state.rows('Account').find((r) => r['OwnerId'] === sandbox.user('alan@acme.test').id)?.['Id']);
    await attempt('get_record', { object: 'Account', id: alanAccount });
    await attempt('find_cases', {});
    sandbox.expireAccessTokens(ADA);
    await attempt('find_accounts', { name: 'ACME' });
    await salesforceOAuth.revoke?.(config, { token: credentials.tokens.refreshToken ?? '' });
    sandbox.expireAccessTokens(ADA);
    await attempt('find_cases', {});
    expect(errors.length).toBe(2);
    expect(errors[0]).toBeInstanceOf(SalesforceApiError);
    expect(lines.length).toBeGreaterThan(3);
    const secrets = [tokens.accessToken, tokens.refreshToken ?? '', credentials.tokens.accessToken].filter((s) => s.length > 0);
    const texts = [
      ...lines,
      ...errors.map((e) => (e instanceof Error ? `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${String((e as SwitchboardError).userMessage)}` : String(e))),
    ];
    for (const secret of secrets) for (const text of texts) expect(text.includes(secret)).toBe(false);
    // The scan would notice: the bare token does appear in the request the sandbox received.
    expect(sandbox.exchanges.length).toBeGreaterThan(0);
  });

  it('a token endpoint error body becomes a typed error with the vendor text', async () => {
    const error = await caught(salesforceOAuth.refresh(config, { refreshToken: 'not-a-real-token' }));
    expect(error).toMatchObject({ status: 400, vendorCode: 'invalid_grant' });
    expect(error.message).toContain('expired access/refresh token');
  });
});
