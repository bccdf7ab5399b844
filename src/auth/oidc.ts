import * as client from 'openid-client';
import type { TenantSsoConfig } from '../config/tenantConfig.js';

/** What a sign-in in progress must remember between the redirect to the IdP and the way back. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** The person the IdP vouched for, as far as sign-in needs. */
export interface IdpIdentity {
  readonly subject: string;
  readonly email: string;
  readonly groups: readonly string[];
}

/** A stable `code` for every way an SSO sign-in can fail; the message is for the log, never the browser. */
export class SsoError extends Error {
  constructor(readonly code: 'idp_unreachable' | 'idp_refused' | 'invalid_response' | 'no_email' | 'email_not_verified', message: string) {
    super(message);
    this.name = 'SsoError';
  }
}

export interface OidcProviderOptions {
  /** The issuer URL the configuration resolves to (the sandbox's own URL for `sandbox`). */
  readonly issuer: string;
  readonly config: TenantSsoConfig;
  /** The client secret read from `clientSecretEnv`; undefined makes a public client (PKCE only). */
  readonly clientSecret: string | undefined;
  readonly redirectUri: string;
  /** Plain-http issuers are accepted only for the local sandbox. */
  readonly allowHttp: boolean;
}

/**
 * One tenant's OpenID Connect relying party (openid-client): authorization code flow with PKCE,
 * state and nonce, ID token signature checked against the IdP's JWKS. Discovery is done lazily and
 * retried after a failure, so an IdP that is down at startup does not keep sign-in broken.
 */
export class OidcProvider {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly options: OidcProviderOptions) {}

  async begin(): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.discover();
    const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: this.scopes().join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** Exchanges the code that came back on `callbackUrl`; throws SsoError for anything not proven. */
  async complete(callbackUrl: URL, pending: PendingSignIn): Promise<IdpIdentity> {
    const config = await this.discover();
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new SsoError(error instanceof client.AuthorizationResponseError ? 'idp_refused' : 'invalid_response', message);
    }
    if (!claims) throw new SsoError('invalid_response', 'no ID token');
    const email = typeof claims['email'] === 'string' ? claims['email'].trim().toLowerCase() : '';
    if (!email) throw new SsoError('no_email', 'the ID token carries no email claim (request the email scope)');
    // Only an IdP that says the address is unverified is refused: several (Entra) never send the claim.
    if (claims['email_verified'] === false) throw new SsoError('email_not_verified', 'the IdP says the email address is not verified');
    const rawGroups = claims[this.options.config.groupsClaim];
    const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : [];
    return { subject: claims.sub, email, groups };
  }

  private scopes(): string[] {
    const scopes = new Set(['openid', 'email', ...this.options.config.scopes]);
    if (this.options.config.adminGroups.length > 0 && this.options.config.groupsClaim === 'groups') scopes.add('groups');
    return [...scopes];
  }

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const { issuer, config, clientSecret, allowHttp } = this.options;
      const attempt = client
        .discovery(new URL(issuer), config.clientId, clientSecret, clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret), {
          timeout: 10,
          ...(allowHttp ? { execute: [client.allowInsecureRequests] } : {}),
        })
        .then((configuration) => {
          client.enableNonRepudiationChecks(configuration);
          return configuration;
        });
      attempt.catch(() => {
        this.configuration = undefined;
      });
      this.configuration = attempt.catch((error: unknown) => {
        throw new SsoError('idp_unreachable', `discovery at ${issuer} failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    return this.configuration;
  }
}
