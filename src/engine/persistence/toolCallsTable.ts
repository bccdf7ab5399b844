import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient, type ToolCall } from '../../generated/prisma/client.js';
import type { JsonValue } from '../../core/json.js';
import type { ToolCallRecord, ToolCallStatus, ToolCallStore } from '../../tools/pipeline/types.js';
import { isUniqueViolation, toDbJson } from './prismaJson.js';

/** This worker no longer owns the run (another took it over): it must stop without side effects. */
export class FencedOutError extends Error {
  constructor(runId: string) {
    super(`run ${runId} is now driven by another worker`);
    this.name = 'FencedOutError';
  }
}

interface RawCall {
  id: string;
  step_id: string;
  status: string;
  attempts: number;
  result: unknown;
  error: unknown;
}

/** Raw SQL rows (snake_case) and Prisma rows map to one record. */
function rawRecordOf(row: RawCall): ToolCallRecord {
  return recordOf({ ...row, stepId: row.step_id });
}

function recordOf(row: Pick<ToolCall, 'id' | 'stepId' | 'status' | 'attempts'> & { readonly result: unknown; readonly error: unknown }): ToolCallRecord {
  return {
    id: row.id,
    stepId: row.stepId,
    status: row.status as ToolCallStatus,
    attempts: row.attempts,
    result: (row.result ?? null) as JsonValue | null,
    error: (row.error ?? null) as { code: string; message: string } | null,
  };
}

type BeginInput = Parameters<ToolCallStore['begin']>[0];
type Outcome = Parameters<ToolCallStore['finish']>[2];

/** A finished read-only call not written yet: the engine writes it with its step's own statement. */
export interface FinishedCall {
  readonly id: string;
  readonly input: BeginInput;
  readonly outcome: Outcome;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** Deferred starts older than this were abandoned (the call was stopped from outside): dropped. */
const DEFERRED_TTL_MS = 60 * 60_000;

/**
 * tool_calls: written `started` before the tool runs, finalized after; unique per (tenant, idempotency key).
 * A read-only idempotent call has no side effect to guard, so it gets no separate start record: its
 * row is written once, finished, when it returns (one commit instead of two). Repeating it after a
 * crash is harmless, which is what "idempotent read" promises.
 */
export class ToolCallsTable implements ToolCallStore {
  private readonly deferred = new Map<string, { input: BeginInput; startedAt: Date }>();
  /** Steps whose engine writes their finished read call itself (holdForStep), and what it holds. */
  private readonly held = new Map<string, FinishedCall | null>();

  constructor(private readonly prisma: PrismaClient) {}

  async begin(input: BeginInput): Promise<{ record: ToolCallRecord; created: boolean }> {
    if (input.idempotent && input.risk === 'read') return this.beginDeferred(input);
    if (input.fence !== undefined) return this.beginFenced(input, input.fence);
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

  /**
   * The start record is written only while the run's fencing token is still `fence`, checked in the
   * same statement: a worker another one has superseded can never start (or claim) a call.
   */
  private async beginFenced(input: Parameters<ToolCallStore['begin']>[0], fence: number): Promise<{ record: ToolCallRecord; created: boolean }> {
    const owns = Prisma.sql`EXISTS (SELECT 1 FROM runs WHERE id = ${input.runId}::uuid AND tenant_id = ${input.tenantId} AND fence = ${fence})`;
    const inserted = await this.prisma.$queryRaw<RawCall[]>`
      INSERT INTO tool_calls (tenant_id, run_id, step_id, tool, connector_id, acting_user_id, acting_identity, idempotency_key, idempotent, risk, args, fence)
      SELECT ${input.tenantId}, ${input.runId}::uuid, ${input.stepId}::uuid, ${input.tool}, ${input.connectorId ?? null}, ${input.actingUserId}::uuid,
        ${input.actingIdentity}, ${input.idempotencyKey}, ${input.idempotent}, ${input.risk}, ${JSON.stringify(input.args)}::jsonb, ${fence}
      WHERE ${owns}
      ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
      RETURNING id, step_id::text AS step_id, status, attempts, result, error`;
    if (inserted[0]) return { record: rawRecordOf(inserted[0]), created: true };
    const claimed = await this.prisma.$queryRaw<RawCall[]>`
      UPDATE tool_calls SET fence = ${fence}
      WHERE tenant_id = ${input.tenantId} AND idempotency_key = ${input.idempotencyKey} AND ${owns}
      RETURNING id, step_id::text AS step_id, status, attempts, result, error`;
    if (claimed[0]) return { record: rawRecordOf(claimed[0]), created: false };
    throw new FencedOutError(input.runId);
  }

  /**
   * An earlier record under the key (a finished call, a failed earlier plan version's call) is
   * returned as before, so the pipeline decides exactly as with a written start; otherwise nothing
   * is written until finish().
   */
  private async beginDeferred(input: BeginInput): Promise<{ record: ToolCallRecord; created: boolean }> {
    const existing = await this.prisma.toolCall.findFirst({ where: { tenantId: input.tenantId, idempotencyKey: input.idempotencyKey } });
    if (existing) return { record: recordOf(existing), created: false };
    const now = Date.now();
    for (const [key, entry] of this.deferred) {
      if (now - entry.startedAt.getTime() > DEFERRED_TTL_MS) this.deferred.delete(key);
    }
    const id = randomUUID();
    this.deferred.set(id, { input, startedAt: new Date(now) });
    return { record: { id, stepId: input.stepId, status: 'started', attempts: 0, result: null, error: null }, created: true };
  }

  /** The engine will write this step's finished read call with the step's own record (takeHeld). */
  holdForStep(stepId: string): void {
    this.held.set(stepId, null);
  }

  /** The finished read call held for the step, if any; the caller now owns writing it. */
  takeHeld(stepId: string): FinishedCall | undefined {
    const call = this.held.get(stepId) ?? undefined;
    this.held.delete(stepId);
    return call;
  }

  /** Writes whatever the step held and nobody took (the step's record was never written). */
  async releaseHeld(stepId: string): Promise<void> {
    const call = this.takeHeld(stepId);
    if (call) await this.insertFinished(call);
  }

  /** A finished read call on its own (a racing worker that recorded the key first keeps its row). */
  async insertFinished(call: FinishedCall): Promise<void> {
    const { id, input, outcome, startedAt, finishedAt } = call;
    await this.prisma.toolCall.createMany({
      data: [{
        id, tenantId: input.tenantId, runId: input.runId, stepId: input.stepId, tool: input.tool, connectorId: input.connectorId ?? null,
        actingUserId: input.actingUserId, actingIdentity: input.actingIdentity, idempotencyKey: input.idempotencyKey,
        idempotent: input.idempotent, risk: input.risk, args: toDbJson(input.args), fence: input.fence ?? 0,
        status: outcome.status, attempts: outcome.attempts, durationMs: outcome.durationMs, startedAt, finishedAt,
        ...(outcome.result !== undefined ? { result: toDbJson(outcome.result) } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      }],
      skipDuplicates: true,
    });
  }

  async finish(tenantId: string, id: string, outcome: Outcome): Promise<void> {
    const deferred = this.deferred.get(id);
    if (deferred && deferred.input.tenantId === tenantId) {
      this.deferred.delete(id);
      const call: FinishedCall = { id, input: deferred.input, outcome, startedAt: deferred.startedAt, finishedAt: new Date() };
      if (this.held.has(deferred.input.stepId) && this.held.get(deferred.input.stepId) === null) this.held.set(deferred.input.stepId, call);
      else await this.insertFinished(call);
      return;
    }
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
