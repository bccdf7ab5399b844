import type { TenantConfig } from '../../config/tenantConfig.js';
import type { Logger } from '../../core/logger.js';
import type { ApproverRef } from '../../events/runEvent.js';
import type { RiskTier } from '../../tools/tool.js';
import type { RunEventPublisher } from '../../events/runEventPublisher.js';
import type { ActionView } from '../../tools/actionView.js';
import type { Approval, PrismaClient } from '../../generated/prisma/client.js';
import type { CancelResult } from '../approvalDecider.js';
import type { Directory } from '../persistence/directory.js';
import type { RunsTable } from '../persistence/runsTable.js';
import { runRefOf } from '../runRef.js';
import { resolveApprovers } from './approverResolver.js';

export interface ApprovalLifecycleDeps {
  readonly prisma: PrismaClient;
  readonly runs: RunsTable;
  readonly directory: Directory;
  readonly events: RunEventPublisher;
  readonly tenants: (tenantId: string) => TenantConfig | undefined;
  readonly logger: Logger;
  /** The scheduler's clock (tests move it by days). */
  readonly now?: () => Date;
}

/**
 * The approval lifecycle's durable timers. Due times are derived from what is stored (the approval's
 * created_at and the tenant's delays), and each timer is claimed by one conditional UPDATE of its
 * column, so a sweep from any process, after any restart, sends each reminder and escalation once.
 * The recovery sweep runs this periodically; nothing depends on an in-process setTimeout.
 */
