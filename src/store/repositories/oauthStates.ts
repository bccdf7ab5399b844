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

interface StateRow { id: string; user_id: string; connector_id: string; run_id: string | null; ciphertext: Uint8Array; key_id: string; expires_at: Date }

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

  /** A live (unexpired, unused) state without consuming it: what the link's landing page shows. */
  async findLive(tenantId: string, stateId: string, now: Date): Promise<{ userId: string; connectorId: string; opened: boolean } | null> {
    const row = await this.prisma.oAuthState.findFirst({ where: { tenantId, id: stateId, consumedAt: null, expiresAt: { gt: now } }, select: { userId: true, connectorId: true, openedAt: true } });
    return row ? { userId: row.userId, connectorId: row.connectorId, opened: row.openedAt !== null } : null;
  }

  /**
   * Binds the state to the first browser that opens it, in one conditional UPDATE: a link opened a
   * second time (another browser, a forwarded message) gets null.
   */
  async open(tenantId: string, stateId: string, browserHash: string, now: Date): Promise<OAuthStateRecord | null> {
    const rows = await this.prisma.$queryRaw<StateRow[]>`
      UPDATE oauth_states SET browser_hash = ${browserHash}, opened_at = ${now}
      WHERE tenant_id = ${tenantId} AND id = ${stateId} AND consumed_at IS NULL AND expires_at > ${now} AND browser_hash IS NULL
      RETURNING id, user_id::text AS user_id, connector_id, run_id::text AS run_id, ciphertext, key_id, expires_at`;
    return rows[0] ? this.record(tenantId, rows[0]) : null;
  }

  /**
   * Marks the state used and returns it, in one conditional UPDATE: of any number of concurrent
   * callbacks carrying the same state, exactly one gets it, and only from the browser that opened
   * the link. Expired, unknown or foreign-browser states return null and stay as they were.
   */
  async consume(tenantId: string, stateId: string, now: Date, browserHash: string): Promise<OAuthStateRecord | null> {
    const rows = await this.prisma.$queryRaw<StateRow[]>`
      UPDATE oauth_states SET consumed_at = ${now}
      WHERE tenant_id = ${tenantId} AND id = ${stateId} AND consumed_at IS NULL AND expires_at > ${now} AND browser_hash = ${browserHash}
      RETURNING id, user_id::text AS user_id, connector_id, run_id::text AS run_id, ciphertext, key_id, expires_at`;
    return rows[0] ? this.record(tenantId, rows[0]) : null;
  }

  private record(tenantId: string, row: StateRow): OAuthStateRecord {
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
