import type { z } from 'zod';
import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';
import { parseJsonOrUndefined } from '../shared/http/body.js';
import { authorizationCodeUrl } from '../shared/oauth/authorizationUrl.js';
import { requestToken } from '../shared/oauth/tokenEndpoint.js';
import { SERVICENOW, ServiceNowApiError, ServiceNowOAuthError, ServiceNowResponseError } from './errors.js';
import { resultList, serviceNowErrorBodySchema, sysUserRecordSchema, tokenResponseSchema } from './schemas.js';

/** ServiceNow's classic default scope; used when the tenant config lists none. */
export const DEFAULT_SERVICENOW_SCOPES = ['useraccount'] as const;

const TIMEOUT_MS = 10_000;
type TokenBody = z.infer<typeof tokenResponseSchema>;

/**
 * Authorization-code grant against the instance itself (`/oauth_auth.do`, `/oauth_token.do`), with
 * PKCE S256. The token endpoint only understands form bodies; JSON gets an unspecified error.
 */
export function createServiceNowOAuth(options: { fetch?: typeof fetch } = {}): OAuthProvider {
  const fetchImpl = options.fetch ?? fetch;

  function tokenRequest(config: ConnectorInstanceConfig, form: Record<string, string>, signal?: AbortSignal): Promise<TokenBody> {
    return requestToken({
      connector: SERVICENOW,
      fetch: fetchImpl,
      url: endpoint(config, '/oauth_token.do'),
      form: { ...form, client_id: config.oauth.clientId, ...(config.oauth.clientSecret ? { client_secret: config.oauth.clientSecret } : {}) },
      signal,
      schema: tokenResponseSchema,
      refused: (status, error, description) => new ServiceNowOAuthError(status, error, description),
      badResponse: (detail) => new ServiceNowResponseError('token response', detail),
    });
  }

  /** "Who am I" through the documented `javascript:gs.getUserID()` query on sys_user. */
  async function currentUser(config: ConnectorInstanceConfig, accessToken: string, signal?: AbortSignal): Promise<z.infer<typeof sysUserRecordSchema>> {
    const url = new URL('/api/now/table/sys_user', config.baseUrl);
    url.search = new URLSearchParams({ sysparm_query: 'sys_id=javascript:gs.getUserID()', sysparm_fields: 'sys_id,user_name,name,email', sysparm_limit: '1' }).toString();
    const response = await fetchImpl(url, { headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` }, signal: withTimeout(signal) });
    const json = parseJsonOrUndefined(await response.text());
    if (!response.ok) {
      const error = serviceNowErrorBodySchema.safeParse(json);
      throw new ServiceNowApiError(response.status, error.success ? error.data : undefined, `sys_user lookup failed with HTTP ${response.status}`);
    }
    const parsed = resultList(sysUserRecordSchema).safeParse(json);
    const user = parsed.success ? parsed.data.result[0] : undefined;
    if (!user) throw new ServiceNowResponseError('sys_user lookup', 'the signed-in user was not returned');
    return user;
  }

  function toTokenSet(body: TokenBody, config: ConnectorInstanceConfig, previousRefresh?: string): Omit<TokenSet, 'externalUserId' | 'metadata'> {
    // ServiceNow answers a refresh with the current refresh token (or none); the old one stays valid.
    const refreshToken = body.refresh_token ?? previousRefresh;
    return {
      accessToken: body.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      expiresAt: new Date(Date.now() + body.expires_in * 1000),
      scopes: body.scope ? body.scope.split(/[ ,]+/).filter(Boolean) : [...scopesOf(config)],
    };
  }

  return {
    authorizationUrl(config, input) {
      return authorizationCodeUrl(endpoint(config, '/oauth_auth.do'), config, input, scopesOf(config));
    },

    async exchangeCode(config, input) {
      const body = await tokenRequest(config, { grant_type: 'authorization_code', code: input.code, redirect_uri: config.oauth.redirectUri, code_verifier: input.codeVerifier }, input.signal);
      const user = await currentUser(config, body.access_token, input.signal);
      return { ...toTokenSet(body, config), externalUserId: user.sys_id, metadata: { user_name: user.user_name, email: user.email, name: user.name } };
    },

    async refresh(config, input) {
      const body = await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: input.refreshToken }, input.signal);
      return { ...toTokenSet(body, config, input.refreshToken), metadata: {} };
    },
  };
}

export const servicenowOAuth: OAuthProvider = createServiceNowOAuth();

function scopesOf(config: ConnectorInstanceConfig): readonly string[] {
  return config.oauth.scopes.length > 0 ? config.oauth.scopes : DEFAULT_SERVICENOW_SCOPES;
}

function endpoint(config: ConnectorInstanceConfig, path: string): string {
  return new URL(path, config.authBaseUrl ?? config.baseUrl).toString();
}

function withTimeout(signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
