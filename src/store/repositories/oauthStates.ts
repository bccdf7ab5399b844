import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SecretBox, SecretBinding } from '../crypto/secretBox.js';
import { isUuid } from './users.js';

export interface OAuthStateRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly connectorId: string;
  readonly runId: string | null;
  readonly codeVerifier: string;
  readonly expiresAt: Date;
}

export class OAuthStateRepository {
  constructor(private readonly prisma: PrismaClient, private readonly box: SecretBox) {}

  private binding(tenantId: string, stateId: string): SecretBinding {
    return { purpose: 'oauth-state', tenantId, parts: [stateId] };
  }

  async create(tenantId: string, input: { id: string; userId: string; connectorId: string; runId?: string; codeVerifier: string; expiresAt: Date }): Promise<void> {
    const sealed = this.box.seal(input.codeVerifier, this.binding(tenantId, input.id));
    await this.prisma.oAuthState.create({
      data: {
        id: input.id, tenantId, userId: input.userId, connectorId: input.connectorId, runId: input.runId ?? null,
        ciphertext: sealed.ciphertext, keyId: sealed.keyId, expiresAt: input.expiresAt,
      },
    });
  }

  /**
   * Marks the state used and returns it, in one conditional UPDATE: of any number of concurrent
   * callbacks carrying the same state, exactly one gets it. Expired or unknown states return null.
   */
  async consume(tenantId: string, stateId: string, now: Date): Promise<OAuthStateRecord | null> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string; user_id: string; connector_id: string; run_id: string | null; ciphertext: Uint8Array; key_id: string; expires_at: Date }>>`
      UPDATE oauth_states SET consumed_at = ${now}
      WHERE tenant_id = ${tenantId} AND id = ${stateId} AND consumed_at IS NULL AND expires_at > ${now}
      RETURNING id, user_id::text AS user_id, connector_id, run_id::text AS run_id, ciphertext, key_id, expires_at`;
    const row = rows[0];
    if (!row) return null;
    const codeVerifier = this.box.open({ ciphertext: row.ciphertext, keyId: row.key_id }, this.binding(tenantId, row.id)).toString('utf8');
    return { id: row.id, tenantId, userId: row.user_id, connectorId: row.connector_id, runId: row.run_id, codeVerifier, expiresAt: row.expires_at };
  }

  async pendingForUser(tenantId: string, userId: string, now: Date): Promise<number> {
    if (!isUuid(userId)) return 0;
    return this.prisma.oAuthState.count({ where: { tenantId, userId, consumedAt: null, expiresAt: { gt: now } } });
  }

  /** Housekeeping: states are useless an hour after expiry. */
  async purgeExpired(tenantId: string, before: Date): Promise<number> {
    const result = await this.prisma.oAuthState.deleteMany({ where: { tenantId, expiresAt: { lt: before } } });
    return result.count;
  }
}
