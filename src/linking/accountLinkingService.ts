import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createPkcePair, pkceChallenge } from '../../connectors/shared/pkce.js';
import { NotFoundError, SwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ConnectorKind, ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../tools/connector.js';
import type { Repositories } from '../store/repositories/index.js';
import { hashVerifier, newBrowserBinding } from './browserBinding.js';
import type { ConnectorDirectory } from './connectorInstances.js';
import { LinkAlreadyOpenedError, LinkBrowserMismatchError, LinkExchangeFailedError, LinkIdentityMismatchError, LinkStateInvalidError, UnknownConnectorError } from './errors.js';
import { returnedIdentity, verifyIdentity } from './identityCheck.js';

export type OAuthProviderLookup = (kind: ConnectorKind) => OAuthProvider;

/** The account a tenant's config names for one employee in one connector (`users[].accounts`), if any. */
export type MappedAccountLookup = (tenantId: string, userEmail: string, connectorId: string) => string | undefined;

export interface AccountLinkingDeps {
  readonly repositories: Pick<Repositories, 'accounts' | 'oauthStates' | 'audit' | 'users'>;
  readonly providers: OAuthProviderLookup;
  readonly connectors: ConnectorDirectory;
  readonly logger: Logger;
  /** Our own origin: the link posted in chat opens `<publicUrl>/link/start` first, never the provider. */
  readonly publicUrl: string;
  readonly mappedAccount?: MappedAccountLookup;
  readonly clock?: () => Date;
  /** How long a sign-in link stays valid (default 10 minutes). */
  readonly stateTtlMs?: number;
}

export interface LinkTarget {
  readonly tenantId: string;
  readonly userId: string;
  readonly connectorId: string;
}

export interface StartLinkResult {
  /** The link for the employee: our landing page, which binds the browser and then goes to the provider. */
  readonly url: string;
  readonly state: string;
  readonly expiresAt: Date;
}

export interface OpenedLink {
  /** The provider's authorize URL (PKCE S256 challenge, our state). */
  readonly authorizeUrl: string;
  /** Goes into this browser's HttpOnly cookie and nowhere else. */
  readonly browserVerifier: string;
  readonly expiresAt: Date;
}

export interface LinkInfo {
  readonly connectorName: string;
  readonly userDisplayName: string;
  readonly userEmail: string;
}

export interface CompletedLink extends LinkTarget {
  readonly runId?: string;
  readonly connectorName: string;
}

// The state names its tenant so the callback (which knows nothing else) can scope its lookup.
const stateSchema = z.string().max(200).regex(/^([a-z0-9][a-z0-9-]{1,40})\.([A-Za-z0-9_-]{32,})$/);

export function tenantOfState(state: string): string | undefined {
  const match = stateSchema.safeParse(state);
  return match.success ? state.slice(0, state.indexOf('.')) : undefined;
}

/**
 * Links an employee's account with the OAuth authorization-code + PKCE flow, bound to the browser
 * that opened the link and accepted only when the account that comes back is the employee's own.
 */
export class AccountLinkingService {
  private readonly clock: () => Date;
  private readonly stateTtlMs: number;

  constructor(private readonly deps: AccountLinkingDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.stateTtlMs = deps.stateTtlMs ?? 10 * 60_000;
  }

  connector(tenantId: string, connectorId: string): ConnectorInstanceConfig {
    const config = this.deps.connectors.get(tenantId, connectorId);
    if (!config) throw new UnknownConnectorError(tenantId, connectorId);
    return config;
  }

  async startLink(input: LinkTarget & { runId?: string }): Promise<StartLinkResult> {
    const config = this.connector(input.tenantId, input.connectorId);
    const user = await this.deps.repositories.users.byId(input.tenantId, input.userId);
    if (!user) throw new NotFoundError(`user ${input.userId}`, 'I could not find your Switchboard account.');
    const pkce = createPkcePair();
    const state = `${input.tenantId}.${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(this.clock().getTime() + this.stateTtlMs);
    await this.deps.repositories.oauthStates.create(input.tenantId, {
      id: state, userId: user.id, connectorId: config.id, codeVerifier: pkce.verifier, expiresAt,
      ...(input.runId !== undefined ? { runId: input.runId } : {}),
    });
    this.deps.logger.info({ tenantId: input.tenantId, userId: user.id, connectorId: config.id }, 'account link started');
    const url = `${this.deps.publicUrl.replace(/\/+$/, '')}/link/start?t=${encodeURIComponent(state)}`;
    return { url, state, expiresAt };
  }

  /** Who a live link is for, for the landing page (reveals nothing a link holder could misuse). */
  async describe(state: string): Promise<LinkInfo> {
    const tenantId = tenantOfState(state);
    if (!tenantId) throw new LinkStateInvalidError('malformed state');
    const record = await this.deps.repositories.oauthStates.findLive(tenantId, state, this.clock());
    if (!record) throw new LinkStateInvalidError('unknown, expired or already used');
    if (record.opened) throw new LinkAlreadyOpenedError();
    const user = await this.deps.repositories.users.byId(tenantId, record.userId);
    if (!user) throw new LinkStateInvalidError('user no longer exists');
    return { connectorName: this.connector(tenantId, record.connectorId).displayName, userDisplayName: user.displayName, userEmail: user.email };
  }

  /**
   * Binds the link to this browser (first opener only) and returns where to send it. The verifier
   * goes to the browser as a cookie; only its hash is stored.
   */
  async openLink(input: { state: string }): Promise<OpenedLink> {
    const tenantId = tenantOfState(input.state);
    if (!tenantId) throw new LinkStateInvalidError('malformed state');
    const binding = newBrowserBinding();
    const now = this.clock();
    const record = await this.deps.repositories.oauthStates.open(tenantId, input.state, binding.hash, now);
    if (!record) {
      const live = await this.deps.repositories.oauthStates.findLive(tenantId, input.state, now);
      throw live?.opened ? new LinkAlreadyOpenedError() : new LinkStateInvalidError('unknown, expired or already used');
    }
    const config = this.connector(tenantId, record.connectorId);
    const authorizeUrl = this.deps.providers(config.kind).authorizationUrl(config, { state: record.id, codeChallenge: pkceChallenge(record.codeVerifier) });
    this.deps.logger.info({ tenantId, userId: record.userId, connectorId: config.id }, 'account link opened in a browser');
    return { authorizeUrl, browserVerifier: binding.verifier, expiresAt: record.expiresAt };
  }

  /**
   * Consumes the state exactly once (and only from the browser that opened the link), exchanges the
   * code, and stores the tokens encrypted only when the account is the employee's. A second
   * callback with the same state (double click, replay) is refused before any exchange happens.
   */
  async completeLink(input: { state: string; code: string; browserVerifier: string | undefined; connectorId?: string; signal?: AbortSignal }): Promise<CompletedLink> {
    const tenantId = tenantOfState(input.state);
    if (!tenantId) throw new LinkStateInvalidError('malformed state');
    const now = this.clock();
    const record = input.browserVerifier ? await this.deps.repositories.oauthStates.consume(tenantId, input.state, now, hashVerifier(input.browserVerifier)) : null;
    if (!record) {
      // A live state with no matching cookie was opened elsewhere (or never opened): another browser.
      const live = await this.deps.repositories.oauthStates.findLive(tenantId, input.state, now);
      if (live) {
        this.deps.logger.warn({ tenantId, userId: live.userId, connectorId: live.connectorId }, 'oauth callback from a browser that did not open the link');
        throw new LinkBrowserMismatchError();
      }
      throw new LinkStateInvalidError('unknown, expired or already used');
    }
    if (input.connectorId !== undefined && input.connectorId !== record.connectorId) throw new LinkStateInvalidError('callback for a different connector');
    const config = this.connector(tenantId, record.connectorId);
    let tokens: TokenSet;
    try {
      tokens = await this.deps.providers(config.kind).exchangeCode(config, { code: input.code, codeVerifier: record.codeVerifier, ...(input.signal ? { signal: input.signal } : {}) });
    } catch (error) {
      this.deps.logger.warn({ tenantId, connectorId: config.id, code: error instanceof SwitchboardError ? error.code : 'exchange_failed' }, 'account link exchange failed');
      throw new LinkExchangeFailedError(config.displayName, error);
    }
    const verifiedAs = await this.verify({ tenantId, userId: record.userId, connectorId: config.id, ...(record.runId ? { runId: record.runId } : {}) }, config, tokens);
    await this.deps.repositories.accounts.save(tenantId, {
      userId: record.userId, connectorId: config.id, kind: config.kind,
      tokens: { ...tokens, metadata: { ...tokens.metadata, verified_as: verifiedAs } },
    });
    await this.deps.repositories.audit.append(tenantId, {
      actorUserId: record.userId, action: 'connector_account.linked', targetType: 'connector_account', targetId: config.id,
      data: { externalUserId: tokens.externalUserId ?? null, verifiedAs, scopes: [...tokens.scopes] },
    });
    this.deps.logger.info({ tenantId, userId: record.userId, connectorId: config.id }, 'account linked');
    return { tenantId, userId: record.userId, connectorId: config.id, connectorName: config.displayName, ...(record.runId ? { runId: record.runId } : {}) };
  }

  /** The identity the account is verified as; on a mismatch revokes the grant, audits and throws. */
  private async verify(target: LinkTarget & { runId?: string }, config: ConnectorInstanceConfig, tokens: TokenSet): Promise<string> {
    const { tenantId, userId } = target;
    const user = await this.deps.repositories.users.byId(tenantId, userId);
    if (!user) throw new LinkStateInvalidError('user no longer exists');
    const mapped = this.deps.mappedAccount?.(tenantId, user.email, config.id);
    const verdict = verifyIdentity(returnedIdentity(config.kind, tokens), { email: user.email, mapped });
    if (verdict.ok) return verdict.verifiedAs;
    await this.revokeQuietly(tenantId, config, tokens);
    await this.deps.repositories.audit.append(tenantId, {
      actorUserId: userId, action: 'connector_account.link_refused', targetType: 'connector_account', targetId: config.id,
      data: { reason: verdict.unverifiable ? 'identity_unverifiable' : 'identity_mismatch', signedInAs: verdict.shown ?? null, externalUserId: tokens.externalUserId ?? null, expected: mapped ?? user.email },
    });
    this.deps.logger.warn({ tenantId, userId, connectorId: config.id }, 'account link refused: the account is not the employee\'s');
    throw new LinkIdentityMismatchError({ connectorName: config.displayName, signedInAs: verdict.shown, unverifiable: verdict.unverifiable, employee: user.email, mapped, target });
  }

  private async revokeQuietly(tenantId: string, config: ConnectorInstanceConfig, tokens: TokenSet): Promise<void> {
    const provider = this.deps.providers(config.kind);
    if (!provider.revoke) return;
    await provider.revoke(config, { token: tokens.refreshToken ?? tokens.accessToken }).catch((error: unknown) => {
      this.deps.logger.warn({ tenantId, connectorId: config.id, code: error instanceof SwitchboardError ? error.code : 'revoke_failed' }, 'provider revoke failed');
    });
  }

  /** Forgets the tokens, then asks the provider to revoke the grant (best effort: the link is gone either way). */
  async unlink(input: LinkTarget & { actorUserId?: string }): Promise<boolean> {
    const config = this.connector(input.tenantId, input.connectorId);
    const removed = await this.deps.repositories.accounts.delete(input.tenantId, input.userId, input.connectorId);
    if (!removed) return false;
    await this.revokeQuietly(input.tenantId, config, removed.tokens);
    await this.deps.repositories.audit.append(input.tenantId, {
      actorUserId: input.actorUserId ?? input.userId, action: 'connector_account.unlinked', targetType: 'connector_account', targetId: config.id,
      data: { userId: input.userId },
    });
    return true;
  }
}
