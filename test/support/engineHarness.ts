import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { tenantSchema, type TenantConfig } from '../../src/config/tenantConfig.js';
import { AccountNotLinkedError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { createLogger } from '../../src/core/logger.js';
import { createEngineRuntime, type EngineRuntime, type EngineRuntimeOptions } from '../../src/engine/runtime.js';
import type { RunStatus } from '../../src/events/runEvent.js';
import type { Turn } from '../../src/gateway/turn.js';
import { createInfra } from '../../src/infra/createInfra.js';
import type { Infra } from '../../src/infra/infra.js';
import type { CredentialAccessor } from '../../src/tools/credentials.js';
import { effectsConnectorConfig, effectsConnectorModule } from './effectsConnector.js';
import { ScriptedPlanner } from './scriptedPlanner.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A tenant with the demo people and the effects connector; overrides are tenant-config YAML shapes. */
export function testTenant(id: string, overrides: Record<string, unknown> = {}): TenantConfig {
  return tenantSchema.parse({
    id,
    name: `Tenant ${id}`,
    users: [
      { email: 'ada@acme.test', displayName: 'Ada', managerEmail: 'grace@acme.test' },
      { email: 'alan@acme.test', displayName: 'Alan', managerEmail: 'grace@acme.test' },
      { email: 'grace@acme.test', displayName: 'Grace', roles: ['manager'] },
      { email: 'linus@acme.test', displayName: 'Linus', roles: ['admin'] },
    ],
    connectors: [{ id: 'effects', kind: 'servicenow', baseUrl: 'http://127.0.0.1:1' }],
    approverGroups: { 'it-admins': ['linus@acme.test'] },
    ...overrides,
  });
}

/** Users (with manager links) and linked "effects" accounts for every seeded user. Returns email → id. */
export async function seedTenant(prisma: PrismaClient, tenant: TenantConfig, options: { link?: boolean } = {}): Promise<Map<string, string>> {
  await prisma.tenant.upsert({ where: { id: tenant.id }, create: { id: tenant.id, name: tenant.name, config: {} }, update: {} });
  const ids = new Map<string, string>();
  for (const user of tenant.users) {
    const row = await prisma.user.upsert({
      where: { tenantId_email: { tenantId: tenant.id, email: user.email } },
      create: { tenantId: tenant.id, email: user.email, displayName: user.displayName, roles: user.roles },
      update: {},
    });
    ids.set(user.email, row.id);
  }
  for (const user of tenant.users) {
    const manager = user.managerEmail ? ids.get(user.managerEmail) : undefined;
    if (manager) await prisma.user.updateMany({ where: { tenantId: tenant.id, email: user.email }, data: { managerId: manager } });
    if (options.link !== false) await linkAccount(prisma, tenant.id, ids.get(user.email)!);
  }
  return ids;
}

export async function linkAccount(prisma: PrismaClient, tenantId: string, userId: string): Promise<void> {
  await prisma.connectorAccount.upsert({
    where: { tenantId_userId_connectorId: { tenantId, userId, connectorId: 'effects' } },
    create: { tenantId, userId, connectorId: 'effects', kind: 'servicenow', ciphertext: Buffer.from('opaque'), keyId: 'test' },
    update: { status: 'active' },
  });
}

export async function unlinkAccount(prisma: PrismaClient, tenantId: string, userId: string): Promise<void> {
  await prisma.connectorAccount.deleteMany({ where: { tenantId, userId, connectorId: 'effects' } });
}

/** Reads the linked-account table for real, so unlinking in one process is seen by every worker. */
export function testCredentials(prisma: PrismaClient) {
  return (input: { tenantId: string; userId: string; connector: { id: string; displayName: string } }): CredentialAccessor => ({
    forUser: async () => {
      const account = await prisma.connectorAccount.findFirst({ where: { tenantId: input.tenantId, userId: input.userId, connectorId: input.connector.id, status: 'active' } });
      if (!account) throw new AccountNotLinkedError(input.connector.id, input.connector.displayName);
      return { accessToken: `opaque-${account.id}`, metadata: {} };
    },
    forService: async () => ({ accessToken: 'service', metadata: {} }),
    invalidate: async () => undefined,
  });
}

export interface HarnessOptions {
  readonly prisma: PrismaClient;
  readonly tenants: readonly TenantConfig[];
  readonly effectsUrl: string;
  readonly workers: number;
  /** Redis with this key prefix; memory infra when absent. */
  readonly redisPrefix?: string;
  readonly logger?: Logger;
  readonly overrides?: Partial<EngineRuntimeOptions>;
}

export interface Harness {
  readonly runtime: EngineRuntime;
  readonly infra: Infra;
  readonly planner: ScriptedPlanner;
  close(): Promise<void>;
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const logger = options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const infra = await createInfra({ ...(options.redisPrefix ? { redisUrl: TEST_REDIS_URL, keyPrefix: options.redisPrefix } : {}), logger });
  const planner = new ScriptedPlanner();
  const runtime = createEngineRuntime({
    db: { prisma: options.prisma },
    infra,
    tenants: options.tenants,
    connectorModules: { servicenow: effectsConnectorModule },
    connectorsFor: () => [effectsConnectorConfig(options.effectsUrl)],
    plannerFor: () => planner,
    credentialsFor: testCredentials(options.prisma),
    linkUrl: async ({ tenantId, connectorId, runId }) => `http://127.0.0.1/link/${tenantId}/${connectorId}?run=${runId}`,
    logger,
    workers: options.workers,
    settings: { leaseMs: 2_000, busyRetryMs: 50 },
    resilience: { retryInitialDelayMs: 10, retryMaxDelayMs: 50 },
    recoveryIntervalMs: 500,
    ...options.overrides,
  });
  await runtime.start();
  return {
    runtime,
    infra,
    planner,
    close: async () => {
      await runtime.stop();
      await infra.close();
    },
  };
}

let counter = 0;
export function turn(tenantId: string, email: string, text: string, options: { deliveryId?: string; thread?: string } = {}): Turn {
  counter += 1;
  return {
    channel: 'web',
    deliveryId: options.deliveryId ?? `d-${randomUUID()}`,
    tenantId,
    platformUser: { externalId: email, teamId: 'web', email },
    conversation: { externalId: options.thread ?? `thread-${counter}-${randomUUID()}`, address: { thread: options.thread ?? 'x' } },
    text,
    receivedAt: new Date().toISOString(),
  };
}

const SETTLED: readonly RunStatus[] = ['completed', 'failed', 'budget_exceeded', 'cancelled', 'awaiting_approval', 'awaiting_link'];

/** Polls the run row until it reaches one of `statuses` (a run's state lives in Postgres, whichever process drives it). */
export async function waitForStatus(prisma: PrismaClient, tenantId: string, runId: string, statuses: readonly RunStatus[] = SETTLED, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await prisma.run.findFirst({ where: { tenantId, id: runId } });
    if (run && statuses.includes(run.status as RunStatus)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} stayed ${run?.status ?? 'missing'} (wanted ${statuses.join('/')})`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

export function uniquePrefix(name: string): string {
  return `sbtest:${name}:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every Redis key a test file wrote under its prefix. */
export async function cleanupRedisPrefix(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
