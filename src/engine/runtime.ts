import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import { DailyCounters } from '../budget/dailyCounters.js';
import type { RunEventBus } from '../events/eventBus.js';
import { PubSubRunEventBus } from '../events/pubSubEventBus.js';
import type { RunEvent } from '../events/runEvent.js';
import { RunEventPublisher } from '../events/runEventPublisher.js';
import type { PlatformDirectory, Gateway } from '../gateway/gateway.js';
import { EngineGateway } from '../gateway/engineGateway.js';
import type { ChannelKind } from '../gateway/turn.js';
import type { DeadLetter, PrismaClient } from '../generated/prisma/client.js';
import type { Infra } from '../infra/infra.js';
import type { EngineMetrics } from '../observability/metrics.js';
import type { Tracing } from '../observability/tracing.js';
import { withRunTracing } from '../observability/tracingQueue.js';
import type { Planner } from '../planner/planner.js';
import { createRunQueue } from '../queue/createRunQueue.js';
import type { RunQueue } from '../queue/runQueue.js';
import type { ConnectorInstanceConfig, ConnectorKind, ConnectorModule } from '../tools/connector.js';
import type { CredentialAccessor } from '../tools/credentials.js';
import { DEFAULT_RESILIENCE, ResiliencePolicies, type ResilienceSettings } from '../tools/pipeline/resilience.js';
import { ToolPipeline } from '../tools/pipeline/toolPipeline.js';
import type { BoundaryHook } from '../tools/pipeline/types.js';
import { buildToolRegistry, ToolRegistry, type RegisteredTool } from '../tools/registry.js';
import type { ApprovalDecider } from './approvalDecider.js';
import { EngineApprovalDecider } from './approvals/approvalDecider.js';
import { ApprovalLifecycle } from './approvals/approvalLifecycle.js';
import { ApprovalsTable } from './persistence/approvalsTable.js';
import { DeadLettersTable } from './persistence/deadLettersTable.js';
import { Directory } from './persistence/directory.js';
import { RunEventsTable } from './persistence/runEventsTable.js';
import { RunsTable } from './persistence/runsTable.js';
import { StepsTable } from './persistence/stepsTable.js';
import { ToolCallsTable } from './persistence/toolCallsTable.js';
import { UsageLedgerTable } from './persistence/usageLedgerTable.js';
import { RunRecovery } from './recovery.js';
import { RunEngine } from './runEngine.js';
import { DEFAULT_ENGINE_SETTINGS, type CredentialsForInput, type EngineSettings, type LinkUrlInput } from './settings.js';
import type { EngineTables } from './engineDeps.js';
import { replayDeadLetter } from './deadLetters.js';

export interface EngineRuntimeOptions {
  readonly db: { readonly prisma: PrismaClient };
  readonly infra: Infra;
  readonly tenants: readonly TenantConfig[];
  readonly connectorModules: ReadonlyMap<ConnectorKind, ConnectorModule> | Readonly<Partial<Record<ConnectorKind, ConnectorModule>>>;
  /** Resolved connector instances per tenant (the store's connectorInstances()); defaults to none. */
  readonly connectorsFor?: (tenant: TenantConfig) => readonly ConnectorInstanceConfig[];
  /** Built-in or test tools added to every tenant's registry. */
  readonly extraTools?: (tenant: TenantConfig) => readonly RegisteredTool[];
  /** Tools that come and go while running (tenant MCP servers); the registry is rebuilt when `version` moves. */
  readonly liveTools?: LiveToolSource;
  /** OpenTelemetry: each job handling becomes a `run attempt` span joined to the request's trace. */
  readonly tracing?: Tracing;
  readonly plannerFor: (tenant: TenantConfig) => Planner;
  readonly credentialsFor: (input: CredentialsForInput) => CredentialAccessor;
  readonly linkUrl: (input: LinkUrlInput) => Promise<string>;
  readonly platformDirectories?: Partial<Record<ChannelKind, PlatformDirectory>>;
  readonly logger: Logger;
  readonly metrics?: EngineMetrics;
  /** Worker concurrency in this process; 0 makes a submit-only process (gateway, approvals, events). */
  readonly workers: number;
  readonly settings?: Partial<EngineSettings>;
  readonly resilience?: Partial<ResilienceSettings>;
  readonly queue?: { readonly attempts?: number; readonly backoffMs?: number; readonly lockDurationMs?: number; /** 'memory' keeps jobs in-process even with Redis infra. */ readonly kind?: 'auto' | 'memory' };
  /** How often abandoned runs and due approvals are swept (0 = only at start). */
  readonly recoveryIntervalMs?: number;
  /** How often runs whose worker died are looked for (default a quarter of the lease, at least 250 ms; 0 = only in the full sweep). */
  readonly takeoverIntervalMs?: number;
  /** Crash-test hook: called at every durable boundary of a run. */
  readonly onBoundary?: BoundaryHook;
  /** The approval lifecycle's clock (reminders, escalation); tests move it by days. */
  readonly approvalClock?: () => Date;
}

