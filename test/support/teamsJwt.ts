import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * A local stand-in for Entra's signing-key endpoint: serves a JWKS at
 * `<authority>/<tenant>/discovery/v2.0/keys` (where the Agents SDK looks for a configured authority)
 * and signs Bot Framework-style tokens with its key, or with a key it does not publish.
 */
export interface TokenIssuer {
  /** Configure as the bot's authority (MICROSOFT_APP_AUTHORITY). */
  readonly authority: string;
  readonly jwksRequests: number;
  token(claims: Record<string, unknown>, options?: { foreignKey?: boolean; kid?: string }): string;
  stop(): Promise<void>;
}

function pair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

export async function startTokenIssuer(tenantId: string): Promise<TokenIssuer> {
  const published = pair();
  const foreign = pair();
  const kid = 'test-key-1';
  const jwk = { ...published.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  let jwksRequests = 0;
  const server = createServer((req, res) => {
    if (req.url === `/${tenantId}/discovery/v2.0/keys`) {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    authority: `http://127.0.0.1:${port}`,
    get jwksRequests() {
      return jwksRequests;
    },
    token(claims, options = {}) {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? kid })).toString('base64url');
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), (options.foreignKey ? foreign : published).privateKey).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