export class ApprovalLifecycle {
  constructor(private readonly deps: ApprovalLifecycleDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async sweep(tenantId: string): Promise<{ reminded: number; escalated: number }> {
    const tenant = this.deps.tenants(tenantId);
    if (!tenant) return { reminded: 0, escalated: 0 };
    const policy = tenant.approvalPolicy;
    const reminded = policy.remindAfterMinutes ? await this.remind(tenant, policy.remindAfterMinutes) : 0;
    const escalated = policy.escalateAfterMinutes && policy.escalateTo.length > 0 ? await this.escalate(tenant, policy.escalateAfterMinutes, policy.escalateTo) : 0;
    return { reminded, escalated };
  }

  private async remind(tenant: TenantConfig, afterMinutes: number): Promise<number> {
    const now = this.now();
    const dueBefore = new Date(now.getTime() - afterMinutes * 60_000);
    const claimed = await this.deps.prisma.$queryRaw<{ id: string }[]>`
      UPDATE approvals SET reminded_at = ${now}
      WHERE tenant_id = ${tenant.id} AND status = 'pending' AND reminded_at IS NULL AND created_at <= ${dueBefore} AND expires_at > ${now}
      RETURNING id`;
    for (const approval of await this.load(tenant.id, claimed)) {
      const run = await this.deps.runs.get(tenant.id, approval.runId);
      if (!run) continue;
      await this.deps.events.emit(runRefOf(run), {
        type: 'approval.reminder',
        approvalId: approval.id,
        action: approval.action,
        approvers: await this.refs(tenant.id, approval.approverIds),
        expiresAt: approval.expiresAt.toISOString(),
      });
    }
    return claimed.length;
  }

  private async escalate(tenant: TenantConfig, afterMinutes: number, specs: readonly string[]): Promise<number> {
    const now = this.now();
    const dueBefore = new Date(now.getTime() - afterMinutes * 60_000);
    const due = await this.deps.prisma.approval.findMany({
      where: { tenantId: tenant.id, status: 'pending', escalatedAt: null, createdAt: { lte: dueBefore }, expiresAt: { gt: now } },
      take: 500,
    });
    let escalated = 0;
    for (const approval of due) {
      const fallback = await resolveApprovers(this.deps.directory, tenant, approval.requesterId, specs, now);
      const added = fallback.filter((a) => !approval.approverIds.includes(a.userId));
      const approverIds = [...approval.approverIds, ...added.map((a) => a.userId)];
      // The claim and the widened approver list in one statement: only one sweep escalates.
      const claimed = await this.deps.prisma.$queryRaw<{ id: string }[]>`
        UPDATE approvals SET escalated_at = ${now}, approver_ids = ${approverIds}::text[]
        WHERE id = ${approval.id}::uuid AND tenant_id = ${tenant.id} AND status = 'pending' AND escalated_at IS NULL
        RETURNING id`;
      if (claimed.length !== 1 || added.length === 0) continue;
      const run = await this.deps.runs.get(tenant.id, approval.runId);
      const requester = await this.deps.directory.userById(tenant.id, approval.requesterId);
      if (!run || !requester) continue;
      escalated += 1;
      await this.deps.events.emit(runRefOf(run), {
        type: 'approval.escalated',
        approvalId: approval.id,
        stepId: approval.stepId,
        tool: approval.tool,
        action: approval.action,
        risk: approval.risk as RiskTier,
        reason: approval.reason,
        requester: { userId: requester.id, displayName: requester.displayName, email: requester.email },
        added,
        approvers: await this.refs(tenant.id, approverIds),
        expiresAt: approval.expiresAt.toISOString(),
        ...(approval.view ? { view: approval.view as unknown as ActionView } : {}),
      });
    }
    if (escalated > 0) this.deps.logger.info({ tenantId: tenant.id, escalated }, 'approvals escalated');
    return escalated;
  }

  /**
   * The requester withdraws a waiting request: the approval is cancelled (so no approver can still
   * approve it), the run ends `cancelled`, and every card and the requester's thread say so.
   */
  async cancel(input: { tenantId: string; approvalId: string; requesterUserId: string }): Promise<CancelResult> {
    const refuse = (code: Extract<CancelResult, { status: 'refused' }>['code'], message: string): CancelResult => ({ status: 'refused', code, message });
    if (!/^[0-9a-f-]{36}$/i.test(input.approvalId)) return refuse('not_found', 'I could not find that request.');
    const approval = await this.deps.prisma.approval.findFirst({ where: { tenantId: input.tenantId, id: input.approvalId } });
    if (!approval) return refuse('not_found', 'I could not find that request.');
    if (approval.requesterId !== input.requesterUserId) return refuse('not_requester', 'Only the person who asked can cancel this request.');
    const now = this.now();
    const cancelled = await this.deps.prisma.$queryRaw<{ id: string }[]>`
      UPDATE approvals SET status = 'cancelled', decided_at = ${now}
      WHERE id = ${approval.id}::uuid AND tenant_id = ${input.tenantId} AND status = 'pending'
      RETURNING id`;
    if (cancelled.length !== 1) {
      const current = await this.deps.prisma.approval.findFirst({ where: { tenantId: input.tenantId, id: approval.id }, select: { status: true } });
      return refuse('already_decided', `This request was already ${current?.status ?? 'decided'}.`);
    }
    await this.deps.directory.audit(input.tenantId, { actorUserId: input.requesterUserId, action: 'approval.cancelled', targetType: 'approval', targetId: approval.id, data: { runId: approval.runId, tool: approval.tool } });
    const run = await this.deps.runs.get(input.tenantId, approval.runId);
    const requester = await this.deps.directory.userById(input.tenantId, input.requesterUserId);
    let ended = false;
    if (run) {
      await this.deps.events.emit(runRefOf(run), {
        type: 'approval.decided', approvalId: approval.id, decision: 'cancelled', decidedAt: now.toISOString(), action: approval.action,
        ...(requester ? { decidedBy: { userId: requester.id, displayName: requester.displayName, email: requester.email } } : {}),
      });
      // Only a run still waiting ends here, its terminal status and event in one statement; a run that
      // moved on (another step) sees the cancelled approval as not approved.
      ended = (await this.deps.events.emitWithRunStatus(
        runRefOf(run),
        { status: 'cancelled', fromStatuses: ['awaiting_approval'], finishedAt: now, error: { code: 'cancelled', message: 'Cancelled by the requester.' } },
        { type: 'run.failed', code: 'cancelled', message: 'You cancelled this request, so nothing was done.' },
      )) !== null;
    }
    return { status: 'cancelled', approvalId: approval.id, action: approval.action, runEnded: ended };
  }

  private async load(tenantId: string, rows: readonly { id: string }[]): Promise<Approval[]> {
    if (rows.length === 0) return [];
    return this.deps.prisma.approval.findMany({ where: { tenantId, id: { in: rows.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } });
  }

  private async refs(tenantId: string, userIds: readonly string[]): Promise<ApproverRef[]> {
    const refs: ApproverRef[] = [];
    for (const id of userIds) {
      const user = await this.deps.directory.userById(tenantId, id);
      if (user) refs.push({ userId: user.id, displayName: user.displayName, email: user.email });
    }
    return refs;
  }
}