export interface LiveToolSource {
  version(tenantId: string): number;
  tools(tenantId: string): readonly RegisteredTool[];
}

export interface EngineRuntime {
  readonly gateway: Gateway;
  readonly engine: RunEngine;
  readonly approvals: ApprovalDecider;
  readonly events: RunEventBus;
  readonly queue: RunQueue;
  readonly tables: EngineTables;
  /** Reminders and escalation of waiting approvals (swept with recovery). */
  readonly approvalLifecycle: ApprovalLifecycle;
  eventsSince(tenantId: string, runId: string, seq: number): Promise<RunEvent[]>;
  registryFor(tenantId: string): ToolRegistry | undefined;
  onAccountLinked(input: { tenantId: string; userId: string; connectorId: string }): Promise<number>;
  listDeadLetters(tenantId: string): Promise<DeadLetter[]>;
  replayDeadLetter(tenantId: string, id: string): Promise<boolean>;
  /** One recovery sweep now (also run by start()). */
  recover(): Promise<{ requeued: number; expired: number; woken: number }>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createEngineRuntime(options: EngineRuntimeOptions): EngineRuntime {
  const { prisma } = options.db;
  const logger = options.logger;
  const settings: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, ...options.settings };
  const tenantMap = new Map(options.tenants.map((t) => [t.id, t]));
  const registries = new Map<string, ToolRegistry>();
  for (const tenant of options.tenants) {
    registries.set(tenant.id, buildToolRegistry({
      tenant,
      connectors: options.connectorsFor?.(tenant) ?? [],
      modules: options.connectorModules,
      extraTools: options.extraTools?.(tenant) ?? [],
    }));
  }
  const live = new Map<string, { version: number; registry: ToolRegistry }>();
  const registryOf = (tenantId: string): ToolRegistry | undefined => {
    const base = registries.get(tenantId);
    if (!base || !options.liveTools) return base;
    const version = options.liveTools.version(tenantId);
    const cached = live.get(tenantId);
    if (cached && cached.version === version) return cached.registry;
    // A live tool never shadows a configured one.
    const extra = options.liveTools.tools(tenantId).filter((tool) => !base.get(tool.name));
    const registry = extra.length === 0 ? base : new ToolRegistry([...base.list(), ...extra]);
    live.set(tenantId, { version, registry });
    return registry;
  };
  const tables: EngineTables = {
    runs: new RunsTable(prisma),
    steps: new StepsTable(prisma),
    approvals: new ApprovalsTable(prisma),
    usage: new UsageLedgerTable(prisma),
    deadLetters: new DeadLettersTable(prisma),
    directory: new Directory(prisma),
    toolCalls: new ToolCallsTable(prisma),
  };
  const bus = new PubSubRunEventBus(options.infra.pubsub, logger);
  const publisher = new RunEventPublisher(new RunEventsTable(prisma), bus, logger);
  const daily = new DailyCounters(options.infra.kv);
  const pipeline = new ToolPipeline({
    policies: new ResiliencePolicies({ ...DEFAULT_RESILIENCE, ...options.resilience }, options.metrics),
    calls: tables.toolCalls ?? new ToolCallsTable(prisma),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.onBoundary ? { onBoundary: options.onBoundary } : {}),
  });

  // The dead-letter sink needs the engine, which needs the queue: resolved once both exist.
  const late: { engine?: RunEngine } = {};
  const queue = withRunTracing(options.tracing, options.infra.kv, createRunQueue(
    {
      ...options.queue,
      ...(options.infra.redis && options.queue?.kind !== 'memory' ? { redis: options.infra.redis } : {}),
      onDeadLetter: async (job, error, attempts) => {
        const message = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
        await tables.deadLetters.record({ tenantId: job.tenantId, runId: job.runId, reason: 'attempts_exhausted', error: { code: 'job_failed', message }, attempts });
        const run = await tables.runs.get(job.tenantId, job.runId);
        if (run && late.engine) await late.engine.finishFailed(run, error);
      },
    },
    logger,
  ));
  const enqueue = (tenantId: string, runId: string, delayMs?: number): Promise<void> => queue.enqueue({ tenantId, runId }, delayMs ? { delayMs } : {});
  const engine = new RunEngine(
    {
      prisma, tables, events: publisher, locks: options.infra.locks, daily, pipeline,
      tenants: (id) => tenantMap.get(id),
      registryFor: registryOf,
      plannerFor: options.plannerFor,
      credentialsFor: options.credentialsFor,
      linkUrl: options.linkUrl,
      logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      settings,
      ...(options.onBoundary ? { onBoundary: options.onBoundary } : {}),
    },
    enqueue,
  );
  late.engine = engine;
  const lifecycle = new ApprovalLifecycle({
    prisma, runs: tables.runs, directory: tables.directory, events: publisher,
    tenants: (id) => tenantMap.get(id),
    logger,
    ...(options.approvalClock ? { now: options.approvalClock } : {}),
  });
  const decider = new EngineApprovalDecider({
    approvals: tables.approvals, runs: tables.runs, directory: tables.directory, events: publisher,
    tenants: (id) => tenantMap.get(id),
    wake: (tenantId, runId) => engine.wake(tenantId, runId),
    logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    lifecycle,
  });
  const recovery = new RunRecovery({
    tables, locks: options.infra.locks, decider,
    tenantIds: () => [...tenantMap.keys()],
    conversationLockKey: (t, c) => engine.conversationLockKey(t, c),
    enqueue: (t, r) => enqueue(t, r),
    wake: (t, r) => engine.wake(t, r),
    logger,
  });
  const gateway = new EngineGateway({
    runs: tables.runs, directory: tables.directory, rateLimiter: options.infra.rateLimiter, daily,
    tenants: (id) => tenantMap.get(id),
    platformDirectories: options.platformDirectories ?? {},
    enqueue: (t, r) => enqueue(t, r),
    logger,
    ...(options.onBoundary ? { onBoundary: options.onBoundary } : {}),
  });

  let timer: NodeJS.Timeout | undefined;
  let takeoverTimer: NodeJS.Timeout | undefined;
  let takingOver: Promise<unknown> | undefined;
  let sweeping: Promise<unknown> | undefined;
  let lifecycleSweeping: Promise<void> | undefined;
  const sweep = async () => {
    sweeping ??= recovery.sweep().finally(() => (sweeping = undefined));
    const result = (await sweeping) as Awaited<ReturnType<RunRecovery['sweep']>>;
    // Durable approval timers (stored due times), swept after recovery rather than held in memory.
    lifecycleSweeping ??= (async () => {
      for (const tenantId of tenantMap.keys()) await lifecycle.sweep(tenantId).catch((error: unknown) => logger.warn({ err: error, tenantId }, 'approval lifecycle sweep failed'));
    })().finally(() => (lifecycleSweeping = undefined));
    await lifecycleSweeping;
    if (options.metrics) options.metrics.queueDepth.set({ queue: 'runs' }, await queue.depth().catch(() => 0));
    return result;
  };

  return {
    gateway, engine, approvals: decider, events: bus, queue, tables, approvalLifecycle: lifecycle,
    eventsSince: (tenantId, runId, seq) => publisher.eventsSince(tenantId, runId, seq),
    registryFor: registryOf,
    onAccountLinked: (input) => engine.onAccountLinked(input),
    listDeadLetters: (tenantId) => tables.deadLetters.list(tenantId),
    replayDeadLetter: (tenantId, id) => replayDeadLetter(tables, tenantId, id, enqueue),
    recover: sweep,
    async start() {
      if (options.workers > 0) {
        await queue.startWorkers(options.workers, (job) => engine.process(job));
        await sweep().catch((error: unknown) => logger.error({ err: error }, 'recovery sweep failed'));
        const interval = options.recoveryIntervalMs ?? Math.max(5_000, settings.leaseMs);
        if (interval > 0) {
          timer = setInterval(() => void sweep().catch((error: unknown) => logger.warn({ err: error }, 'recovery sweep failed')), interval);
          timer.unref();
        }
        const takeover = options.takeoverIntervalMs ?? Math.max(250, Math.floor(settings.leaseMs / 4));
        if (takeover > 0) {
          takeoverTimer = setInterval(() => {
            if (sweeping || takingOver) return;
            takingOver = recovery.sweepAbandoned()
              .catch((error: unknown) => logger.warn({ err: error }, 'takeover sweep failed'))
              .finally(() => (takingOver = undefined));
          }, takeover);
          takeoverTimer.unref();
        }
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (takeoverTimer) clearInterval(takeoverTimer);
      await takingOver;
      await sweeping?.catch(() => undefined);
      await lifecycleSweeping;
      await queue.close();
    },
  };
}
