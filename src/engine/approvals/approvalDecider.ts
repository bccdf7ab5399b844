import type { Logger } from '../../core/logger.js';
import type { TenantConfig } from '../../config/tenantConfig.js';
import type { ApprovalDecider, ApprovalDecision, CancelResult, DecideResult } from '../approvalDecider.js';
import type { ApprovalLifecycle } from './approvalLifecycle.js';
import type { EngineMetrics } from '../../observability/metrics.js';
import type { RunEventPublisher } from '../../events/runEventPublisher.js';
import type { ApprovalsTable } from '../persistence/approvalsTable.js';
import type { Directory } from '../persistence/directory.js';
import type { RunsTable } from '../persistence/runsTable.js';
import { runRefOf } from '../runRef.js';
import { cleanText } from '../../core/storableText.js';

export interface ApprovalDeciderDeps {
  readonly approvals: ApprovalsTable;
  readonly runs: RunsTable;
  readonly directory: Directory;
  readonly events: RunEventPublisher;
  readonly tenants: (tenantId: string) => TenantConfig | undefined;
  /** Wakes the run so a worker acts on the decision. */
  readonly wake: (tenantId: string, runId: string) => Promise<void>;
  readonly logger: Logger;
  readonly metrics?: EngineMetrics;
  /** Reminders, escalation and the requester's cancel. */
  readonly lifecycle?: ApprovalLifecycle;
}

/** Decides once: the conditional UPDATE lets exactly one of two simultaneous clicks win. */
export class EngineApprovalDecider implements ApprovalDecider {
  constructor(private readonly deps: ApprovalDeciderDeps) {}

  async decide(raw: { tenantId: string; approvalId: string; deciderUserId: string; decision: ApprovalDecision; comment?: string }): Promise<DecideResult> {
    // The comment is stored (approvals, audit, the requester's run event): without characters
    // PostgreSQL refuses, or a NUL in it failed the whole decision.
    const input = raw.comment === undefined ? raw : { ...raw, comment: cleanText(raw.comment).text };
    const { deps } = this;
    const refuse = (code: Extract<DecideResult, { status: 'refused' }>['code'], message: string): DecideResult => ({ status: 'refused', code, message });
    if (!/^[0-9a-f-]{36}$/i.test(input.approvalId)) return refuse('not_found', 'I could not find that approval request.');
    const approval = await deps.approvals.get(input.tenantId, input.approvalId);
    if (!approval) {
      const owner = await deps.approvals.tenantOf(input.approvalId);
      return owner && owner !== input.tenantId
        ? refuse('wrong_tenant', 'This approval request belongs to another organisation.')
        : refuse('not_found', 'I could not find that approval request.');
    }
    if (approval.requesterId === input.deciderUserId) return refuse('requester_cannot_approve', 'You asked for this action, so someone else has to approve it.');
    if (!approval.approverIds.includes(input.deciderUserId)) return refuse('not_eligible', 'You are not one of the approvers for this request.');
    const person = await deps.directory.userById(input.tenantId, input.deciderUserId);
    if (person?.deactivatedAt) return refuse('not_eligible', 'Your access to Switchboard was removed, so you can no longer decide approvals.');
    // A run still in flight for someone removed since must not act for them, even with an approval.
    const requester = input.decision === 'approve' ? await deps.directory.userById(input.tenantId, approval.requesterId) : null;
    if (requester?.deactivatedAt) return refuse('not_eligible', 'The person who asked for this no longer has access to Switchboard, so it cannot be approved.');
    if (approval.status !== 'pending') return refuse('already_decided', `This request was already ${approval.status}.`);
    if (approval.expiresAt.getTime() <= Date.now()) {
      await this.expire(input.tenantId, approval.id);
      return refuse('expired', 'This approval request has expired. The requester can ask again.');
    }
    const status = input.decision === 'approve' ? 'approved' : 'denied';
    const decided = await deps.approvals.decide(input.tenantId, approval.id, {
      status,
      deciderId: input.deciderUserId,
      ...(input.comment !== undefined ? { comment: input.comment.slice(0, 1000) } : {}),
    });
    if (!decided) {
      const now = await deps.approvals.get(input.tenantId, approval.id);
      if (now?.status === 'pending') {
        await this.expire(input.tenantId, approval.id);
        return refuse('expired', 'This approval request has expired. The requester can ask again.');
      }
      return refuse('already_decided', `This request was already ${now?.status ?? 'decided'}.`);
    }
    deps.metrics?.approvals.inc({ tenant: input.tenantId, decision: status });
    await deps.directory.audit(input.tenantId, {
      actorUserId: input.deciderUserId,
      action: `approval.${status}`,
      targetType: 'approval',
      targetId: approval.id,
      data: { runId: approval.runId, tool: approval.tool, argsHash: approval.argsHash, ...(input.comment ? { comment: input.comment.slice(0, 1000) } : {}) },
    });
    const decider = await deps.directory.userById(input.tenantId, input.deciderUserId);
    const run = await deps.runs.get(input.tenantId, approval.runId);
    const decidedAt = (decided.decidedAt ?? new Date()).toISOString();
    if (run) {
      await deps.events.emit(runRefOf(run), {
        type: 'approval.decided',
        approvalId: approval.id,
        decision: status,
        decidedAt,
        ...(decider ? { decidedBy: { userId: decider.id, displayName: decider.displayName, email: decider.email } } : {}),
        action: approval.action,
        // A denial's reason is for the requester (issue 12: deny with an optional reason).
        ...(status === 'denied' && input.comment?.trim() ? { reason: input.comment.trim().slice(0, 1000) } : {}),
      });
    }
    await deps.wake(input.tenantId, approval.runId);
    return { status: 'decided', decision: status, approvalId: approval.id, action: approval.action, decidedAt };
  }

  async cancel(input: { tenantId: string; approvalId: string; requesterUserId: string }): Promise<CancelResult> {
    if (!this.deps.lifecycle) return { status: 'refused', code: 'unsupported', message: 'Cancelling is not available here.' };
    const result = await this.deps.lifecycle.cancel(input);
    if (result.status === 'cancelled') this.deps.metrics?.approvals.inc({ tenant: input.tenantId, decision: 'cancelled' });
    return result;
  }

  /** Marks one approval (or every due one of a tenant) expired, tells its run and wakes it. */
  async expire(tenantId: string, approvalId?: string): Promise<number> {
    const expired = await this.deps.approvals.expireDue(tenantId, approvalId);
    for (const approval of expired) {
      this.deps.metrics?.approvals.inc({ tenant: tenantId, decision: 'expired' });
      const run = await this.deps.runs.get(tenantId, approval.runId);
      if (run) await this.deps.events.emit(runRefOf(run), { type: 'approval.decided', approvalId: approval.id, decision: 'expired', action: approval.action });
      await this.deps.wake(tenantId, approval.runId);
    }
    return expired.length;
  }
}
