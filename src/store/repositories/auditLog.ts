import type { PrismaClient } from '../../generated/prisma/client.js';
import type { JsonObject } from '../../core/json.js';
import { toJson } from './json.js';

export interface AuditEntry {
  readonly id: bigint;
  readonly tenantId: string;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly data: unknown;
  readonly createdAt: Date;
}

/** Append-only; `data` must never hold a credential (callers pass ids and outcomes only). */
export class AuditLogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async append(tenantId: string, input: { actorUserId?: string | null; action: string; targetType: string; targetId: string; data?: JsonObject }): Promise<AuditEntry> {
    return this.prisma.auditLog.create({
      data: { tenantId, actorUserId: input.actorUserId ?? null, action: input.action, targetType: input.targetType, targetId: input.targetId, data: toJson(input.data ?? {}) },
    });
  }

  /** Newest first. */
  async list(tenantId: string, filter: { action?: string; targetType?: string; targetId?: string; actorUserId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.prisma.auditLog.findMany({
      where: {
        tenantId,
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.targetType ? { targetType: filter.targetType } : {}),
        ...(filter.targetId ? { targetId: filter.targetId } : {}),
        ...(filter.actorUserId ? { actorUserId: filter.actorUserId } : {}),
      },
      orderBy: { id: 'desc' },
      take: Math.max(1, Math.min(filter.limit ?? 100, 1000)),
    });
  }
}
