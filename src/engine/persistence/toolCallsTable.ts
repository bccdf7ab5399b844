import type { PrismaClient, ToolCall } from '../../generated/prisma/client.js';
import type { JsonValue } from '../../core/json.js';
import type { ToolCallRecord, ToolCallStatus, ToolCallStore } from '../../tools/pipeline/types.js';
import { isUniqueViolation, toDbJson } from './prismaJson.js';

function recordOf(row: ToolCall): ToolCallRecord {
  return {
    id: row.id,
    status: row.status as ToolCallStatus,
    attempts: row.attempts,
    result: (row.result ?? null) as JsonValue | null,
    error: (row.error ?? null) as { code: string; message: string } | null,
  };
}

/** tool_calls: written `started` before the tool runs, finalized after; unique per (tenant, idempotency key). */
export class ToolCallsTable implements ToolCallStore {
  constructor(private readonly prisma: PrismaClient) {}

  async begin(input: Parameters<ToolCallStore['begin']>[0]): Promise<{ record: ToolCallRecord; created: boolean }> {
    try {
      const row = await this.prisma.toolCall.create({ data: { ...input, args: toDbJson(input.args) } });
      return { record: recordOf(row), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const row = await this.prisma.toolCall.findFirst({ where: { tenantId: input.tenantId, idempotencyKey: input.idempotencyKey } });
      if (!row) throw error;
      return { record: recordOf(row), created: false };
    }
  }

  async finish(tenantId: string, id: string, outcome: Parameters<ToolCallStore['finish']>[2]): Promise<void> {
    await this.prisma.toolCall.updateMany({
      where: { tenantId, id },
      data: {
        status: outcome.status,
        attempts: outcome.attempts,
        durationMs: outcome.durationMs,
        finishedAt: new Date(),
        ...(outcome.result !== undefined ? { result: toDbJson(outcome.result) } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      },
    });
  }

  listForRun(tenantId: string, runId: string): Promise<ToolCall[]> {
    return this.prisma.toolCall.findMany({ where: { tenantId, runId }, orderBy: { startedAt: 'asc' } });
  }
}
