import type { z } from 'zod';
import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';
import { parseJsonOrUndefined } from '../shared/http/body.js';
import { authorizationCodeUrl } from '../shared/oauth/authorizationUrl.js';
import { requestToken } from '../shared/oauth/tokenEndpoint.js';
import { OKTA, OktaOAuthError, OktaResponseError } from './errors.js';
import { idTokenClaimsSchema, oauthErrorSchema, tokenResponseSchema, userInfoSchema } from './schemas.js';

/** What a self-service grant asks for when the tenant config lists no scopes. */
export const DEFAULT_OKTA_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'okta.users.read.self'] as const;

const TIMEOUT_MS = 10_000;

/**
 * OAuth for Okta on the org authorization server (`/oauth2/v1/*`): only the org AS may mint tokens
 * carrying `okta.*` scopes, so a custom authorization server would not work here.
 */
export function createOktaOAuth(options: { fetch?: typeof fetch } = {}): OAuthProvider {
  const fetchImpl = options.fetch ?? fetch;

  function tokenRequest(config: ConnectorInstanceConfig, form: Record<string, string>, signal?: AbortSignal): Promise<z.infer<typeof tokenResponseSchema>> {
    return requestToken({
      connector: OKTA,
      fetch: fetchImpl,
      url: endpoint(config, '/oauth2/v1/token'),
      form,
      headers: { authorization: basicAuth(config) },
      signal,
      schema: tokenResponseSchema,
      refused: (status, error, description) => new OktaOAuthError(status, error, description),
      badResponse: (detail) => new OktaResponseError('token response', detail),
    });
  }

  async function identify(config: ConnectorInstanceConfig, accessToken: string, idToken: string | undefined, signal?: AbortSignal): Promise<{ sub: string; login?: string; email?: string }> {
    // The id token came straight from the token endpoint over TLS, so its claims are read without a
    // signature check (OIDC Core 3.1.3.7); userinfo is the fallback when no id token was issued.
    const claims = idToken ? idTokenClaimsSchema.safeParse(decodeJwtPayload(idToken)) : undefined;
    if (claims?.success) return { sub: claims.data.sub, ...loginOf(claims.data) };
    const response = await fetchImpl(endpoint(config, '/oauth2/v1/userinfo'), {
      headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` },
      signal: withTimeout(signal),
    });
    const info = userInfoSchema.safeParse(await readJson(response));
    if (!response.ok || !info.success) throw new OktaResponseError('userinfo response', `HTTP ${response.status}`);
    return { sub: info.data.sub, ...loginOf(info.data) };
  }

  function toTokenSet(body: z.infer<typeof tokenResponseSchema>, requested: readonly string[], who: { sub: string; login?: string; email?: string } | undefined, previousRefresh?: string): TokenSet {
    const refreshToken = body.refresh_token ?? previousRefresh;
    return {
      accessToken: body.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      ...(body.expires_in ? { expiresAt: new Date(Date.now() + body.expires_in * 1000) } : {}),
      scopes: body.scope ? body.scope.split(' ').filter(Boolean) : [...requested],
      ...(who ? { externalUserId: who.sub } : {}),
      metadata: { ...(who?.login ? { login: who.login } : {}), ...(who?.email ? { email: who.email } : {}) },
    };
  }

  return {
    authorizationUrl(config, input) {
      return authorizationCodeUrl(endpoint(config, '/oauth2/v1/authorize'), config, input, scopesOf(config), { response_mode: 'query' });
    },

    async exchangeCode(config, input) {
      const body = await tokenRequest(config, {
        grant_type: 'authorization_code',
        code: input.code,
        redirect_uri: config.oauth.redirectUri,
        code_verifier: input.codeVerifier,
      }, input.signal);
      const who = await identify(config, body.access_token, body.id_token, input.signal);
      return toTokenSet(body, scopesOf(config), who);
    },

    async refresh(config, input) {
      const body = await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: input.refreshToken, scope: scopesOf(config).join(' ') }, input.signal);
      // With refresh-token rotation Okta returns a new refresh token that replaces the old one;
      // without it the old one stays valid and is kept.
      const claims = body.id_token ? idTokenClaimsSchema.safeParse(decodeJwtPayload(body.id_token)) : undefined;
      const who = claims?.success ? { sub: claims.data.sub, ...loginOf(claims.data) } : undefined;
      return toTokenSet(body, scopesOf(config), who, input.refreshToken);
    },

    async revoke(config, input) {
      const response = await fetchImpl(endpoint(config, '/oauth2/v1/revoke'), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuth(config),
        },
        body: new URLSearchParams({ token: input.token }).toString(),
        signal: withTimeout(input.signal),
      });
      if (!response.ok) {
        const error = oauthErrorSchema.safeParse(await readJson(response));
        throw new OktaOAuthError(response.status, error.success ? error.data.error : 'server_error', error.success ? error.data.error_description : undefined);
      }
    },
  };
}

export const oktaOAuth: OAuthProvider = createOktaOAuth();

function scopesOf(config: ConnectorInstanceConfig): readonly string[] {
  return config.oauth.scopes.length > 0 ? config.oauth.scopes : DEFAULT_OKTA_SCOPES;
}

function endpoint(config: ConnectorInstanceConfig, path: string): string {
  return new URL(path, config.authBaseUrl ?? config.baseUrl).toString();
}

function withTimeout(signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

async function readJson(response: Response): Promise<unknown> {
  return parseJsonOrUndefined(await response.text());
}

/** client_secret_basic, with id and secret form-encoded first as RFC 6749 §2.3.1 asks. */
function basicAuth(config: ConnectorInstanceConfig): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(config.oauth.clientId)}:${encodeURIComponent(config.oauth.clientSecret)}`).toString('base64')}`;
}

function decodeJwtPayload(jwt: string): unknown {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The login (preferred_username) and, when the email scope was granted, the email Okta vouches for: what linking verifies. */
function loginOf(claims: { email?: string | undefined; preferred_username?: string | undefined }): { login?: string; email?: string } {
  const login = claims.preferred_username ?? claims.email;
  return { ...(login ? { login } : {}), ...(claims.email ? { email: claims.email } : {}) };
}
