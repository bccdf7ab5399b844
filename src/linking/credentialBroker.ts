import { AccountNotLinkedError, SwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { CredentialAccessor, LinkedCredential } from '../tools/credentials.js';
import type { ConnectorInstanceConfig, TokenSet } from '../tools/connector.js';
import type { ConnectorAccountRecord, ConnectorAccountRepository } from '../store/repositories/connectorAccounts.js';
import type { OAuthProviderLookup } from './accountLinkingService.js';
import { ServiceCredentialMissingError } from './errors.js';

export interface CredentialBrokerDeps {
  readonly accounts: ConnectorAccountRepository;
  readonly providers: OAuthProviderLookup;
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** Refresh this long before expiry so a token never dies mid-request (default 60 s). */
  readonly refreshAheadMs?: number;
}

export interface CredentialsForInput {
  readonly tenantId: string;
  readonly userId: string;
  readonly connector: ConnectorInstanceConfig;
}

/** Provider answers that mean the grant is gone for good; anything else may be transient. */
function grantRevoked(error: unknown): boolean {
  if (!(error instanceof SwitchboardError) || error.retryable) return false;
  const { status, vendorCode } = error as SwitchboardError & { status?: unknown; vendorCode?: unknown };
  // RFC 6749 §5.2: a dead refresh token is 400 invalid_grant. 401 invalid_client is our misconfiguration, not the user's.
  return vendorCode === 'invalid_grant' || error.code === 'invalid_grant' || (status === 400 && vendorCode === undefined);
}

/** Keeps what the provider did not resend: non-rotating providers omit the refresh token. */
function mergeRefreshed(previous: TokenSet, next: TokenSet): TokenSet {
  const refreshToken = next.refreshToken ?? previous.refreshToken;
  const externalUserId = next.externalUserId ?? previous.externalUserId;
  return {
    accessToken: next.accessToken,
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    ...(next.expiresAt !== undefined ? { expiresAt: next.expiresAt } : {}),
    scopes: next.scopes.length > 0 ? next.scopes : previous.scopes,
    ...(externalUserId !== undefined ? { externalUserId } : {}),
    metadata: { ...previous.metadata, ...next.metadata },
  };
}

/**
 * Only accounts whose identity was checked at link time are used: a link stored before that check
 * existed may belong to someone else, so it counts as not linked and the employee links it again.
 */
function usable(account: ConnectorAccountRecord | null): account is ConnectorAccountRecord {
  return account !== null && account.status === 'active' && (account.tokens.metadata['verified_as'] ?? '') !== '';
}

function toCredential(tokens: TokenSet): LinkedCredential {
  return {
    accessToken: tokens.accessToken,
    ...(tokens.externalUserId !== undefined ? { externalUserId: tokens.externalUserId } : {}),
    metadata: tokens.metadata,
    ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
  };
}

/**
 * Hands tools the acting employee's credential. Each accessor holds only its own small state, so
 * concurrent runs share nothing; cross-process refresh safety comes from the row lock.
 */
export class CredentialBroker {
  private readonly clock: () => Date;
  private readonly refreshAheadMs: number;

  constructor(private readonly deps: CredentialBrokerDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.refreshAheadMs = deps.refreshAheadMs ?? 60_000;
  }

  credentialsFor(input: CredentialsForInput): CredentialAccessor {
    const { tenantId, userId, connector } = input;
    // Version whose access token the API rejected; the next forUser() must not hand it out again.
    let rejectedVersion: number | undefined;
    let lastVersion: number | undefined;

    const needsRefresh = (account: ConnectorAccountRecord): boolean => {
      if (account.version === rejectedVersion) return true;
      const expiresAt = account.tokens.expiresAt;
      return expiresAt !== undefined && expiresAt.getTime() - this.refreshAheadMs <= this.clock().getTime();
    };

    const notLinked = (): AccountNotLinkedError => new AccountNotLinkedError(connector.id, connector.displayName);

    // The lock's transaction commits what happened (including "needs re-consent") before we throw,
    // so a revoked grant is recorded rather than rolled back with the error.
    const refreshLocked = async (): Promise<ConnectorAccountRecord> => {
      const outcome = await this.deps.accounts.withLock(tenantId, userId, connector.id, async (locked): Promise<ConnectorAccountRecord | 'not_linked'> => {
        const current = locked.account;
        if (!usable(current)) return 'not_linked';
        // Another worker may have refreshed while we waited for the lock.
        if (!needsRefresh(current)) return current;
        const refreshToken = current.tokens.refreshToken;
        if (!refreshToken) {
          await locked.setStatus('reauth_required');
          return 'not_linked';
        }
        let next: TokenSet;
        try {
          next = await this.deps.providers(connector.kind).refresh(connector, { refreshToken });
        } catch (error) {
          if (!grantRevoked(error)) throw error;
          await locked.setStatus('reauth_required');
          this.deps.logger.warn({ tenantId, userId, connectorId: connector.id }, 'refresh rejected; account needs to be linked again');
          return 'not_linked';
        }
        const updated = await locked.replaceTokens(mergeRefreshed(current.tokens, next));
        this.deps.logger.info({ tenantId, userId, connectorId: connector.id }, 'access token refreshed');
        return updated;
      });
      if (outcome === 'not_linked') throw notLinked();
      return outcome;
    };

    return {
      forUser: async () => {
        let account = await this.deps.accounts.find(tenantId, userId, connector.id);
        if (!usable(account)) throw notLinked();
        if (needsRefresh(account)) account = await refreshLocked();
        lastVersion = account.version;
        rejectedVersion = undefined;
        return toCredential(account.tokens);
      },
      forService: async () => {
        if (!connector.serviceToken) throw new ServiceCredentialMissingError(connector.id, connector.displayName);
        return { accessToken: connector.serviceToken, metadata: {} };
      },
      invalidate: async () => {
        rejectedVersion = lastVersion;
      },
    };
  }
}
