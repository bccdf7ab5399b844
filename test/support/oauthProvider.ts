import { z } from 'zod';
import { ConnectorHttpError } from '../../connectors/shared/errors.js';
import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';

const tokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().default(''),
  sub: z.string().optional(),
});

/**
 * A plain OAuth client for test/support/oauthServer.ts, standing in for a connector module's
 * `.oauth` while those are built; it speaks real HTTP to a real server. `now` lets tests move time.
 */
export function createTestOAuthProvider(now: () => Date = () => new Date()): OAuthProvider {
  const base = (config: ConnectorInstanceConfig): string => config.authBaseUrl ?? config.baseUrl;

  const post = async (config: ConnectorInstanceConfig, form: Record<string, string>, signal?: AbortSignal): Promise<TokenSet> => {
    const response = await fetch(`${base(config)}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_id: config.oauth.clientId, client_secret: config.oauth.clientSecret }),
      ...(signal ? { signal } : {}),
    });
    const body: unknown = await response.json();
    if (!response.ok) {
      const error = z.object({ error: z.string() }).safeParse(body);
      throw new ConnectorHttpError({ connector: config.displayName, status: response.status, message: error.success ? error.data.error : 'token request failed', ...(error.success ? { vendorCode: error.data.error } : {}) });
    }
    const parsed = tokenResponse.parse(body);
    return {
      accessToken: parsed.access_token,
      ...(parsed.refresh_token ? { refreshToken: parsed.refresh_token } : {}),
      ...(parsed.expires_in ? { expiresAt: new Date(now().getTime() + parsed.expires_in * 1000) } : {}),
      scopes: parsed.scope.split(' ').filter(Boolean),
      ...(parsed.sub ? { externalUserId: parsed.sub } : {}),
      // The test server's `sub` is the login the consent was given for: what a real exchange reads from userinfo.
      metadata: { site: base(config), ...(parsed.sub?.includes('@') ? { email: parsed.sub } : {}) },
    };
  };

  return {
    authorizationUrl: (config, input) => {
      const url = new URL(`${base(config)}/authorize`);
      url.search = new URLSearchParams({
        response_type: 'code', client_id: config.oauth.clientId, redirect_uri: config.oauth.redirectUri, scope: config.oauth.scopes.join(' '),
        state: input.state, code_challenge: input.codeChallenge, code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    exchangeCode: (config, input) => post(config, { grant_type: 'authorization_code', code: input.code, code_verifier: input.codeVerifier, redirect_uri: config.oauth.redirectUri }, input.signal),
    refresh: (config, input) => post(config, { grant_type: 'refresh_token', refresh_token: input.refreshToken }, input.signal),
    revoke: async (config, input) => {
      await fetch(`${base(config)}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: input.token }) });
    },
  };
}
