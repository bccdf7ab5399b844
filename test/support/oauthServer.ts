import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyPkce } from '../../connectors/shared/pkce.js';

/**
 * A small real OAuth 2.0 authorization server for linking tests: authorization code + PKCE (S256)
 * with login_hint auto-consent, refresh tokens that rotate (a spent refresh token is rejected, as
 * Atlassian does), revocation, and counters a test can assert on.
 */
export interface OAuthTestServer {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly stats: { codeExchanges: number; refreshCalls: number; rejectedRefreshes: number; revocations: number };
  /** Every secret it ever handed out or accepted (codes, access and refresh tokens): tests scan logs for them. */
  readonly secretsIssued: string[];
  /** Lifetime of newly issued access tokens. */
  expiresInSeconds: number;
  /** Makes every refresh token invalid (the user revoked the grant at the provider). */
  revokeAllGrants(): void;
  isAccessTokenValid(token: string): boolean;
  close(): Promise<void>;
}

interface CodeGrant { clientId: string; redirectUri: string; challenge: string; subject: string; scope: string; used: boolean }
interface RefreshGrant { subject: string; scope: string; spent: boolean }

function token(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startOAuthServer(options: { clientId?: string; clientSecret?: string; expiresInSeconds?: number } = {}): Promise<OAuthTestServer> {
  const clientId = options.clientId ?? 'switchboard-test';
  const clientSecret = options.clientSecret ?? 'test-client-secret';
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const accessTokens = new Set<string>();
  const stats = { codeExchanges: 0, refreshCalls: 0, rejectedRefreshes: 0, revocations: 0 };
  const secretsIssued: string[] = [];

  const issue = (subject: string, scope: string) => {
    const access = token('at');
    const refresh = token('rt');
    accessTokens.add(access);
    refreshTokens.set(refresh, { subject, scope, spent: false });
    secretsIssued.push(access, refresh);
    return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: server.expiresInSeconds, scope, sub: subject };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_id') !== clientId || !redirectUri || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        json(res, 400, { error: 'invalid_request' });
        return;
      }
      const location = new URL(redirectUri);
      const hint = q.get('login_hint');
      if (!hint) {
        location.searchParams.set('error', 'access_denied');
      } else {
        const code = token('code');
        secretsIssued.push(code);
        codes.set(code, { clientId, redirectUri, challenge: q.get('code_challenge')!, subject: hint, scope: q.get('scope') ?? '', used: false });
        location.searchParams.set('code', code);
      }
      location.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: location.toString() });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = await readForm(req);
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        json(res, 401, { error: 'invalid_client' });
        return;
      }
      if (form.get('grant_type') === 'authorization_code') {
        stats.codeExchanges += 1;
        const grant = codes.get(form.get('code') ?? '');
        if (!grant || grant.used || grant.redirectUri !== form.get('redirect_uri') || !verifyPkce(form.get('code_verifier') ?? '', grant.challenge)) {
          json(res, 400, { error: 'invalid_grant', error_description: 'authorization code is invalid' });
          return;
        }
        grant.used = true;
        json(res, 200, issue(grant.subject, grant.scope));
        return;
      }
      if (form.get('grant_type') === 'refresh_token') {
        stats.refreshCalls += 1;
        const grant = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!grant || grant.spent) {
          stats.rejectedRefreshes += 1;
          json(res, 400, { error: 'invalid_grant', error_description: 'refresh token is invalid or was already used' });
          return;
        }
        grant.spent = true;
        json(res, 200, issue(grant.subject, grant.scope));
        return;
      }
      json(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const form = await readForm(req);
      stats.revocations += 1;
      const t = form.get('token') ?? '';
      refreshTokens.delete(t);
      accessTokens.delete(t);
      res.writeHead(200);
      res.end();
      return;
    }
    json(res, 404, { error: 'not_found' });
  };

  const http = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  const server: OAuthTestServer = {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    stats,
    secretsIssued,
    expiresInSeconds: options.expiresInSeconds ?? 3600,
    revokeAllGrants: () => {
      for (const grant of refreshTokens.values()) grant.spent = true;
    },
    isAccessTokenValid: (t) => accessTokens.has(t),
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}
