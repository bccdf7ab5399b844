import type { PrismaClient } from '../generated/prisma/client.js';
import type { BudgetCaps } from '../config/tenantConfig.js';

/** Read models for the operations view. Every query takes the admin's tenant and filters by it. */
export class OpsQueries {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * One page of runs, newest first. Keyset-paged on (createdAt, id) so the thousandth page costs what
   * the first does (index runs(tenant_id, created_at, id)); `nextCursor` continues after the last row.
   */
  async runs(tenantId: string, options: { status?: string; limit?: number; cursor?: { createdAt: Date; id: string } } = {}) {
    const take = Math.min(options.limit ?? 50, 200);
    // `createdAt <= cursor` is what bounds the index range; the OR only breaks ties within that instant.
    const after = options.cursor
      ? { createdAt: { lte: options.cursor.createdAt }, OR: [{ createdAt: { lt: options.cursor.createdAt } }, { id: { lt: options.cursor.id } }] }
      : {};
    const rows = await this.prisma.run.findMany({
      where: { tenantId, ...(options.status ? { status: options.status } : {}), ...after },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      select: { id: true, userId: true, channel: true, status: true, input: true, stepsUsed: true, tokensUsed: true, costMicros: true, routing: true, createdAt: true, finishedAt: true },
    });
    const names = await this.userNames(tenantId, rows.map((r) => r.userId));
    const last = rows.length === take ? rows.at(-1) : undefined;
    return {
      runs: rows.map((r) => ({ ...r, costMicros: Number(r.costMicros), user: names.get(r.userId) ?? r.userId })),
      nextCursor: last ? `${last.createdAt.toISOString()}_${last.id}` : null,
    };
  }

  async run(tenantId: string, runId: string) {
    const run = await this.prisma.run.findFirst({ where: { tenantId, id: runId } });
    if (!run) return null;
    const [steps, toolCalls, approvals, events] = await Promise.all([
      this.prisma.step.findMany({ where: { tenantId, runId }, orderBy: [{ planVersion: 'asc' }, { createdAt: 'asc' }] }),
      this.prisma.toolCall.findMany({ where: { tenantId, runId }, orderBy: { startedAt: 'asc' } }),
      this.prisma.approval.findMany({ where: { tenantId, runId }, orderBy: { createdAt: 'asc' } }),
      this.prisma.runEventRecord.findMany({ where: { tenantId, runId }, orderBy: { seq: 'asc' }, select: { seq: true, type: true, createdAt: true } }),
    ]);
    const names = await this.userNames(tenantId, [run.userId, ...toolCalls.map((c) => c.actingUserId), ...approvals.flatMap((a) => [a.requesterId, ...(a.decidedById ? [a.decidedById] : [])])]);
    return {
      run: { ...run, costMicros: Number(run.costMicros), user: names.get(run.userId) ?? run.userId },
      steps: steps.map((s) => ({ id: s.id, key: s.key, planVersion: s.planVersion, tool: s.tool, title: s.title, args: s.args, status: s.status, error: s.error, startedAt: s.startedAt, finishedAt: s.finishedAt })),
      // Results are shown as stored (already normalized by the pipeline, which never stores credentials).
      toolCalls: toolCalls.map((c) => ({
        id: c.id, stepId: c.stepId, tool: c.tool, connectorId: c.connectorId, risk: c.risk, status: c.status, attempts: c.attempts,
        durationMs: c.durationMs, idempotencyKey: c.idempotencyKey, actingUser: names.get(c.actingUserId) ?? c.actingUserId,
        actingIdentity: c.actingIdentity, args: c.args, error: c.error, startedAt: c.startedAt, finishedAt: c.finishedAt,
      })),
      approvals: approvals.map((a) => this.approvalView(a, names)),
      events,
    };
  }

  async approvals(tenantId: string, status: 'pending' | 'decided') {
    const rows = await this.prisma.approval.findMany({
      where: { tenantId, ...(status === 'pending' ? { status: 'pending' } : { status: { not: 'pending' } }) },
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
    const names = await this.userNames(tenantId, rows.flatMap((a) => [a.requesterId, ...a.approverIds, ...(a.decidedById ? [a.decidedById] : [])]));
    return rows.map((a) => this.approvalView(a, names));
  }

  async audit(tenantId: string, limit = 100) {
    const rows = await this.prisma.auditLog.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' }, take: Math.min(limit, 500) });
    const names = await this.userNames(tenantId, rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])));
    return rows.map((r) => ({ id: Number(r.id), actor: r.actorUserId ? names.get(r.actorUserId) ?? r.actorUserId : 'system', action: r.action, targetType: r.targetType, targetId: r.targetId, data: r.data, createdAt: r.createdAt }));
  }

  /** Today's (UTC) spend per user and for the tenant, next to the daily caps in force. */
  async usage(tenantId: string, caps: { perUserDay: BudgetCaps; perTenantDay: BudgetCaps }, now: Date) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const grouped = await this.prisma.usageLedger.groupBy({
      by: ['userId'],
      where: { tenantId, day },
      _sum: { inputTokens: true, cachedInputTokens: true, outputTokens: true, costMicros: true },
      _count: { _all: true },
    });
    const names = await this.userNames(tenantId, grouped.map((g) => g.userId));
    const users = grouped.map((g) => ({
      userId: g.userId,
      user: names.get(g.userId) ?? g.userId,
      entries: g._count._all,
      tokens: (g._sum.inputTokens ?? 0) + (g._sum.outputTokens ?? 0),
      costMicros: Number(g._sum.costMicros ?? 0n),
    }));
    const tenant = users.reduce((sum, u) => ({ tokens: sum.tokens + u.tokens, costMicros: sum.costMicros + u.costMicros }), { tokens: 0, costMicros: 0 });
    const runsToday = await this.prisma.run.count({ where: { tenantId, createdAt: { gte: day } } });
    return { day: day.toISOString().slice(0, 10), users, tenant: { ...tenant, runs: runsToday }, caps };
  }

  async deadLetters(tenantId: string) {
    const rows = await this.prisma.deadLetter.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' }, take: 100 });
    return rows.map((d) => ({ id: d.id, runId: d.runId, reason: d.reason, error: d.error, attempts: d.attempts, createdAt: d.createdAt, replayedAt: d.replayedAt }));
  }

  private approvalView(
    a: { id: string; runId: string; tool: string; action: string; risk: string; reason: string; requesterId: string; approverIds: string[]; status: string; decidedById: string | null; decidedAt: Date | null; comment: string | null; expiresAt: Date; createdAt: Date },
    names: Map<string, string>,
  ) {
    return {
      id: a.id, runId: a.runId, tool: a.tool, action: a.action, risk: a.risk, reason: a.reason, status: a.status,
      requester: names.get(a.requesterId) ?? a.requesterId,
      approvers: a.approverIds.map((id) => names.get(id) ?? id),
      decidedBy: a.decidedById ? names.get(a.decidedById) ?? a.decidedById : null,
      decidedAt: a.decidedAt, comment: a.comment, expiresAt: a.expiresAt, createdAt: a.createdAt,
    };
  }

  private async userNames(tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const users = await this.prisma.user.findMany({ where: { tenantId, id: { in: unique } }, select: { id: true, displayName: true, email: true } });
    return new Map(users.map((u) => [u.id, `${u.displayName} <${u.email}>`]));
  }
}
