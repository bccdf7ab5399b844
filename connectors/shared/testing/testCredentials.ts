import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../../src/tools/connector.js';
import type { CredentialAccessor, LinkedCredential } from '../../../src/tools/credentials.js';

export interface TestCredentialsOptions {
  readonly oauth: OAuthProvider;
  /** Refresh this long before expiry, as the production accessor does. */
  readonly skewMs?: number;
  /** The accessor's clock; tests may run it ahead of the wall clock to pass an expiry. */
  readonly now?: () => number;
  /** The tenant's service credential, for connectors with a service path; rejects when absent. */
  readonly forService?: () => Promise<LinkedCredential>;
}

/**
 * What the store's credential accessor does, in memory: refresh ahead of expiry or after
 * `invalidate()`, keep what the provider did not resend (rotated-away refresh token, user id,
 * metadata), and refresh at most once at a time.
 */
export class RefreshingTestCredentials implements CredentialAccessor {
  refreshes = 0;
  invalidations = 0;
  private invalidated = false;
  private refreshing?: Promise<void>;

  constructor(
    protected readonly config: ConnectorInstanceConfig,
    public tokens: TokenSet,
    private readonly options: TestCredentialsOptions,
  ) {}

  async forUser(): Promise<LinkedCredential> {
    const now = this.options.now ?? Date.now;
    const skew = this.options.skewMs ?? 60_000;
    const expiring = this.tokens.expiresAt !== undefined && this.tokens.expiresAt.getTime() - skew <= now();
    if ((this.invalidated || expiring) && this.tokens.refreshToken) {
      this.refreshing ??= this.refresh(this.tokens.refreshToken).finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    return {
      accessToken: this.tokens.accessToken,
      metadata: this.tokens.metadata,
      ...(this.tokens.externalUserId ? { externalUserId: this.tokens.externalUserId } : {}),
      ...(this.tokens.expiresAt ? { expiresAt: this.tokens.expiresAt } : {}),
    };
  }

  forService(): Promise<LinkedCredential> {
    return this.options.forService ? this.options.forService() : Promise.reject(new Error(`${this.config.displayName} has no service credential`));
  }

  async invalidate(): Promise<void> {
    this.invalidations += 1;
    this.invalidated = true;
  }

  private async refresh(refreshToken: string): Promise<void> {
    const next = await this.options.oauth.refresh(this.config, { refreshToken });
    this.refreshes += 1;
    const now = this.options.now ?? Date.now;
    // Expiry is kept on this accessor's clock, which tests may run ahead of the wall clock.
    const expiresAt = next.expiresAt ? new Date(now() + next.expiresAt.getTime() - Date.now()) : undefined;
    const kept = this.tokens;
    const rotated = next.refreshToken ?? kept.refreshToken;
    const externalUserId = next.externalUserId ?? kept.externalUserId;
    this.tokens = {
      accessToken: next.accessToken,
      scopes: next.scopes,
      ...(rotated ? { refreshToken: rotated } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(externalUserId ? { externalUserId } : {}),
      metadata: { ...kept.metadata, ...next.metadata },
    };
    this.invalidated = false;
  }
}
