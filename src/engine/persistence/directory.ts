import type { Prisma, PrismaClient, User } from '../../generated/prisma/client.js';
import type { JsonObject } from '../../core/json.js';

/**
 * The slice of users, platform identities, conversations, messages and the audit log the engine and
 * gateway need. Every query is filtered by tenant.
 */
export class Directory {
  constructor(private readonly prisma: PrismaClient) {}

  userById(tenantId: string, id: string): Promise<User | null> {
    return this.prisma.user.findFirst({ where: { tenantId, id } });
  }

  usersByIds(tenantId: string, ids: readonly string[]): Promise<User[]> {
    return this.prisma.user.findMany({ where: { tenantId, id: { in: [...ids] } } });
  }

  usersByEmails(tenantId: string, emails: readonly string[]): Promise<User[]> {
    return this.prisma.user.findMany({ where: { tenantId, email: { in: emails.map((e) => e.toLowerCase()), mode: 'insensitive' } } });
  }

  /** People whose IdP groups map to any of these approver groups (issue 16; GIN-indexed). */
  usersInApproverGroups(tenantId: string, groups: readonly string[]): Promise<User[]> {
    if (groups.length === 0) return Promise.resolve([]);
    return this.prisma.user.findMany({ where: { tenantId, approverGroups: { hasSome: [...groups] }, deactivatedAt: null } });
  }

  /** Out-of-office delegations in force at `at` for these approvers (approval_delegations), newest first. */
  activeDelegations(tenantId: string, approverIds: readonly string[], at: Date): Promise<{ approverId: string; delegateId: string }[]> {
    if (approverIds.length === 0) return Promise.resolve([]);
    return this.prisma.approvalDelegation.findMany({
      where: { tenantId, approverId: { in: [...approverIds] }, startsAt: { lte: at }, endsAt: { gt: at } },
      orderBy: { createdAt: 'desc' },
      select: { approverId: true, delegateId: true },
    });
  }

  async userByIdentity(tenantId: string, platform: string, teamId: string, externalId: string): Promise<User | null> {
    const identity = await this.prisma.platformIdentity.findFirst({ where: { tenantId, platform, teamId, externalId }, select: { userId: true } });
    return identity ? this.userById(tenantId, identity.userId) : null;
  }

  async linkIdentity(tenantId: string, userId: string, platform: string, teamId: string, externalId: string): Promise<void> {
    // createMany + skipDuplicates is INSERT ... ON CONFLICT DO NOTHING: concurrent first messages cannot collide.
    await this.prisma.platformIdentity.createMany({ data: [{ tenantId, userId, platform, teamId, externalId }], skipDuplicates: true });
  }

  async conversation(tenantId: string, channel: string, externalId: string, address: JsonObject): Promise<string> {
    const where = { tenantId_channel_externalId: { tenantId, channel, externalId } };
    const existing = await this.prisma.conversation.findUnique({ where, select: { id: true } });
    if (existing) return existing.id;
    await this.prisma.conversation.createMany({ data: [{ tenantId, channel, externalId, address: address as Prisma.InputJsonObject }], skipDuplicates: true });
    const row = await this.prisma.conversation.findUniqueOrThrow({ where, select: { id: true } });
    return row.id;
  }

  async appendMessage(tenantId: string, conversationId: string, runId: string | null, role: 'user' | 'assistant', content: string): Promise<void> {
    await this.prisma.message.create({ data: { tenantId, conversationId, runId, role, content } });
  }

  async hasMessage(tenantId: string, runId: string, role: 'user' | 'assistant'): Promise<boolean> {
    return (await this.prisma.message.findFirst({ where: { tenantId, runId, role }, select: { id: true } })) !== null;
  }

  /** Oldest first, the newest `limit` turns before this run. */
  async history(tenantId: string, conversationId: string, limit: number, beforeRunCreatedAt: Date): Promise<{ role: string; content: string }[]> {
    const rows = await this.prisma.message.findMany({
      where: { tenantId, conversationId, createdAt: { lt: beforeRunCreatedAt } },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { role: true, content: true },
    });
    return rows.reverse();
  }

  async audit(tenantId: string, entry: { actorUserId?: string; action: string; targetType: string; targetId: string; data?: JsonObject }): Promise<void> {
    await this.prisma.auditLog.create({
      data: { tenantId, actorUserId: entry.actorUserId ?? null, action: entry.action, targetType: entry.targetType, targetId: entry.targetId, data: (entry.data ?? {}) as Prisma.InputJsonObject },
    });
  }
}
