import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import type { RunBudget } from '../budget/runBudget.js';
import type { RunRef } from '../events/runEventPublisher.js';
import type { Run } from '../generated/prisma/client.js';
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
  readonly logger: Logger;
}
