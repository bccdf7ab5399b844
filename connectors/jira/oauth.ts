import { z } from 'zod';
import { createLogger } from '../../src/core/logger.js';
import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';
import type { CredentialAccessor } from '../../src/tools/credentials.js';
import { authorizationCodeUrl } from '../shared/oauth/authorizationUrl.js';
import { JiraClient } from './client.js';
import { JiraApiError, JiraNetworkError, JiraResponseError, JiraTimeoutError, jiraErrorFromResponse } from './errors.js';
import { jiraUserSchema } from './schemas.js';
import { chooseResource, fetchAccessibleResources, siteFrom, type AccessibleResource } from './site.js';

export const ATLASSIAN_AUTH_URL = 'https://auth.atlassian.com';
export const ATLASSIAN_API_URL = 'https://api.atlassian.com';
/** Classic 3LO scopes for the six tools; offline_access is what yields a refresh token. */
export const JIRA_DEFAULT_SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'offline_access'] as const;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
});

const TOKEN_TIMEOUT_MS = 10_000;

function authBase(config: ConnectorInstanceConfig): string {
  return (config.authBaseUrl ?? ATLASSIAN_AUTH_URL).replace(/\/+$/, '');
}

export function jiraScopes(config: ConnectorInstanceConfig): string[] {
  const scopes = config.oauth.scopes.length > 0 ? [...config.oauth.scopes] : [...JIRA_DEFAULT_SCOPES];
  if (!scopes.includes('offline_access')) scopes.push('offline_access');
  return scopes;
}

/**
 * Atlassian OAuth 2.0 (3LO) with PKCE. Refresh tokens rotate: every refresh returns a new refresh
 * token and disables the one presented, so callers must store the returned TokenSet before using it.
 */
export const jiraOAuth: OAuthProvider = {
  authorizationUrl(config, input) {
    return authorizationCodeUrl(`${authBase(config)}/authorize`, config, input, jiraScopes(config), { audience: 'api.atlassian.com', prompt: 'consent' });
  },

  async exchangeCode(config, input) {
    const granted = await tokenRequest(config, {
      grant_type: 'authorization_code',
      client_id: config.oauth.clientId,
      client_secret: config.oauth.clientSecret,
      code: input.code,
      redirect_uri: config.oauth.redirectUri,
      code_verifier: input.codeVerifier,
    }, input.signal);
    const resource = chooseResource(config, await fetchAccessibleResources({ config, accessToken: granted.accessToken, ...(input.signal ? { signal: input.signal } : {}) }));
    const myself = await whoAmI(config, granted, resource, input.signal);
    return {
      ...granted,
      externalUserId: myself.accountId,
      metadata: { ...siteMetadata(resource), ...(myself.emailAddress ? { email: myself.emailAddress } : {}), display_name: myself.displayName ?? '' },
    };
  },

  async refresh(config, input) {
    const refreshed = await tokenRequest(config, {
      grant_type: 'refresh_token',
      client_id: config.oauth.clientId,
      client_secret: config.oauth.clientSecret,
      refresh_token: input.refreshToken,
    }, input.signal);
    // The rotated refresh token is already issued; a failed site lookup must not lose it, so it is best effort.
    const resource = await fetchAccessibleResources({ config, accessToken: refreshed.accessToken, ...(input.signal ? { signal: input.signal } : {}) })
      .then((resources) => chooseResource(config, resources))
      .catch(() => undefined);
    return { ...refreshed, metadata: resource ? siteMetadata(resource) : {} };
  },
};

function siteMetadata(resource: AccessibleResource): Record<string, string> {
  return { cloud_id: resource.id, site_url: resource.url, site_name: resource.name };
}

async function tokenRequest(config: ConnectorInstanceConfig, body: Record<string, string>, signal?: AbortSignal): Promise<TokenSet> {
  const path = '/oauth/token';
  const timeout = AbortSignal.timeout(TOKEN_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${authBase(config)}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    if (timeout.aborted) throw new JiraTimeoutError(TOKEN_TIMEOUT_MS);
    throw new JiraNetworkError('POST', path, error);
  }
  const payload: unknown = parse(text);
  if (!response.ok) {
    const error = jiraErrorFromResponse(response.status, payload, response.headers);
    if (error instanceof JiraApiError && (error.vendorCode === 'invalid_grant' || error.vendorCode === 'access_denied')) {
      throw new JiraApiError({ status: error.status, message: error.message.replace(/^Jira \d+: /, ''), vendorCode: error.vendorCode, userMessage: 'Your Jira connection has expired or was revoked. Please reconnect your Jira account.' });
    }
    throw error;
  }
  const parsed = tokenResponseSchema.safeParse(payload);
  if (!parsed.success) throw new JiraResponseError('POST', path, 'token response without access_token');
  const token = parsed.data;
  return {
    accessToken: token.access_token,
    ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}),
    ...(token.expires_in ? { expiresAt: new Date(Date.now() + token.expires_in * 1000) } : {}),
    scopes: token.scope ? token.scope.split(/\s+/).filter(Boolean) : jiraScopes(config),
    metadata: {},
  };
}

/** `GET /rest/api/3/myself` with the fresh token, through the same client the tools use. */
async function whoAmI(config: ConnectorInstanceConfig, tokens: TokenSet, resource: AccessibleResource, signal?: AbortSignal): Promise<z.infer<typeof jiraUserSchema>> {
  const site = siteFrom(config, resource);
  const credentials: CredentialAccessor = {
    forUser: () => Promise.resolve({ accessToken: tokens.accessToken, metadata: { cloud_id: site.cloudId, site_url: site.siteUrl } }),
    forService: () => Promise.reject(new Error('no service credential while linking')),
    invalidate: () => Promise.resolve(),
  };
  const client = new JiraClient({ config, credentials, logger: createLogger({ level: 'silent' }), ...(signal ? { signal } : {}) });
  return (await client.request({ method: 'GET', path: '/myself', schema: jiraUserSchema })).data;
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
