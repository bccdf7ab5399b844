import { verifyPkce } from '../../shared/pkce.js';
import { demoUserLinks, htmlResponse as html } from '../../shared/sandbox/consentPage.js';
import { formOf, oauthErrorResponse, redirectBack } from '../../shared/sandbox/oauthExchange.js';
import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import type { SandboxContext } from './context.js';
import type { IdTokenSigner } from './oidc.js';
import type { SandboxUser } from './state.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const CODE_TTL_MS = 300_000;

/** The org authorization server: `/oauth2/v1/authorize`, `/token`, `/userinfo`, `/revoke`. */
export function registerOAuthRoutes(server: SandboxServer, ctx: SandboxContext, signer: IdTokenSigner): OAuthIssuer {
  const issuer = new OAuthIssuer(ctx, signer);

  server.route('GET', '/oauth2/v1/authorize', (req) => authorize(ctx, req));

  server.route('POST', '/oauth2/v1/token', (req) => {
    const form = formOf(req);
    const client = clientAuth(ctx, req, form);
    if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed.');
    if (form['grant_type'] === 'authorization_code') return issuer.exchange(form, client);
    if (form['grant_type'] === 'refresh_token') return issuer.refresh(form, client);
    return oauthError(400, 'unsupported_grant_type', `The authorization grant type is not supported by the authorization server. Configured grant types: [authorization_code, refresh_token].`);
  });

  server.route('GET', '/oauth2/v1/userinfo', (req) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const record = token ? ctx.state.accessTokens.get(token) : undefined;
    const user = record && record.expiresAt > ctx.now().getTime() ? ctx.state.users.get(record.userId) : undefined;
    if (!user || !record) return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid."' } };
    return { status: 200, headers: NO_STORE, body: { sub: user.id, name: `${user.profile.firstName} ${user.profile.lastName}`, email: user.profile.email, email_verified: true, preferred_username: user.profile.login, given_name: user.profile.firstName, family_name: user.profile.lastName, zoneinfo: 'America/Los_Angeles', updated_at: Math.floor(Date.parse(user.lastUpdated) / 1000) } };
  });

  server.route('POST', '/oauth2/v1/revoke', (req) => {
    const form = formOf(req);
    if (!clientAuth(ctx, req, form)) return oauthError(401, 'invalid_client', 'Client authentication failed.');
    const token = form['token'] ?? '';
    ctx.state.accessTokens.delete(token);
    const refresh = ctx.state.refreshTokens.get(token);
    if (refresh) refresh.revoked = true;
    return { status: 200 };
  });

  return issuer;
}

/** Mints tokens; also used directly by `issueTokenFor` so other tests can skip the browser. */
export class OAuthIssuer {
  constructor(private readonly ctx: SandboxContext, private readonly signer: IdTokenSigner) {}

  issue(user: SandboxUser, clientId: string, scopes: readonly string[], nonce?: string): Record<string, unknown> {
    const accessToken = this.ctx.newSecret();
    const now = this.ctx.now().getTime();
    this.ctx.state.accessTokens.set(accessToken, { userId: user.id, clientId, scopes: [...scopes], expiresAt: now + this.ctx.tokenTtlSeconds * 1000 });
    const body: Record<string, unknown> = { token_type: 'Bearer', expires_in: this.ctx.tokenTtlSeconds, access_token: accessToken, scope: scopes.join(' ') };
    if (scopes.includes('offline_access')) {
      const refreshToken = this.ctx.newSecret();
      this.ctx.state.refreshTokens.set(refreshToken, { userId: user.id, clientId, scopes: [...scopes], revoked: false });
      body['refresh_token'] = refreshToken;
    }
    if (scopes.includes('openid')) body['id_token'] = this.idToken(user, clientId, scopes, nonce);
    return body;
  }

