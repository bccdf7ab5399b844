import type { Logger } from '../core/logger.js';
import type { LockManager } from '../infra/keyValue.js';
import type { EngineApprovalDecider } from './approvals/approvalDecider.js';
import type { EngineTables } from './engineDeps.js';
import { ACTIVE_STATUSES } from './persistence/runsTable.js';

export interface RecoveryDeps {
  readonly tables: EngineTables;
  readonly locks: LockManager;
  readonly decider: EngineApprovalDecider;
  readonly tenantIds: () => readonly string[];
  readonly conversationLockKey: (tenantId: string, conversationId: string) => string;
  readonly enqueue: (tenantId: string, runId: string) => Promise<void>;
  readonly wake: (tenantId: string, runId: string) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Nothing is lost when a process dies or Redis forgets its queue: active runs whose conversation
 * lease is free are queued again (enqueue is idempotent per run), due approvals are expired, and
 * runs whose approval was decided while nobody listened are woken.
 */
export class RunRecovery {
  constructor(private readonly deps: RecoveryDeps) {}

  /**
   * The frequent part: active runs nobody holds a lease on (their worker died) are queued again, so a
   * killed worker's runs are taken over within a lease plus one interval.
   */
  async sweepAbandoned(): Promise<number> {
    let requeued = 0;
    for (const tenantId of this.deps.tenantIds()) {
      for (const run of await this.deps.tables.runs.listInStatuses(tenantId, ACTIVE_STATUSES)) {
        const probe = await this.deps.locks.acquire(this.deps.conversationLockKey(tenantId, run.conversationId), { ttlMs: 1_000 });
        if (!probe) continue;
        await probe.release();
        await this.deps.enqueue(tenantId, run.id);
        requeued += 1;
      }
    }
    return requeued;
  }

  async sweep(): Promise<{ requeued: number; expired: number; woken: number }> {
    let expired = 0;
    let woken = 0;
    const requeued = await this.sweepAbandoned();
    for (const tenantId of this.deps.tenantIds()) {
      expired += await this.deps.decider.expire(tenantId);
      for (const run of await this.deps.tables.runs.listInStatuses(tenantId, ['awaiting_approval'])) {
        const steps = await this.deps.tables.steps.listForRun(tenantId, run.id);
        for (const step of steps.filter((s) => s.status === 'awaiting_approval')) {
          const approval = await this.deps.tables.approvals.forStep(tenantId, step.id);
          if (approval && approval.status !== 'pending') {
            await this.deps.wake(tenantId, run.id);
            woken += 1;
            break;
          }
        }
      }
    }
    if (requeued + expired + woken > 0) this.deps.logger.info({ requeued, expired, woken }, 'recovery sweep');
    return { requeued, expired, woken };
  }
}
