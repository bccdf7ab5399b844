import { generateKeyPairSync, randomBytes, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { SandboxServer } from '../../shared/sandboxServer.js';
import type { SandboxContext } from './context.js';

/**
 * The org authorization server's signing key, as Okta publishes it: ID tokens are RS256 JWTs whose
 * `kid` names a key in the JWKS at /oauth2/v1/keys, so a relying party verifies them like real ones.
 */
export class IdTokenSigner {
  readonly kid = randomBytes(16).toString('base64url');
  private readonly privateKey: KeyObject;
  private readonly publicJwk: JsonWebKey;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicJwk = pair.publicKey.export({ format: 'jwk' });
  }

  sign(claims: Record<string, unknown>): string {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', kid: this.kid })}.${encode(claims)}`;
    return `${unsigned}.${sign('sha256', Buffer.from(unsigned), this.privateKey).toString('base64url')}`;
  }

  jwks(): { keys: JsonWebKey[] } {
    return { keys: [{ ...this.publicJwk, kid: this.kid, use: 'sig', alg: 'RS256' }] };
  }
}

/** OpenID Connect discovery and the JWKS, so any OIDC client library can sign people in offline. */
export function registerOidcRoutes(server: SandboxServer, ctx: SandboxContext, signer: IdTokenSigner): void {
  const cacheable = { 'cache-control': 'max-age=86400, must-revalidate' };
  server.route('GET', '/.well-known/openid-configuration', () => {
    const base = ctx.base();
    return {
      status: 200,
      headers: cacheable,
      body: {
        issuer: base,
        authorization_endpoint: `${base}/oauth2/v1/authorize`,
        token_endpoint: `${base}/oauth2/v1/token`,
        userinfo_endpoint: `${base}/oauth2/v1/userinfo`,
        revocation_endpoint: `${base}/oauth2/v1/revoke`,
        jwks_uri: `${base}/oauth2/v1/keys`,
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile', 'groups', 'offline_access'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        claims_supported: ['iss', 'ver', 'sub', 'aud', 'iat', 'exp', 'jti', 'auth_time', 'amr', 'idp', 'nonce', 'name', 'preferred_username', 'email', 'email_verified', 'groups'],
        code_challenge_methods_supported: ['S256'],
        request_parameter_supported: false,
      },
    };
  });
  server.route('GET', '/oauth2/v1/keys', () => ({ status: 200, headers: cacheable, body: signer.jwks() }));
}
