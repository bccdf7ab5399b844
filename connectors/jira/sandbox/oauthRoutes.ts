import { randomBytes } from 'node:crypto';
import { verifyPkce } from '../../shared/pkce.js';
import { demoUserLinks, escapeHtml, htmlResponse } from '../../shared/sandbox/consentPage.js';
import { formOf, oauthErrorResponse as oauthError, redirectBack } from '../../shared/sandbox/oauthExchange.js';
import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import type { JiraSandboxState } from './state.js';

export interface OAuthSettings {
  readonly tokenTtlSeconds: number;
  readonly url: () => string;
}

const CODE_TTL_MS = 10 * 60 * 1000;

function html(status: number, body: string): SandboxResponse {
  return htmlResponse(status, `<!doctype html><html><head><meta charset="utf-8"><title>Atlassian</title></head><body>${body}</body></html>`);
}

export function issueTokens(state: JiraSandboxState, settings: OAuthSettings, grant: { accountId: string; clientId: string; scopes: readonly string[] }): Record<string, unknown> {
  const accessToken = `sbx-jira-at-${randomBytes(24).toString('base64url')}`;
  state.accessTokens.set(accessToken, { ...grant, expiresAt: state.now() + settings.tokenTtlSeconds * 1000 });
  const body: Record<string, unknown> = { access_token: accessToken, expires_in: settings.tokenTtlSeconds, token_type: 'Bearer', scope: grant.scopes.join(' ') };
  if (grant.scopes.includes('offline_access')) {
    const refreshToken = `sbx-jira-rt-${randomBytes(24).toString('base64url')}`;
    state.refreshTokens.set(refreshToken, { ...grant, used: false });
    body['refresh_token'] = refreshToken;
  }
  return body;
}

export function registerOAuthRoutes(server: SandboxServer, state: JiraSandboxState, settings: OAuthSettings): void {
  server.route('GET', '/authorize', (req) => authorize(req, state));
  server.route('POST', '/oauth/token', (req) => token(req, state, settings));
  server.route('GET', '/oauth/token/accessible-resources', (req) => {
    const grant = bearer(req, state);
    if (!grant) return { status: 401, body: { code: 401, message: 'Unauthorized' } };
    return { status: 200, body: [{ id: state.cloudId, url: state.siteUrl, name: state.siteName, scopes: grant.scopes.filter((s) => s !== 'offline_access'), avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png' }] };
  });
}

export function bearer(req: SandboxRequest, state: JiraSandboxState) {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const grant = match ? state.accessTokens.get(match[1] ?? '') : undefined;
  return grant && grant.expiresAt > state.now() ? grant : undefined;
}

function authorize(req: SandboxRequest, state: JiraSandboxState): SandboxResponse {
  const q = req.query;
  const clientId = q.get('client_id');
  const redirectUri = q.get('redirect_uri');
  if (q.get('response_type') !== 'code' || !clientId || !redirectUri) return html(400, '<p>Something went wrong: response_type=code, client_id and redirect_uri are required.</p>');
  if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256') return html(400, '<p>Something went wrong: this app must use PKCE (code_challenge with code_challenge_method=S256).</p>');
  if (q.get('audience') !== 'api.atlassian.com') return html(400, '<p>Something went wrong: audience must be api.atlassian.com.</p>');
  const hint = q.get('login_hint');
  if (!hint) {
    const links = demoUserLinks(req.url, (p) => `${p.firstName} ${p.lastName} <${p.email}>`);
    return html(200, `<h1>Allow Switchboard to access your Atlassian account?</h1><p>Choose who you are (sandbox):</p><ul>${links}</ul>`);
  }
  const user = state.userByEmail(hint);
  if (!user) return html(400, `<p>No Atlassian account for ${escapeHtml(hint)}.</p>`);
  const code = randomBytes(24).toString('base64url');
  const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
  state.codes.set(code, { accountId: user.accountId, clientId, redirectUri, codeChallenge: q.get('code_challenge') ?? '', scopes, expiresAt: state.now() + CODE_TTL_MS, used: false });
  return redirectBack(redirectUri, { code }, q.get('state'));
}

function token(req: SandboxRequest, state: JiraSandboxState, settings: OAuthSettings): SandboxResponse {
  // Atlassian's token endpoint takes JSON and answers `{error, error_description}`; a dead refresh token is 403 invalid_grant.
  const body = formOf(req);
  const clientId = body['client_id'];
  if (!clientId || !body['client_secret']) return oauthError(401, 'access_denied', 'Unauthorized');
  if (body['grant_type'] === 'authorization_code') {
    const code = state.codes.get(body['code'] ?? '');
    if (!code || code.used || code.expiresAt <= state.now() || code.clientId !== clientId) return oauthError(403, 'invalid_grant', 'Invalid authorization code');
    code.used = true;
    if (code.redirectUri !== body['redirect_uri']) return oauthError(403, 'invalid_grant', 'Invalid redirect_uri');
    const verifier = body['code_verifier'];
    if (!verifier || !verifyPkce(verifier, code.codeChallenge)) return oauthError(403, 'invalid_grant', 'Invalid code_verifier');
    return { status: 200, body: issueTokens(state, settings, { accountId: code.accountId, clientId, scopes: code.scopes }) };
  }
  if (body['grant_type'] === 'refresh_token') {
    const presented = body['refresh_token'] ?? '';
    const grant = state.refreshTokens.get(presented);
    if (!grant || grant.used || grant.clientId !== clientId) return oauthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
    grant.used = true;
    return { status: 200, body: issueTokens(state, settings, { accountId: grant.accountId, clientId, scopes: grant.scopes }) };
  }
  return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
}