  exchange(form: Record<string, string>, clientId: string): SandboxResponse {
    const code = this.ctx.state.codes.get(form['code'] ?? '');
    const invalid = oauthError(400, 'invalid_grant', 'The authorization code is invalid or has expired.');
    if (!code || code.used || code.clientId !== clientId || code.expiresAt <= this.ctx.now().getTime()) return invalid;
    if (form['redirect_uri'] !== code.redirectUri) return oauthError(400, 'invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
    if (!form['code_verifier']) return oauthError(400, 'invalid_request', 'PKCE code verifier is required when the parameter code_challenge is included in the authorization request.');
    if (!verifyPkce(form['code_verifier'], code.challenge)) return oauthError(400, 'invalid_grant', 'PKCE verification failed.');
    code.used = true;
    const user = this.ctx.state.users.get(code.userId);
    if (!user) return invalid;
    return { status: 200, headers: NO_STORE, body: this.issue(user, clientId, code.scopes, code.nonce) };
  }

  refresh(form: Record<string, string>, clientId: string): SandboxResponse {
    const token = form['refresh_token'] ?? '';
    const record = this.ctx.state.refreshTokens.get(token);
    if (!record || record.revoked || record.clientId !== clientId) return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
    const requested = form['scope'] ? form['scope'].split(' ').filter(Boolean) : record.scopes;
    if (requested.some((s) => !record.scopes.includes(s))) return oauthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    const user = this.ctx.state.users.get(record.userId);
    if (!user || user.status === 'SUSPENDED' || user.status === 'DEPROVISIONED') return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
    // Refresh-token rotation (Okta's recommended setting): the old refresh token stops working.
    record.revoked = true;
    return { status: 200, headers: NO_STORE, body: this.issue(user, clientId, requested.includes('offline_access') ? requested : [...requested, 'offline_access']) };
  }

  private idToken(user: SandboxUser, clientId: string, scopes: readonly string[], nonce?: string): string {
    const now = Math.floor(this.ctx.now().getTime() / 1000);
    const claims: Record<string, unknown> = { sub: user.id, ver: 1, iss: this.ctx.base(), aud: clientId, iat: now, exp: now + 3600, jti: `ID.${this.ctx.newSecret().slice(0, 24)}`, amr: ['pwd'], idp: '00o1sandboxidp', auth_time: now };
    if (nonce) claims['nonce'] = nonce;
    if (scopes.includes('email')) claims['email'] = user.profile.email;
    if (scopes.includes('email')) claims['email_verified'] = true;
    if (scopes.includes('profile')) Object.assign(claims, { name: `${user.profile.firstName} ${user.profile.lastName}`, preferred_username: user.profile.login });
    // Okta's groups claim (the `groups` scope): the names of the person's groups.
    if (scopes.includes('groups')) claims['groups'] = this.ctx.state.groupsOf(user.id).map((g) => g.name);
    return this.signer.sign(claims);
  }
}

function authorize(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const q = req.query;
  const redirectUri = q.get('redirect_uri');
  if (q.get('client_id') !== ctx.clientId || !redirectUri || !/^https?:\/\//.test(redirectUri)) {
    return html(400, '<h1>400 Bad Request</h1><p>Identity Provider: Unknown<br>Error Code: invalid_request<br>Description: The client_id or redirect_uri is invalid.</p>');
  }
  const back = (params: Record<string, string>): SandboxResponse => redirectBack(redirectUri, params, q.get('state'));
  const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
  if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'The response type is not supported by the authorization server. Configured response types: [code].' });
  if (!scopes.includes('openid')) return back({ error: 'invalid_scope', error_description: 'The authorization server resource does not have any configured default scopes, \'scope\' must be provided.' });
  const challenge = q.get('code_challenge');
  if (!challenge || q.get('code_challenge_method') !== 'S256') return back({ error: 'invalid_request', error_description: 'PKCE code challenge is required when the token endpoint authentication method is \'NONE\'; this sandbox requires S256.' });
  const hint = q.get('login_hint');
  if (!hint) return html(200, pickerPage(req));
  const user = ctx.state.userByLogin(hint);
  if (!user || user.status === 'SUSPENDED' || user.status === 'DEPROVISIONED') return back({ error: 'access_denied', error_description: 'User is not assigned to the client application.' });
  const code = ctx.newSecret().slice(0, 43);
  const nonce = q.get('nonce');
  ctx.state.codes.set(code, { userId: user.id, clientId: ctx.clientId, redirectUri, scopes, challenge, ...(nonce ? { nonce } : {}), expiresAt: ctx.now().getTime() + CODE_TTL_MS, used: false });
  return back({ code });
}

function pickerPage(req: SandboxRequest): string {
  const links = demoUserLinks(req.url, (p) => `${p.firstName} ${p.lastName} <${p.email}> — ${p.title}`);
  return `<!doctype html><html><head><title>Okta sandbox - Sign In</title></head><body><h1>Sign in to Acme (Okta sandbox)</h1><p>Choose a demo user:</p><ul>${links}</ul></body></html>`;
}

/** client_secret_basic or client_secret_post; the secret is checked only when the sandbox has one. */
function clientAuth(ctx: SandboxContext, req: SandboxRequest, form: Record<string, string>): string | undefined {
  let id = form['client_id'];
  let secret = form['client_secret'];
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const [rawId, rawSecret] = Buffer.from(basic, 'base64').toString('utf8').split(':', 2);
    id = decodeURIComponent(rawId ?? '');
    secret = decodeURIComponent(rawSecret ?? '');
  }
  if (id !== ctx.clientId) return undefined;
  if (ctx.clientSecret !== undefined && secret !== ctx.clientSecret) return undefined;
  return id;
}

function oauthError(status: number, error: string, description: string): SandboxResponse {
  return oauthErrorResponse(status, error, description, NO_STORE);
}
