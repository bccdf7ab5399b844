import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import { verifyPkce } from '../../shared/pkce.js';
import { demoUserLinks, escapeHtml, htmlResponse } from '../../shared/sandbox/consentPage.js';
import { formOf, oauthErrorResponse as oauthError, redirectBack } from '../../shared/sandbox/oauthExchange.js';
import { tokenSignature } from '../oauth.js';
import type { SandboxContext } from './context.js';
import type { SandboxUser } from './state.js';

const KNOWN_SCOPES = new Set(['api', 'refresh_token', 'offline_access', 'openid', 'profile', 'email', 'address', 'phone', 'id', 'web', 'full']);
const CODE_TTL_MS = 15 * 60_000;

export interface TokenIssuer {
  issue(user: SandboxUser, clientId: string, clientSecret: string, scope: string, withRefresh: boolean): Record<string, string>;
}

/**
 * The web-server flow on the login host: authorize (login_hint consents for a demo user), token
 * (authorization_code with PKCE S256, refresh_token without rotation), revoke, and the identity URL.
 */
export function registerOAuthRoutes(server: SandboxServer, ctx: SandboxContext): TokenIssuer {
  const { state } = ctx;

  const issuer: TokenIssuer = {
    issue(user, clientId, clientSecret, scope, withRefresh) {
      const accessToken = `${state.orgId}!${ctx.newSecret(72)}`;
      state.accessTokens.set(accessToken, { userId: user.id, clientId, scope, expiresAt: state.now() + ctx.tokenTtlSeconds * 1000 });
      const id = `${ctx.loginUrl()}/id/${state.orgId}/${user.id}`;
      const issuedAt = String(state.now());
      const body: Record<string, string> = {
        access_token: accessToken,
        signature: tokenSignature(id, issuedAt, clientSecret),
        scope,
        instance_url: ctx.instanceUrl(),
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
      };
      if (withRefresh) {
        const refreshToken = `5Aep861${ctx.newSecret(60)}`;
        state.refreshTokens.set(refreshToken, { userId: user.id, clientId, scope, revoked: false });
        body['refresh_token'] = refreshToken;
      }
      return body;
    },
  };

  server.route('GET', '/services/oauth2/authorize', (req) => authorize(ctx, req));

  server.route('POST', '/services/oauth2/token', (req) => {
    const form = formOf(req);
    const clientId = form['client_id'] ?? '';
    const clientSecret = form['client_secret'] ?? '';
    if (!clientId || (ctx.client && (ctx.client.id !== clientId || ctx.client.secret !== clientSecret))) return oauthError(400, 'invalid_client', 'invalid client credentials');
    if (form['grant_type'] === 'authorization_code') {
      const code = state.authCodes.get(form['code'] ?? '');
      if (!code || code.used || code.expiresAt <= state.now() || code.clientId !== clientId) return oauthError(400, 'invalid_grant', 'invalid authorization code');
      code.used = true;
      if (code.redirectUri !== form['redirect_uri']) return oauthError(400, 'invalid_grant', 'redirect_uri must match configuration');
      if (!form['code_verifier'] || !verifyPkce(form['code_verifier'], code.challenge)) return oauthError(400, 'invalid_grant', 'invalid code verifier');
      const user = state.userById(code.userId);
      if (!user) return oauthError(400, 'invalid_grant', 'inactive user');
      const scopes = code.scope.split(' ');
      return { status: 200, body: issuer.issue(user, clientId, clientSecret, code.scope, scopes.includes('refresh_token') || scopes.includes('offline_access')) };
    }
    if (form['grant_type'] === 'refresh_token') {
      const grant = state.refreshTokens.get(form['refresh_token'] ?? '');
      if (!grant || grant.revoked || grant.clientId !== clientId) return oauthError(400, 'invalid_grant', 'expired access/refresh token');
      const user = state.userById(grant.userId);
      if (!user) return oauthError(400, 'invalid_grant', 'inactive user');
      return { status: 200, body: issuer.issue(user, clientId, clientSecret, grant.scope, false) };
    }
    return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  });

  server.route('POST', '/services/oauth2/revoke', (req) => {
    const token = formOf(req)['token'] ?? req.query.get('token') ?? '';
    const refresh = state.refreshTokens.get(token);
    if (refresh) {
      refresh.revoked = true;
      for (const [key, access] of state.accessTokens) if (access.userId === refresh.userId && access.clientId === refresh.clientId) state.accessTokens.delete(key);
      return { status: 200, text: '' };
    }
    if (state.accessTokens.delete(token)) return { status: 200, text: '' };
    return oauthError(400, 'unsupported_token_type', 'this token type is not supported');
  });

  return issuer;
}

function authorize(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const q = req.query;
  const redirectUri = q.get('redirect_uri') ?? '';
  const clientId = q.get('client_id') ?? '';
  if (!/^https?:\/\//.test(redirectUri)) return htmlError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  if (!clientId || (ctx.client && ctx.client.id !== clientId)) return htmlError('invalid_client_id', 'client identifier invalid');
  const fail = (error: string, description: string): SandboxResponse => redirectBack(redirectUri, { error, error_description: description }, q.get('state'));
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'response type not supported');
  const challenge = q.get('code_challenge');
  if (!challenge || q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'missing required code challenge');
  const scope = (q.get('scope') ?? 'api refresh_token').split(/\s+/).filter(Boolean);
  const unknown = scope.find((s) => !KNOWN_SCOPES.has(s));
  if (unknown) return fail('invalid_scope', `the requested scope is not allowed: ${unknown}`);

  const hint = q.get('login_hint');
  if (!hint) return chooser(req.url);
  const user = ctx.state.userByEmail(hint);
  if (!user) return fail('access_denied', 'end-user denied authorization');
  const code = `aPrx${ctx.newSecret(48)}`;
  ctx.state.authCodes.set(code, { userId: user.id, clientId, redirectUri, challenge, scope: scope.join(' '), expiresAt: ctx.state.now() + CODE_TTL_MS, used: false });
  return redirectBack(redirectUri, { code }, q.get('state'));
}

/** Stand-in for the login and consent screens: one link per demo user. */
function chooser(requestUrl: URL): SandboxResponse {
  const links = demoUserLinks(requestUrl, (p) => `${p.firstName} ${p.lastName} (${p.email}, ${p.salesforceProfile})`);
  return htmlResponse(200, `<!doctype html><html><head><title>Login | Salesforce (sandbox)</title></head><body><h1>Allow access?</h1><p>Sign in as a demo user to continue:</p><ul>${links}</ul></body></html>`);
}

function htmlError(error: string, description: string): SandboxResponse {
  return htmlResponse(400, `<!doctype html><html><body><p>error=${escapeHtml(error)}&amp;error_description=${escapeHtml(description)}</p></body></html>`);
}
