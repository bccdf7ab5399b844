import type { PrismaClient } from '../../generated/prisma/client.js';

export interface DeprovisionSummary {
  /** Linked connector accounts deleted (their tokens with them). */
  readonly accountsRevoked: number;
  /** Pending approvals a deactivated person was taken off. */
  readonly approvalsReassigned: number;
  /** Pending approvals left without an approver (or asked for by a deactivated person), now due to expire. */
  readonly approvalsExpiring: number;
}

/**
 * Takes away what deactivated people of these tenants still hold: their linked accounts (tokens
 * deleted, each revocation in the audit log), their unfinished account links, and their place
 * among the approvers of pending requests. A request left with no approver, or asked for by a
 * deactivated person, is made due now: the engine's recovery sweep (at start and periodically)
 * expires it, tells the requester and wakes the run, as for any request nobody decided in time.
 *
 * Idempotent and driven by the deactivated_at column rather than by "who left just now", so a
 * process that stopped halfway is completed by the next start.
 */
export async function deprovisionDeactivatedUsers(prisma: PrismaClient, tenantIds: readonly string[], now: Date = new Date()): Promise<DeprovisionSummary> {
  let accountsRevoked = 0;
  let approvalsReassigned = 0;
  let approvalsExpiring = 0;
  for (const tenantId of tenantIds) {
    const gone = await prisma.user.findMany({ where: { tenantId, deactivatedAt: { not: null } }, select: { id: true } });
    if (gone.length === 0) continue;
    const goneIds = gone.map((u) => u.id);

    const accounts = await prisma.connectorAccount.findMany({ where: { tenantId, userId: { in: goneIds } }, select: { id: true, userId: true, connectorId: true, kind: true } });
    for (const account of accounts) {
      // Delete and audit together: a revocation is never done without its record, nor recorded twice.
      const deleted = await prisma.$transaction(async (tx) => {
        const { count } = await tx.connectorAccount.deleteMany({ where: { tenantId, id: account.id } });
        if (count === 1) {
          await tx.auditLog.create({
            data: { tenantId, actorUserId: null, action: 'connector_account.revoked', targetType: 'connector_account', targetId: account.id, data: { userId: account.userId, connectorId: account.connectorId, kind: account.kind, reason: 'user_deactivated' } },
          });
        }
        return count;
      });
      accountsRevoked += deleted;
    }
    await prisma.oAuthState.deleteMany({ where: { tenantId, userId: { in: goneIds }, consumedAt: null } });

    const pending = await prisma.approval.findMany({
      where: { tenantId, status: 'pending', OR: [{ approverIds: { hasSome: goneIds } }, { requesterId: { in: goneIds } }] },
      select: { id: true, requesterId: true, approverIds: true, expiresAt: true },
    });
    for (const approval of pending) {
      const remaining = approval.approverIds.filter((id) => !goneIds.includes(id));
      const removed = approval.approverIds.filter((id) => goneIds.includes(id));
      const orphaned = remaining.length === 0 || goneIds.includes(approval.requesterId);
      if (removed.length === 0 && approval.expiresAt <= now) continue; // handled by an earlier start
      const expiresAt = orphaned && approval.expiresAt > now ? now : approval.expiresAt;
      // Conditional on still pending: a decision that landed meanwhile stands.
      const { count } = await prisma.approval.updateMany({ where: { tenantId, id: approval.id, status: 'pending' }, data: { approverIds: remaining, expiresAt } });
      if (count === 0) continue;
      if (removed.length > 0) approvalsReassigned += 1;
      if (orphaned) approvalsExpiring += 1;
      await prisma.auditLog.create({
        data: { tenantId, actorUserId: null, action: 'approval.approvers_deprovisioned', targetType: 'approval', targetId: approval.id, data: { removedApproverIds: removed, remainingApproverIds: remaining, expiring: orphaned } },
      });
    }
  }
  return { accountsRevoked, approvalsReassigned, approvalsExpiring };
}
