import type { DeadLetter, PrismaClient } from '../../generated/prisma/client.js';

export class DeadLettersTable {
  constructor(private readonly prisma: PrismaClient) {}

  record(input: { tenantId: string; runId: string; reason: string; error: { code: string; message: string }; attempts: number }): Promise<DeadLetter> {
    return this.prisma.deadLetter.create({ data: input });
  }

  list(tenantId: string, options: { includeReplayed?: boolean; limit?: number } = {}): Promise<DeadLetter[]> {
    return this.prisma.deadLetter.findMany({
      where: { tenantId, ...(options.includeReplayed ? {} : { replayedAt: null }) },
      orderBy: { createdAt: 'desc' },
      take: options.limit ?? 100,
    });
  }

  /** Marks it replayed once; false when unknown for this tenant or already replayed. */
  async markReplayed(tenantId: string, id: string): Promise<DeadLetter | null> {
    const result = await this.prisma.deadLetter.updateMany({ where: { tenantId, id, replayedAt: null }, data: { replayedAt: new Date() } });
    if (result.count !== 1) return null;
    return this.prisma.deadLetter.findFirst({ where: { tenantId, id } });
  }
}
