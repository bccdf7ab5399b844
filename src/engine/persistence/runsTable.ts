import type { Prisma, PrismaClient, Run } from '../../generated/prisma/client.js';
import type { JsonObject } from '../../core/json.js';
import type { RunStatus } from '../../events/runEvent.js';
import { isUniqueViolation } from './prismaJson.js';

export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'budget_exceeded'];
/** Statuses a worker should be driving; anything here without a live lease was abandoned. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'planning', 'executing', 'responding'];

export interface RunCaps {
  readonly steps?: number;
  readonly tokens?: number;
  readonly usdMicros?: number;
  readonly wallTimeMs?: number;
}

export interface NewRun {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly userId: string;
  readonly channel: string;
  readonly deliveryId: string;
  readonly input: string;
  readonly reply: JsonObject;
  readonly caps: RunCaps;
}

/** The runs table; every query is filtered by tenant. */
export class RunsTable {
  constructor(private readonly prisma: PrismaClient) {}

  /** Unique (tenant, channel, delivery) is the backstop for duplicate deliveries. */
  async create(input: NewRun): Promise<{ run: Run; created: boolean }> {
    try {
      const run = await this.prisma.run.create({ data: { ...input, caps: input.caps as Prisma.InputJsonObject, reply: input.reply as Prisma.InputJsonObject } });
      return { run, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const run = await this.prisma.run.findFirst({ where: { tenantId: input.tenantId, channel: input.channel, deliveryId: input.deliveryId } });
      if (!run) throw error;
      return { run, created: false };
    }
  }

  byDelivery(tenantId: string, channel: string, deliveryId: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { tenantId, channel, deliveryId } });
  }

  get(tenantId: string, runId: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { tenantId, id: runId } });
  }

  /** Conditional update: false when the run is not (or no longer) in one of `fromStatuses`. */
  async update(tenantId: string, runId: string, data: Prisma.RunUpdateManyMutationInput, fromStatuses?: readonly string[]): Promise<boolean> {
    const result = await this.prisma.run.updateMany({
      where: { tenantId, id: runId, ...(fromStatuses ? { status: { in: [...fromStatuses] } } : {}) },
      data: { ...data, version: { increment: 1 } },
    });
    return result.count === 1;
  }

  async addUsage(tenantId: string, runId: string, usage: { tokens?: number; costMicros?: number; steps?: number }): Promise<void> {
    await this.prisma.run.updateMany({
      where: { tenantId, id: runId },
      data: {
        ...(usage.tokens ? { tokensUsed: { increment: usage.tokens } } : {}),
        ...(usage.costMicros ? { costMicros: { increment: BigInt(usage.costMicros) } } : {}),
        ...(usage.steps ? { stepsUsed: { increment: usage.steps } } : {}),
      },
    });
  }

  /** An earlier turn of the same thread is still being worked on: this one must wait its turn. */
  async hasEarlierActive(tenantId: string, conversationId: string, run: { id: string; createdAt: Date }): Promise<boolean> {
    const earlier = await this.prisma.run.findFirst({
      where: { tenantId, conversationId, id: { not: run.id }, createdAt: { lt: run.createdAt }, status: { in: [...ACTIVE_STATUSES] } },
      select: { id: true },
    });
    return earlier !== null;
  }

  listInStatuses(tenantId: string, statuses: readonly string[], limit = 500): Promise<Pick<Run, 'id' | 'tenantId' | 'conversationId' | 'updatedAt'>[]> {
    return this.prisma.run.findMany({
      where: { tenantId, status: { in: [...statuses] } },
      select: { id: true, tenantId: true, conversationId: true, updatedAt: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  listAwaitingLink(tenantId: string, userId: string): Promise<Pick<Run, 'id'>[]> {
    return this.prisma.run.findMany({ where: { tenantId, userId, status: 'awaiting_link' }, select: { id: true } });
  }
}
