import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createPkcePair } from '../../connectors/shared/pkce.js';
import { NotFoundError, SwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ConnectorKind, ConnectorInstanceConfig, OAuthProvider } from '../tools/connector.js';
import type { Repositories } from '../store/repositories/index.js';
import type { ConnectorDirectory } from './connectorInstances.js';
import { LinkExchangeFailedError, LinkStateInvalidError, UnknownConnectorError } from './errors.js';

export type OAuthProviderLookup = (kind: ConnectorKind) => OAuthProvider;

export interface AccountLinkingDeps {
  readonly repositories: Pick<Repositories, 'accounts' | 'oauthStates' | 'audit' | 'users'>;
  readonly providers: OAuthProviderLookup;
  readonly connectors: ConnectorDirectory;
  readonly logger: Logger;
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
  readonly url: string;
  readonly state: string;
  readonly expiresAt: Date;
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

/** Starts and completes the OAuth authorization-code + PKCE flow that links an employee's account. */
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
    const url = this.deps.providers(config.kind).authorizationUrl(config, { state, codeChallenge: pkce.challenge });
    this.deps.logger.info({ tenantId: input.tenantId, userId: user.id, connectorId: config.id }, 'account link started');
    return { url, state, expiresAt };
  }

  /**
   * Consumes the state exactly once, exchanges the code and stores the tokens encrypted. A second
   * callback with the same state (double click, replay) is refused before any exchange happens.
   */
  async completeLink(input: { state: string; code: string; connectorId?: string; signal?: AbortSignal }): Promise<CompletedLink> {
    const tenantId = tenantOfState(input.state);
    if (!tenantId) throw new LinkStateInvalidError('malformed state');
    const record = await this.deps.repositories.oauthStates.consume(tenantId, input.state, this.clock());
    if (!record) throw new LinkStateInvalidError('unknown, expired or already used');
    if (input.connectorId !== undefined && input.connectorId !== record.connectorId) throw new LinkStateInvalidError('callback for a different connector');
    const config = this.connector(tenantId, record.connectorId);
    let tokens;
    try {
      tokens = await this.deps.providers(config.kind).exchangeCode(config, { code: input.code, codeVerifier: record.codeVerifier, ...(input.signal ? { signal: input.signal } : {}) });
    } catch (error) {
      this.deps.logger.warn({ tenantId, connectorId: config.id, code: error instanceof SwitchboardError ? error.code : 'exchange_failed' }, 'account link exchange failed');
      throw new LinkExchangeFailedError(config.displayName, error);
    }
    await this.deps.repositories.accounts.save(tenantId, { userId: record.userId, connectorId: config.id, kind: config.kind, tokens });
    await this.deps.repositories.audit.append(tenantId, {
      actorUserId: record.userId, action: 'connector_account.linked', targetType: 'connector_account', targetId: config.id,
      data: { externalUserId: tokens.externalUserId ?? null, scopes: [...tokens.scopes] },
    });
    this.deps.logger.info({ tenantId, userId: record.userId, connectorId: config.id }, 'account linked');
    return { tenantId, userId: record.userId, connectorId: config.id, connectorName: config.displayName, ...(record.runId ? { runId: record.runId } : {}) };
  }

  /** Forgets the tokens, then asks the provider to revoke the grant (best effort: the link is gone either way). */
  async unlink(input: LinkTarget & { actorUserId?: string }): Promise<boolean> {
    const config = this.connector(input.tenantId, input.connectorId);
    const removed = await this.deps.repositories.accounts.delete(input.tenantId, input.userId, input.connectorId);
    if (!removed) return false;
    const provider = this.deps.providers(config.kind);
    if (provider.revoke) {
      const token = removed.tokens.refreshToken ?? removed.tokens.accessToken;
      await provider.revoke(config, { token }).catch((error: unknown) => {
        this.deps.logger.warn({ tenantId: input.tenantId, connectorId: config.id, code: error instanceof SwitchboardError ? error.code : 'revoke_failed' }, 'provider revoke failed');
      });
    }
    await this.deps.repositories.audit.append(input.tenantId, {
      actorUserId: input.actorUserId ?? input.userId, action: 'connector_account.unlinked', targetType: 'connector_account', targetId: config.id,
      data: { userId: input.userId },
    });
    return true;
  }
}
