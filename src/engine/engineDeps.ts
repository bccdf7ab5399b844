import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import type { DailyCounters } from '../budget/dailyCounters.js';
import type { RunEventPublisher } from '../events/runEventPublisher.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LockManager } from '../infra/keyValue.js';
import type { EngineMetrics } from '../observability/metrics.js';
import type { Planner } from '../planner/planner.js';
import type { CredentialAccessor } from '../tools/credentials.js';
import type { ToolPipeline } from '../tools/pipeline/toolPipeline.js';
import type { BoundaryHook } from '../tools/pipeline/types.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { ApprovalsTable } from './persistence/approvalsTable.js';
import type { DeadLettersTable } from './persistence/deadLettersTable.js';
import type { Directory } from './persistence/directory.js';
import type { RunsTable } from './persistence/runsTable.js';
import type { StepsTable } from './persistence/stepsTable.js';
import type { ToolCallsTable } from './persistence/toolCallsTable.js';
import type { UsageLedgerTable } from './persistence/usageLedgerTable.js';
import type { CredentialsForInput, EngineSettings, LinkUrlInput } from './settings.js';

export interface EngineTables {
  readonly runs: RunsTable;
  readonly steps: StepsTable;
  readonly approvals: ApprovalsTable;
  readonly usage: UsageLedgerTable;
  readonly deadLetters: DeadLettersTable;
  readonly directory: Directory;
  /** The pipeline's tool-call store: the engine records a step's finished read call with the step. */
  readonly toolCalls?: ToolCallsTable;
}

/** Everything the engine uses, injected by createEngineRuntime (no module state anywhere). */
export interface EngineDeps {
  readonly prisma: PrismaClient;
  readonly tables: EngineTables;
  readonly events: RunEventPublisher;
  readonly locks: LockManager;
  readonly daily: DailyCounters;
  readonly pipeline: ToolPipeline;
  readonly tenants: (tenantId: string) => TenantConfig | undefined;
  readonly registryFor: (tenantId: string) => ToolRegistry | undefined;
  readonly plannerFor: (tenant: TenantConfig) => Planner;
  readonly credentialsFor: (input: CredentialsForInput) => CredentialAccessor;
  readonly linkUrl: (input: LinkUrlInput) => Promise<string>;
  readonly logger: Logger;
  readonly metrics?: EngineMetrics;
  readonly settings: EngineSettings;
  readonly onBoundary?: BoundaryHook;
}
