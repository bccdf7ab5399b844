import { randomUUID } from 'node:crypto';
import { turnSchema, type Turn } from '../../../../src/gateway/turn.js';
import type { Gateway, IdentifyRequest, PlatformDirectory, SubmitResult } from '../../../../src/gateway/gateway.js';
import type { RunEventBus } from '../../../../src/events/eventBus.js';
import type { RunEvent } from '../../../../src/events/runEvent.js';
import type { OpenRun, RunEventLog } from '../../../../src/events/runEventLog.js';
import type { ChannelKind } from '../../../../src/gateway/turn.js';
import type { ApprovalDecider, ApprovalDecision, CancelResult, DecideResult } from '../../../../src/engine/approvalDecider.js';

/**
 * Small stand-ins for the engine's Gateway, RunEventBus and ApprovalDecider, used by the protocol
 * tests until (and alongside) the real runtime: they keep the contract (validation, dedup,
 * once-only decisions) so the adapter is exercised against the same answers.
 */

export class RecordingGateway implements Gateway {
  readonly turns: Turn[] = [];
  private readonly seen = new Set<string>();
  private readonly waiters: ((turn: Turn) => void)[] = [];
  /** Set to make the next submissions refuse. */
  refuse?: Extract<SubmitResult, { status: 'refused' }>;
  directory?: PlatformDirectory;
  readonly lookups: (string | null)[] = [];

  async submit(turn: Turn): Promise<SubmitResult> {
    const parsed = turnSchema.safeParse(turn);
    if (!parsed.success) return { status: 'refused', code: 'invalid_input', message: parsed.error.issues[0]?.message ?? 'invalid message' };
    if (this.refuse) return this.refuse;
    const key = `${turn.channel}:${turn.deliveryId}`;
    if (this.seen.has(key)) return { status: 'duplicate' };
    this.seen.add(key);
    if (this.directory) this.lookups.push((await this.directory.lookup(turn.platformUser))?.email ?? null);
    this.turns.push(parsed.data);
    for (const waiter of this.waiters.splice(0)) waiter(parsed.data);
    return { status: 'accepted', runId: randomUUID(), userId: `user-${turn.platformUser.externalId}` };
  }

  async identify(request: IdentifyRequest): Promise<{ userId: string }> {
    return { userId: `user-${request.platformUser.externalId}` };
  }

  nextTurn(): Promise<Turn> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * The stored run-event log the engine keeps (run_events): the bus below stores every event before
 * delivering it, as RunEventPublisher does, and a test can store without delivering (a lost publish).
 */
export class StoredRunEvents implements RunEventLog {
  private readonly runs = new Map<string, RunEvent[]>();

  store(event: RunEvent): void {
    const events = this.runs.get(event.runId) ?? [];
    if (!events.some((e) => e.seq === event.seq)) events.push(event);
    events.sort((a, b) => a.seq - b.seq);
    this.runs.set(event.runId, events);
  }

  async eventsSince(tenantId: string, runId: string, afterSeq: number): Promise<RunEvent[]> {
    return (this.runs.get(runId) ?? []).filter((e) => e.tenantId === tenantId && e.seq > afterSeq);
  }

  async openRuns(channel: ChannelKind): Promise<OpenRun[]> {
    return [...this.runs.values()]
      .filter((events) => events[0]?.reply.channel === channel && !events.some((e) => e.type === 'run.completed' || e.type === 'run.failed'))
      .map((events) => ({ tenantId: events[0]!.tenantId, runId: events[0]!.runId, lastSeq: events.at(-1)!.seq }));
  }
}

export class InProcessBus implements RunEventBus {
  private readonly handlers = new Set<(event: RunEvent) => void | Promise<void>>();
  readonly log = new StoredRunEvents();

  async publish(event: RunEvent): Promise<void> {
    this.log.store(event);
    await this.deliver(event);
  }

  /** Live delivery only (the event must already be stored): out-of-order and duplicated deliveries. */
  async deliver(event: RunEvent): Promise<void> {
    await Promise.all([...this.handlers].map(async (handler) => handler(event)));
  }

  async subscribe(handler: (event: RunEvent) => void | Promise<void>): Promise<() => Promise<void>> {
    this.handlers.add(handler);
    return async () => void this.handlers.delete(handler);
  }
}

interface PendingApproval {
  readonly tenantId: string;
  readonly requesterId: string;
  readonly approverIds: readonly string[];
  readonly action: string;
  readonly expiresAt: Date;
  decided?: 'approved' | 'denied' | 'cancelled';
}

export class TestApprovalDecider implements ApprovalDecider {
  readonly approvals = new Map<string, PendingApproval>();
  readonly calls: { tenantId: string; approvalId: string; deciderUserId: string; decision: ApprovalDecision; comment?: string }[] = [];

  /** The requester's withdrawal, with the engine's rules: only the requester, only while pending. */
  async cancel(input: { tenantId: string; approvalId: string; requesterUserId: string }): Promise<CancelResult> {
    const approval = this.approvals.get(input.approvalId);
    if (!approval || approval.tenantId !== input.tenantId) return { status: 'refused', code: 'not_found', message: 'I could not find that request.' };
    if (approval.requesterId !== input.requesterUserId) return { status: 'refused', code: 'not_requester', message: 'Only the person who asked can cancel this request.' };
    if (approval.decided) return { status: 'refused', code: 'already_decided', message: `This request was already ${approval.decided}.` };
    approval.decided = 'cancelled';
    return { status: 'cancelled', approvalId: input.approvalId, action: approval.action, runEnded: true };
  }

  add(approvalId: string, approval: PendingApproval): void {
    this.approvals.set(approvalId, approval);
  }

  async decide(input: { tenantId: string; approvalId: string; deciderUserId: string; decision: ApprovalDecision; comment?: string }): Promise<DecideResult> {
    this.calls.push(input);
    const approval = this.approvals.get(input.approvalId);
    if (!approval || approval.tenantId !== input.tenantId) return { status: 'refused', code: 'not_found', message: 'I could not find that approval request.' };
    if (approval.decided) return { status: 'refused', code: 'already_decided', message: `This request was already ${approval.decided}.` };
    if (approval.expiresAt.getTime() <= Date.now()) return { status: 'refused', code: 'expired', message: 'This approval request has expired.' };
    if (input.deciderUserId === approval.requesterId) return { status: 'refused', code: 'requester_cannot_approve', message: 'You cannot approve your own request.' };
    if (!approval.approverIds.includes(input.deciderUserId)) return { status: 'refused', code: 'not_eligible', message: 'You are not an approver for this request.' };
    const decision = input.decision === 'approve' ? 'approved' : 'denied';
    approval.decided = decision;
    return { status: 'decided', decision, approvalId: input.approvalId, action: approval.action, decidedAt: new Date().toISOString() };
  }
}
