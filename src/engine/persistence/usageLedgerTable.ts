import type { PrismaClient } from '../../generated/prisma/client.js';

export interface UsageEntry {
  readonly tenantId: string;
  readonly userId: string;
  readonly runId?: string;
  readonly kind: 'model' | 'step';
  readonly tier?: string;
  readonly model?: string;
  readonly inputTokens?: number;
  readonly cachedInputTokens?: number;
  readonly outputTokens?: number;
  readonly costMicros?: number;
  readonly day: Date;
}

export class UsageLedgerTable {
  constructor(private readonly prisma: PrismaClient) {}

  async append(entry: UsageEntry): Promise<void> {
    await this.prisma.usageLedger.create({ data: { ...entry, costMicros: BigInt(entry.costMicros ?? 0) } });
  }

  /** Day totals, used to rebuild daily counters when the cache was lost. */
  async totals(tenantId: string, day: Date, userId?: string): Promise<{ tokens: number; costMicros: number; steps: number }> {
    const rows = await this.prisma.usageLedger.groupBy({
      by: ['kind'],
      where: { tenantId, day, ...(userId ? { userId } : {}) },
      _sum: { inputTokens: true, outputTokens: true, costMicros: true },
      _count: { _all: true },
    });
    let tokens = 0;
    let costMicros = 0;
    let steps = 0;
    for (const row of rows) {
      tokens += (row._sum.inputTokens ?? 0) + (row._sum.outputTokens ?? 0);
      costMicros += Number(row._sum.costMicros ?? 0n);
      if (row.kind === 'step') steps += row._count._all;
    }
    return { tokens, costMicros, steps };
  }

  listForRun(tenantId: string, runId: string) {
    return this.prisma.usageLedger.findMany({ where: { tenantId, runId } });
  }
}
