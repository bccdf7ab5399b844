import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { RunEvent, RunEventBody, StepStatus } from '../../events/runEvent.js';
import type { JsonValue } from '../../core/json.js';
import type { FinishedCall } from './toolCallsTable.js';

/** A step's move to a new status, written in the same statement as the event that announces it. */
export interface StepTransition {
  readonly stepId: string;
  readonly status: StepStatus;
  /** Only from these statuses (a stale transition changes nothing and emits nothing). */
  readonly fromStatuses?: readonly StepStatus[];
  readonly output?: JsonValue;
  readonly error?: { readonly code: string; readonly message: string };
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  /** Adds to runs.steps_used in the same statement (the step budget's durable count). */
  readonly countStep?: boolean;
  /** A finished read-only tool call of the step, recorded in the same statement. */
  readonly toolCall?: FinishedCall;
}

/** A run's move to a terminal status, written with its event. */
export interface RunStatusChange {
  readonly status: string;
  readonly fromStatuses: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
  readonly finishedAt?: Date;
  /** Only while the run's fencing token is still this one (the writer still owns the run). */
  readonly fence?: number;
}

/** Concurrent appenders of one run that took the same seq: the loser's statement is rolled back whole and retried. */
const SEQ_RETRIES = 8;

/** Runs raw SQL: the client itself, or an interactive transaction of it. */
export type RawSql = Pick<PrismaClient, '$queryRaw'>;

export function isSeqCollision(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; meta?: unknown; message?: unknown; cause?: unknown };
  if (e.code === '23505' || e.code === 'P2002') return true;
  const text = `${typeof e.message === 'string' ? e.message : ''} ${JSON.stringify(e.meta ?? null)}`;
  if (/23505|duplicate key|unique constraint/i.test(text)) return true;
  return e.cause !== undefined && e.cause !== error && isSeqCollision(e.cause);
}

/**
 * run_events with the per-run sequence taken as max(seq)+1 of the run's own events, in the same
 * statement as the insert: the `runs` row (which holds the whole plan) is not rewritten per event.
 * The unique (run_id, seq) index settles concurrent appenders; the loser retries.
 */
export class RunEventsTable {
  constructor(private readonly prisma: PrismaClient) {}

