import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import type { RunBudget } from '../budget/runBudget.js';
import type { RunRef } from '../events/runEventPublisher.js';
import type { Run, Step } from '../generated/prisma/client.js';
import type { ConversationTurn } from '../planner/planner.js';
import type { ActingUser } from '../tools/tool.js';
import type { ToolRegistry } from '../tools/registry.js';

/** What the engine stores in runs.plan next to the plan itself. */
export interface StoredPlan {
  readonly plan: import('./plan.js').Plan;
  readonly tier: string;
  readonly reason: string;
  /** Planned by a model after it saw tool output: every write in it needs approval. */
  readonly derivedFromToolOutput: boolean;
}

/** One worker's hold on one run, for the duration of one job. Never shared between runs. */
export interface RunSession {
  run: Run;
  readonly ref: RunRef;
  readonly tenant: TenantConfig;
  readonly registry: ToolRegistry;
  readonly user: ActingUser;
  readonly budget: RunBudget;
  readonly signal: AbortSignal;
  /** Before a side effect: resolves while this worker still holds the run, throws once it lost it. */
  readonly confirmLease?: () => Promise<void>;
  readonly logger: Logger;
  /**
   * The run's steps as this attempt last wrote them (runState.ts): read once, then kept in step
   * with every write the attempt makes. Only the worker holding the run writes steps, so the copy
   * cannot go stale within an attempt; undefined means "read it again".
   */
  steps?: Step[];
  /** The thread's history before this run: it does not change while the run works. */
  history?: readonly ConversationTurn[];
}
