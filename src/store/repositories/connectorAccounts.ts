import type { PrismaClient, Prisma } from '../../generated/prisma/client.js';
import type { TokenSet } from '../../tools/connector.js';
import type { SecretBox, SecretBinding } from '../crypto/secretBox.js';
import { SecretUnreadableError } from '../crypto/errors.js';
import { decodeTokenSet, encodeTokenSet } from './tokenSetCodec.js';
import { isUuid } from './users.js';

export type ConnectorAccountStatus = 'active' | 'reauth_required';

export interface ConnectorAccountRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly connectorId: string;
  readonly kind: string;
  readonly externalUserId: string | null;
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
  readonly status: string;
  /** Bumped on every token write; optimistic concurrency for writers outside a lock. */
  readonly version: number;
  readonly tokens: TokenSet;
}

/** The account row locked FOR UPDATE inside a transaction; writes go through the same transaction. */
export interface LockedAccount {
  readonly account: ConnectorAccountRecord | null;
  replaceTokens(tokens: TokenSet): Promise<ConnectorAccountRecord>;
  setStatus(status: ConnectorAccountStatus): Promise<void>;
}

type Row = {
  id: string; tenantId: string; userId: string; connectorId: string; kind: string; externalUserId: string | null;
  ciphertext: Uint8Array; keyId: string; scopes: string[]; expiresAt: Date | null; status: string; version: number;
};

type Db = PrismaClient | Prisma.TransactionClient;

export class ConnectorAccountRepository {
  constructor(private readonly prisma: PrismaClient, private readonly box: SecretBox) {}

  private binding(tenantId: string, userId: string, connectorId: string): SecretBinding {
    return { purpose: 'connector-account', tenantId, parts: [userId, connectorId] };
  }

  private open(row: Row): ConnectorAccountRecord {
    let tokens: TokenSet;
    try {
      tokens = decodeTokenSet(this.box.openJson(row, this.binding(row.tenantId, row.userId, row.connectorId)));
    } catch (error) {
      if (error instanceof SecretUnreadableError) throw error;
      throw new SecretUnreadableError('stored token set has an unexpected shape');
    }
    return {
      id: row.id, tenantId: row.tenantId, userId: row.userId, connectorId: row.connectorId, kind: row.kind, externalUserId: row.externalUserId,
      scopes: row.scopes, expiresAt: row.expiresAt, status: row.status, version: row.version, tokens,
    };
  }

  private sealed(tenantId: string, userId: string, connectorId: string, tokens: TokenSet) {
    const sealed = this.box.sealJson(encodeTokenSet(tokens), this.binding(tenantId, userId, connectorId));
    return {
      ciphertext: sealed.ciphertext, keyId: sealed.keyId, scopes: [...tokens.scopes], expiresAt: tokens.expiresAt ?? null,
      externalUserId: tokens.externalUserId ?? null, status: 'active',
    };
  }

  /** Link or re-link: stores the TokenSet encrypted with the active key and bumps the version. */
  async save(tenantId: string, input: { userId: string; connectorId: string; kind: string; tokens: TokenSet }, db: Db = this.prisma): Promise<ConnectorAccountRecord> {
    const data = this.sealed(tenantId, input.userId, input.connectorId, input.tokens);
    const row = await db.connectorAccount.upsert({
      where: { tenantId_userId_connectorId: { tenantId, userId: input.userId, connectorId: input.connectorId } },
      create: { tenantId, userId: input.userId, connectorId: input.connectorId, kind: input.kind, ...data },
      update: { kind: input.kind, ...data, version: { increment: 1 } },
    });
    return this.open(row);
  }

  /** Any status; callers decide what reauth_required means for them. */
  async find(tenantId: string, userId: string, connectorId: string): Promise<ConnectorAccountRecord | null> {
    if (!isUuid(userId)) return null;
    const row = await this.prisma.connectorAccount.findFirst({ where: { tenantId, userId, connectorId } });
    return row ? this.open(row) : null;
  }

  /** Status only, without decrypting (for "which accounts are linked" views). */
  async listForUser(tenantId: string, userId: string): Promise<Array<{ connectorId: string; kind: string; status: string; expiresAt: Date | null }>> {
    if (!isUuid(userId)) return [];
    return this.prisma.connectorAccount.findMany({
      where: { tenantId, userId }, select: { connectorId: true, kind: true, status: true, expiresAt: true }, orderBy: { connectorId: 'asc' },
    });
  }

  /** Writes new tokens only if nobody else wrote since `expectedVersion` was read. */
  async replaceTokensIfVersion(tenantId: string, accountId: string, expectedVersion: number, tokens: TokenSet): Promise<boolean> {
    const row = await this.prisma.connectorAccount.findFirst({ where: { tenantId, id: accountId } });
    if (!row) return false;
    const result = await this.prisma.connectorAccount.updateMany({
      where: { tenantId, id: accountId, version: expectedVersion },
      data: { ...this.sealed(tenantId, row.userId, row.connectorId, tokens), version: { increment: 1 } },
    });
    return result.count === 1;
  }

  /**
   * Runs `fn` holding the account row lock (SELECT … FOR UPDATE), so across processes only one caller
   * at a time can spend a rotating refresh token.
   */
  async withLock<T>(tenantId: string, userId: string, connectorId: string, fn: (locked: LockedAccount) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      const ids = isUuid(userId)
        ? await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM connector_accounts WHERE tenant_id = ${tenantId} AND user_id = ${userId}::uuid AND connector_id = ${connectorId} FOR UPDATE`
        : [];
      const row = ids[0] ? await tx.connectorAccount.findFirst({ where: { tenantId, id: ids[0].id } }) : null;
      let account = row ? this.open(row) : null;
      const locked: LockedAccount = {
        get account() { return account; },
        replaceTokens: async (tokens) => {
          if (!account) throw new Error('no account to update');
          const updated = await tx.connectorAccount.update({
            where: { id: account.id },
            data: { ...this.sealed(tenantId, userId, connectorId, tokens), version: { increment: 1 } },
          });
          account = this.open(updated);
          return account;
        },
        setStatus: async (status) => {
          if (!account) return;
          await tx.connectorAccount.update({ where: { id: account.id }, data: { status, version: { increment: 1 } } });
        },
      };
      return fn(locked);
    }, { timeout: options.timeoutMs ?? 30_000, maxWait: options.timeoutMs ?? 30_000 });
  }

  /** Removes the link and returns what it held, so the caller can revoke the grant at the provider. */
  async delete(tenantId: string, userId: string, connectorId: string): Promise<ConnectorAccountRecord | null> {
    if (!isUuid(userId)) return null;
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.connectorAccount.findFirst({ where: { tenantId, userId, connectorId } });
      if (!row) return null;
      await tx.connectorAccount.delete({ where: { id: row.id } });
      try {
        return this.open(row);
      } catch {
        return null;
      }
    });
  }
}