  private async withSeqRetry<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await write();
      } catch (error) {
        if (attempt + 1 >= SEQ_RETRIES || !isSeqCollision(error)) throw error;
      }
    }
  }

  /**
   * Takes the run's next seq and inserts the event in one statement, so a crash can never leave a
   * gap or a duplicate. Resolves null when the run does not exist for this tenant.
   */
  append(tenantId: string, runId: string, build: (seq: number, at: string) => RunEvent): Promise<RunEvent | null> {
    return this.withSeqRetry(() => this.appendIn(this.prisma, tenantId, runId, build));
  }

  /**
   * append() inside the caller's transaction, so the event commits with the state it announces. No
   * retry here: a seq collision aborts the transaction, so the caller retries it whole (isSeqCollision).
   */
  async appendIn(db: RawSql, tenantId: string, runId: string, build: (seq: number, at: string) => RunEvent): Promise<RunEvent | null> {
    const at = new Date();
    const draft = build(0, at.toISOString());
    const rows = await db.$queryRaw<{ seq: number }[]>`
      WITH s AS (
        SELECT COALESCE((SELECT max(seq) FROM run_events WHERE run_id = ${runId}::uuid), 0) + 1 AS event_seq
        WHERE EXISTS (SELECT 1 FROM runs WHERE id = ${runId}::uuid AND tenant_id = ${tenantId}))
      INSERT INTO run_events (tenant_id, run_id, seq, type, payload, created_at)
      SELECT ${tenantId}, ${runId}::uuid, s.event_seq, ${draft.type}, jsonb_set(${JSON.stringify(draft)}::jsonb, '{seq}', to_jsonb(s.event_seq)), ${at}
      FROM s RETURNING seq`;
    const seq = rows[0]?.seq;
    return seq === undefined ? null : { ...draft, seq };
  }

  /**
   * Step transition + event in ONE statement, so one commit (one WAL flush) per step boundary instead
   * of one per write, and the step's status and its event can never disagree after a crash.
   * Resolves null when the step was not in `fromStatuses` (or the run does not exist).
   */
  async appendWithStep(tenantId: string, runId: string, step: StepTransition, build: (seq: number, at: string) => RunEvent): Promise<RunEvent | null> {
    const at = new Date();
    const draft = build(0, at.toISOString());
    const from = step.fromStatuses ? [...step.fromStatuses] : null;
    const output = step.output === undefined ? null : JSON.stringify(step.output);
    const error = step.error === undefined ? null : JSON.stringify(step.error);
    // The run row is rewritten only when the step counts toward the step budget (its start).
    const counted = step.countStep
      ? Prisma.sql`u AS (
        UPDATE runs SET steps_used = steps_used + 1, updated_at = ${at}
        WHERE id = ${runId}::uuid AND tenant_id = ${tenantId} AND EXISTS (SELECT 1 FROM st)
        RETURNING id),`
      : Prisma.empty;
    const call = step.toolCall;
    const recorded = call
      ? Prisma.sql`tc AS (
        INSERT INTO tool_calls (id, tenant_id, run_id, step_id, tool, connector_id, acting_user_id, acting_identity, idempotency_key, idempotent,
          risk, args, fence, status, attempts, duration_ms, result, error, started_at, finished_at)
        SELECT ${call.id}::uuid, ${tenantId}, ${runId}::uuid, ${call.input.stepId}::uuid, ${call.input.tool}, ${call.input.connectorId ?? null},
          ${call.input.actingUserId}::uuid, ${call.input.actingIdentity}, ${call.input.idempotencyKey}, ${call.input.idempotent}::boolean, ${call.input.risk},
          ${JSON.stringify(call.input.args)}::jsonb, ${call.input.fence ?? 0}::int, ${call.outcome.status}, ${call.outcome.attempts}::int, ${call.outcome.durationMs}::int,
          ${call.outcome.result === undefined ? null : JSON.stringify(call.outcome.result)}::jsonb, ${call.outcome.error ? JSON.stringify(call.outcome.error) : null}::jsonb,
          ${call.startedAt}::timestamptz, ${call.finishedAt}::timestamptz
        WHERE EXISTS (SELECT 1 FROM st)
        ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
        RETURNING id),`
      : Prisma.empty;
    const rows = await this.withSeqRetry(() => this.prisma.$queryRaw<{ seq: number }[]>`
      WITH st AS (
        UPDATE steps SET
          status = ${step.status},
          output = CASE WHEN ${output !== null} THEN ${output}::jsonb ELSE output END,
          error = CASE WHEN ${error !== null} THEN ${error}::jsonb ELSE error END,
          started_at = COALESCE(${step.startedAt ?? null}::timestamptz, started_at),
          finished_at = COALESCE(${step.finishedAt ?? null}::timestamptz, finished_at),
          updated_at = ${at}
        WHERE id = ${step.stepId}::uuid AND tenant_id = ${tenantId} AND run_id = ${runId}::uuid
          AND (${from}::text[] IS NULL OR status = ANY(${from}::text[]))
        RETURNING id),
      ${counted}
      ${recorded}
      s AS (
        SELECT COALESCE((SELECT max(seq) FROM run_events WHERE run_id = ${runId}::uuid), 0) + 1 AS event_seq
        WHERE EXISTS (SELECT 1 FROM st))
      INSERT INTO run_events (tenant_id, run_id, seq, type, payload, created_at)
      SELECT ${tenantId}, ${runId}::uuid, s.event_seq, ${draft.type}, jsonb_set(${JSON.stringify(draft)}::jsonb, '{seq}', to_jsonb(s.event_seq)), ${at}
      FROM s RETURNING seq`);
    const seq = rows[0]?.seq;
    return seq === undefined ? null : { ...draft, seq };
  }

  /**
   * The run's terminal status and the event that announces it (the answer or the failure) in ONE
   * statement: a crash can never leave the event without the status (recovery would answer again)
   * nor the status without the event, and a second writer (a superseded worker, recovery) changes
   * nothing once the run left `fromStatuses`. `fence` refuses a worker that lost the run.
   */
  async appendWithRunStatus(tenantId: string, runId: string, change: RunStatusChange, build: (seq: number, at: string) => RunEvent): Promise<RunEvent | null> {
    const at = new Date();
    const draft = build(0, at.toISOString());
    const error = change.error === undefined ? null : JSON.stringify(change.error);
    const rows = await this.withSeqRetry(() => this.prisma.$queryRaw<{ seq: number }[]>`
      WITH r AS (
        UPDATE runs SET status = ${change.status}, finished_at = ${change.finishedAt ?? null}::timestamptz,
          error = CASE WHEN ${error !== null} THEN ${error}::jsonb ELSE error END,
          version = version + 1, updated_at = ${at}
        WHERE id = ${runId}::uuid AND tenant_id = ${tenantId} AND status = ANY(${[...change.fromStatuses]}::text[])
          AND (${change.fence ?? null}::int IS NULL OR fence = ${change.fence ?? null}::int)
        RETURNING id),
      s AS (
        SELECT COALESCE((SELECT max(seq) FROM run_events WHERE run_id = ${runId}::uuid), 0) + 1 AS event_seq
        WHERE EXISTS (SELECT 1 FROM r))
      INSERT INTO run_events (tenant_id, run_id, seq, type, payload, created_at)
      SELECT ${tenantId}, ${runId}::uuid, s.event_seq, ${draft.type}, jsonb_set(${JSON.stringify(draft)}::jsonb, '{seq}', to_jsonb(s.event_seq)), ${at}
      FROM s RETURNING seq`);
    const seq = rows[0]?.seq;
    return seq === undefined ? null : { ...draft, seq };
  }

  async since(tenantId: string, runId: string, afterSeq: number): Promise<RunEvent[]> {
    const rows = await this.prisma.runEventRecord.findMany({ where: { tenantId, runId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' } });
    return rows.map((row) => row.payload as unknown as RunEvent);
  }
}

export type { RunEventBody };
