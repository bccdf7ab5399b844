import type { Database } from '../store/database.js';
import type { Infra } from '../infra/infra.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import type { EngineMetrics } from '../observability/metrics.js';
import type { Gateway, PlatformDirectory } from '../gateway/gateway.js';
import type { RunEventBus } from '../events/eventBus.js';
import type { ApprovalDecider } from '../engine/approvalDecider.js';
import type { ConnectorKind, ConnectorModule } from '../tools/connector.js';
import type { CredentialAccessor } from '../tools/credentials.js';
import type { CredentialsForInput, LinkUrlInput } from '../engine/settings.js';
import type { Planner } from '../planner/planner.js';
import type { ConnectorInstanceConfig } from '../tools/connector.js';
import { createEngineRuntime, type LiveToolSource } from '../engine/runtime.js';
import type { Tracing } from '../observability/tracing.js';
import { tracedGateway } from '../observability/tracingGateway.js';
import { TraceOrigins } from '../observability/tracingQueue.js';

export interface RuntimeInput {
  readonly db: Database;
  readonly infra: Infra;
  readonly tenants: readonly TenantConfig[];
  readonly connectorModules: Readonly<Record<ConnectorKind, ConnectorModule>>;
  readonly connectorsFor: (tenant: TenantConfig) => readonly ConnectorInstanceConfig[];
  readonly plannerFor: (tenant: TenantConfig) => Planner;
  readonly credentialsFor: (input: CredentialsForInput) => CredentialAccessor;
  readonly linkUrl: (input: LinkUrlInput) => Promise<string>;
  readonly logger: Logger;
  readonly metrics: EngineMetrics;
  readonly workers: number;
  /** Channel profile lookups the gateway uses to match a new platform user by email. */
  readonly directories: Partial<Record<'slack' | 'teams' | 'web', PlatformDirectory>>;
  /** Tenant MCP servers' tools, discovered while running. */
  readonly liveTools?: LiveToolSource;
  readonly tracing?: Tracing;
}

/** The engine as the composition root uses it. */
export interface Runtime {
  readonly gateway: Gateway;
  readonly approvals: ApprovalDecider;
  readonly events: RunEventBus;
  readonly queueKind: string;
  queueReachable(): Promise<boolean>;
  onAccountLinked(link: { tenantId: string; userId: string; connectorId: string }): Promise<void>;
  replayDeadLetter(tenantId: string, id: string): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Adapts the engine runtime (src/engine/runtime.ts) to what the composition root needs. */
export async function createRuntime(input: RuntimeInput): Promise<Runtime> {
  const runtime = createEngineRuntime({
    db: input.db,
    infra: input.infra,
    tenants: input.tenants,
    connectorModules: input.connectorModules,
    connectorsFor: input.connectorsFor,
    plannerFor: input.plannerFor,
    credentialsFor: input.credentialsFor,
    linkUrl: input.linkUrl,
    platformDirectories: input.directories,
    logger: input.logger,
    metrics: input.metrics,
    workers: input.workers,
    ...(input.liveTools ? { liveTools: input.liveTools } : {}),
    ...(input.tracing ? { tracing: input.tracing } : {}),
  });
  return {
    gateway: input.tracing ? tracedGateway(runtime.gateway, input.tracing, new TraceOrigins(input.infra.kv), {
      record: async (tenantId, runId, traceId) => {
        await input.db.prisma.run.updateMany({ where: { tenantId, id: runId, traceId: null }, data: { traceId } });
      },
    }) : runtime.gateway,
    approvals: runtime.approvals,
    events: runtime.events,
    queueKind: runtime.queue.kind === 'bullmq' ? 'BullMQ on Redis' : 'in-process',
    queueReachable: async () => {
      await runtime.queue.depth();
      return true;
    },
    onAccountLinked: async (link) => {
      await runtime.onAccountLinked(link);
    },
    replayDeadLetter: (tenantId, id) => runtime.replayDeadLetter(tenantId, id),
    start: () => runtime.start(),
    stop: () => runtime.stop(),
  };
}
