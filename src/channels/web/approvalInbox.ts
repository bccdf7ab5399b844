import type { PrismaClient } from '../../generated/prisma/client.js';
import { actionViewSchema, type ActionView } from '../../tools/actionView.js';

export interface InboxApproval {
  readonly id: string;
  readonly runId: string;
  readonly tool: string;
  readonly action: string;
  /** Every argument and the acting account, as on the Slack and Teams cards (null for older requests). */
  readonly view: ActionView | null;
  readonly risk: string;
  readonly reason: string;
  readonly requester: { readonly id: string; readonly displayName: string; readonly email: string } | null;
  readonly request: string | null;
  readonly expiresAt: string;
  readonly createdAt: string;
}

/**
 * Pending approvals a person may decide, read from the store so an approver who opens the page
 * after the request was made still sees it (events alone would be missed).
 */
export async function pendingApprovalsFor(prisma: PrismaClient, tenantId: string, userId: string, now: Date): Promise<InboxApproval[]> {
  const rows = await prisma.approval.findMany({
    where: { tenantId, status: 'pending', approverIds: { has: userId }, expiresAt: { gt: now } },
    orderBy: { createdAt: 'asc' },
    take: 50,
  });
  if (rows.length === 0) return [];
  const requesterIds = [...new Set(rows.map((r) => r.requesterId))];
  const [users, runs] = await Promise.all([
    prisma.user.findMany({ where: { tenantId, id: { in: requesterIds } } }),
    prisma.run.findMany({ where: { tenantId, id: { in: rows.map((r) => r.runId) } }, select: { id: true, input: true } }),
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const inputByRun = new Map(runs.map((r) => [r.id, r.input]));
  return rows.map((row) => {
    const requester = userById.get(row.requesterId);
    return {
      id: row.id,
      runId: row.runId,
      tool: row.tool,
      action: row.action,
      view: viewOf(row.view),
      risk: row.risk,
      reason: row.reason,
      requester: requester ? { id: requester.id, displayName: requester.displayName, email: requester.email } : null,
      request: inputByRun.get(row.runId) ?? null,
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
    };
  });
}

function viewOf(stored: unknown): ActionView | null {
  const parsed = actionViewSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
