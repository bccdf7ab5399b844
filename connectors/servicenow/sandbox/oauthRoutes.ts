import { verifyPkce } from '../../shared/pkce.js';
import { demoUserLinks, htmlResponse as html } from '../../shared/sandbox/consentPage.js';
import { formOf, oauthErrorResponse, redirectBack } from '../../shared/sandbox/oauthExchange.js';
import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import type { SandboxContext } from './context.js';
import type { Row } from './state.js';

const CODE_TTL_MS = 120_000;
const NO_STORE = { 'cache-control': 'no-store' };

/** `/oauth_auth.do` (consent) and `/oauth_token.do` (form-encoded grants), as on an instance. */
export function registerOAuthRoutes(server: SandboxServer, ctx: SandboxContext): OAuthIssuer {
  const issuer = new OAuthIssuer(ctx);
  server.route('GET', '/oauth_auth.do', (req) => authorize(ctx, req));
  server.route('POST', '/oauth_token.do', (req) => {
    // The instance answers JSON token requests with an unspecified error.
    if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return oauthError(400, 'server_error', 'invalid_request');
    const form = formOf(req);
    if (form['client_id'] !== ctx.clientId || (ctx.clientSecret !== undefined && form['client_secret'] !== undefined && form['client_secret'] !== ctx.clientSecret)) {
      return oauthError(401, 'server_error', 'access_denied');
    }
    if (form['grant_type'] === 'authorization_code') return issuer.exchange(form);
    if (form['grant_type'] === 'refresh_token') return issuer.refresh(form);
    return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported');
  });
  return issuer;
}

export class OAuthIssuer {
  constructor(private readonly ctx: SandboxContext) {}

  issue(user: Row, scopes: readonly string[], refreshToken?: string): Record<string, unknown> {
    const userId = user['sys_id'] ?? '';
    const accessToken = this.ctx.newSecret();
    const now = this.ctx.now().getTime();
    this.ctx.state.accessTokens.set(accessToken, { userId, clientId: this.ctx.clientId, scopes, expiresAt: now + this.ctx.tokenTtlSeconds * 1000 });
    const refresh = refreshToken ?? this.ctx.newSecret();
    // Refresh tokens live 100 days by default and are not rotated: a refresh returns the same one.
    if (!refreshToken) this.ctx.state.refreshTokens.set(refresh, { userId, clientId: this.ctx.clientId, scopes, expiresAt: now + 100 * 86_400_000 });
    return { access_token: accessToken, refresh_token: refresh, scope: scopes.join(' '), token_type: 'Bearer', expires_in: this.ctx.tokenTtlSeconds };
  }

  exchange(form: Record<string, string>): SandboxResponse {
    const code = this.ctx.state.codes.get(form['code'] ?? '');
    if (!code || code.used || code.expiresAt <= this.ctx.now().getTime() || form['redirect_uri'] !== code.redirectUri) return oauthError(401, 'server_error', 'access_denied');
    if (!form['code_verifier'] || !verifyPkce(form['code_verifier'], code.challenge)) return oauthError(401, 'invalid_grant', 'PKCE verification failed');
    code.used = true;
    const user = this.ctx.state.get('sys_user', code.userId);
    return user ? { status: 200, headers: NO_STORE, body: this.issue(user, code.scopes) } : oauthError(401, 'server_error', 'access_denied');
  }

  refresh(form: Record<string, string>): SandboxResponse {
    const token = form['refresh_token'] ?? '';
    const record = this.ctx.state.refreshTokens.get(token);
    const user = record ? this.ctx.state.get('sys_user', record.userId) : undefined;
    if (!record || !user || record.expiresAt <= this.ctx.now().getTime() || user['active'] !== 'true') return oauthError(401, 'server_error', 'access_denied');
    return { status: 200, headers: NO_STORE, body: this.issue(user, record.scopes, token) };
  }
}

function authorize(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const q = req.query;
  const redirectUri = q.get('redirect_uri');
  if (q.get('client_id') !== ctx.clientId || !redirectUri || !/^https?:\/\//.test(redirectUri)) return html(400, '<h1>Invalid client_id or redirect_uri</h1>');
  if (!q.get('state')) return html(400, '<h1>Missing State parameter in request</h1>');
  const back = (params: Record<string, string>): SandboxResponse => redirectBack(redirectUri, params, q.get('state') ?? '');
  if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
  const challenge = q.get('code_challenge');
  if (!challenge || q.get('code_challenge_method') !== 'S256') return back({ error: 'invalid_request', error_description: 'code_challenge with code_challenge_method=S256 is required' });
  const hint = q.get('login_hint');
  if (!hint) return html(200, pickerPage(req));
  const user = ctx.state.userByEmail(hint);
  if (!user || user['active'] !== 'true') return back({ error: 'access_denied', error_description: 'User is not active on this instance' });
  const code = ctx.newSecret();
  const scopes = (q.get('scope') ?? 'useraccount').split(/[ ,]+/).filter(Boolean);
  ctx.state.codes.set(code, { userId: user['sys_id'] ?? '', clientId: ctx.clientId, redirectUri, scopes, challenge, expiresAt: ctx.now().getTime() + CODE_TTL_MS, used: false });
  return back({ code });
}

function pickerPage(req: SandboxRequest): string {
  const links = demoUserLinks(req.url, (p) => `${p.firstName} ${p.lastName} <${p.email}> (${p.title})`);
  return `<!doctype html><html><head><title>ServiceNow sandbox - Log in</title></head><body><h1>Allow Switchboard to connect to your ServiceNow account</h1><p>Choose a demo user:</p><ul>${links}</ul></body></html>`;
}

function oauthError(status: number, error: string, description: string): SandboxResponse {
  return oauthErrorResponse(status, error, description, NO_STORE);
}
