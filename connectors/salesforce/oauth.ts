import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';
import { ConnectorTimeoutError } from '../shared/errors.js';
import { parseJsonOrUndefined } from '../shared/http/body.js';
import { authorizationCodeUrl } from '../shared/oauth/authorizationUrl.js';
import { timedFetch } from '../shared/http/timedFetch.js';
import { requestToken } from '../shared/oauth/tokenEndpoint.js';
import { DEFAULT_SCOPES, SALESFORCE } from './constants.js';
import { SalesforceOAuthError, SalesforceResponseError } from './errors.js';
import { sfTokenResponseSchema, sfUserInfoSchema, type SfTokenResponse } from './schemas.js';
import { SalesforceUnreachableError } from './unreachable.js';

const TIMEOUT_MS = 10_000;

/**
 * Salesforce's OAuth 2.0 web-server flow with PKCE. The login host (login.salesforce.com, a My
 * Domain, or the sandbox) mints tokens; every API call afterwards goes to the `instance_url` the
 * token endpoint returned, which is kept in the credential's metadata.
 */
export function createSalesforceOAuth(options: { fetch?: typeof fetch } = {}): OAuthProvider {
  const fetchImpl = options.fetch ?? fetch;

  async function call(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<{ response: Response; json: unknown }> {
    const { response, text } = await timedFetch({
      fetch: fetchImpl,
      url,
      init,
      timeoutMs: TIMEOUT_MS,
      signal,
      onTimeout: () => new ConnectorTimeoutError(SALESFORCE, TIMEOUT_MS),
      onNetworkError: (cause) => new SalesforceUnreachableError(new URL(url).pathname, cause),
    });
    return { response, json: parseJsonOrUndefined(text) };
  }

  async function tokenRequest(config: ConnectorInstanceConfig, form: Record<string, string>, signal?: AbortSignal): Promise<SfTokenResponse> {
    const path = '/services/oauth2/token';
    const body = await requestToken({
      connector: SALESFORCE,
      fetch: fetchImpl,
      url: `${loginBase(config)}${path}`,
      form,
      signal,
      timeoutMs: TIMEOUT_MS,
      schema: sfTokenResponseSchema,
      refused: (status, error, description) => new SalesforceOAuthError(status, error, description),
      badResponse: (detail) => new SalesforceResponseError(`token response: ${detail}`),
      onNetworkError: (cause) => new SalesforceUnreachableError(path, cause),
    });
    // Salesforce signs id + issued_at with the client secret, which proves the answer came from the org we registered with.
    if (!signatureValid(body, config.oauth.clientSecret)) throw new SalesforceResponseError('token response signature does not match');
    return body;
  }

  async function userInfo(body: SfTokenResponse, signal?: AbortSignal): Promise<{ username: string; email: string }> {
    const { response, json } = await call(`${new URL(body.instance_url).origin}/services/oauth2/userinfo`, {
      headers: { accept: 'application/json', authorization: `Bearer ${body.access_token}` },
    }, signal);
    const info = sfUserInfoSchema.safeParse(json);
    if (!response.ok || !info.success) throw new SalesforceResponseError(`userinfo answered HTTP ${response.status}`);
    return { username: info.data.preferred_username, email: info.data.email };
  }

  function toTokenSet(config: ConnectorInstanceConfig, body: SfTokenResponse, extra: Record<string, string>, previousRefresh?: string): TokenSet {
    const identity = identityOf(body.id);
    // Salesforce only returns a refresh token on refresh when the app rotates them; otherwise the old one stays valid.
    const refreshToken = body.refresh_token ?? previousRefresh;
    return {
      accessToken: body.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      // No expires_in: the session lifetime is an org setting, so expiry is discovered by a 401 and a refresh.
      scopes: body.scope ? body.scope.split(' ').filter(Boolean) : scopesOf(config),
      externalUserId: identity.userId,
      metadata: { instance_url: new URL(body.instance_url).origin, organization_id: identity.orgId, user_id: identity.userId, ...extra },
    };
  }

  return {
    authorizationUrl(config, input) {
      return authorizationCodeUrl(`${loginBase(config)}/services/oauth2/authorize`, config, input, scopesOf(config));
    },

    async exchangeCode(config, input) {
      const body = await tokenRequest(config, {
        grant_type: 'authorization_code',
        code: input.code,
        client_id: config.oauth.clientId,
        client_secret: config.oauth.clientSecret,
        redirect_uri: config.oauth.redirectUri,
        code_verifier: input.codeVerifier,
      }, input.signal);
      const who = await userInfo(body, input.signal);
      return toTokenSet(config, body, { username: who.username, email: who.email });
    },

    async refresh(config, input) {
      const body = await tokenRequest(config, {
        grant_type: 'refresh_token',
        refresh_token: input.refreshToken,
        client_id: config.oauth.clientId,
        client_secret: config.oauth.clientSecret,
      }, input.signal);
      return toTokenSet(config, body, {}, input.refreshToken);
    },

    async revoke(config, input) {
      const { response } = await call(`${loginBase(config)}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: input.token }).toString(),
      }, input.signal);
      if (!response.ok) throw new SalesforceOAuthError(response.status, 'revoke_failed', `revoke answered HTTP ${response.status}`);
    },
  };
}

export const salesforceOAuth: OAuthProvider = createSalesforceOAuth();

function loginBase(config: ConnectorInstanceConfig): string {
  return (config.authBaseUrl ?? config.baseUrl).replace(/\/+$/, '');
}

function scopesOf(config: ConnectorInstanceConfig): string[] {
  return config.oauth.scopes.length > 0 ? [...config.oauth.scopes] : [...DEFAULT_SCOPES];
}

/** `https://login.salesforce.com/id/<orgId>/<userId>` */
export function identityOf(idUrl: string): { orgId: string; userId: string } {
  const match = /\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(new URL(idUrl).pathname);
  if (!match?.[1] || !match[2]) throw new SalesforceResponseError('identity URL has no org and user id');
  return { orgId: match[1], userId: match[2] };
}

/** base64(HMAC-SHA256(client secret, id + issued_at)), as Salesforce documents for the token response. */
export function tokenSignature(id: string, issuedAt: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(id + issuedAt).digest('base64');
}

function signatureValid(body: SfTokenResponse, clientSecret: string): boolean {
  const expected = Buffer.from(tokenSignature(body.id, body.issued_at, clientSecret));
  const actual = Buffer.from(body.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
